package org.reluq.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code reluq cluster ...} as a separate process with this JVM's flags and class path (so its workers are separate
 * processes too, as a user's are), its output lines collected with the time each arrived.
 */
final class ClusterProcess implements AutoCloseable {

    /** One output line and when it arrived. */
    record Line(long nanos, String text) {
    }

    private final Process process;
    private final List<Line> out = new CopyOnWriteArrayList<>();
    private final List<Line> err = new CopyOnWriteArrayList<>();

    ClusterProcess(final String... args) throws IOException {
        final List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElseThrow());
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> !a.startsWith("-javaagent") && !a.startsWith("-agentlib")).toList());
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Reluq.class.getName(), "cluster"));
        command.addAll(List.of(args));
        process = new ProcessBuilder(command).start();
        collect(process.getInputStream(), out);
        collect(process.getErrorStream(), err);
    }

    private static void collect(final InputStream stream, final List<Line> lines) {
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null; ) {
                    lines.add(new Line(System.nanoTime(), line));
                }
            } catch (IOException e) {
                lines.add(new Line(System.nanoTime(), "(stream failed: " + e.getMessage() + ")"));
            }
        });
    }

    /** Waits up to {@code seconds} for a stdout line matching, and returns it. */
    Line awaitOut(final Predicate<String> match, final double seconds) throws InterruptedException {
        return await(out, match, seconds);
    }

    /** Waits up to {@code seconds} for a stderr line matching, and returns it. */
    Line awaitErr(final Predicate<String> match, final double seconds) throws InterruptedException {
        return await(err, match, seconds);
    }

    private Line await(final List<Line> lines, final Predicate<String> match, final double seconds)
            throws InterruptedException {
        final long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < deadline) {
            for (final Line line : lines) {
                if (match.test(line.text())) {
                    return line;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no line matching within " + seconds + " s; out:\n" + text(out) + "\nerr:\n"
                + text(err));
    }

    /** Waits for the exit code (the process is killed after {@code seconds}). */
    int exitCode(final double seconds) throws InterruptedException {
        if (!process.waitFor((long) (seconds * 1000), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("still running after " + seconds + " s; out:\n" + text(out) + "\nerr:\n"
                    + text(err));
        }
        Thread.sleep(100);
        return process.exitValue();
    }

    /** Standard output so far. */
    String out() {
        return text(out);
    }

    /** Standard error so far. */
    String err() {
        return text(err);
    }

    /** The process id. */
    long pid() {
        return process.pid();
    }

    private static String text(final List<Line> lines) {
        final StringBuilder text = new StringBuilder();
        for (final Line line : lines) {
            text.append(line.text()).append('\n');
        }
        return text.toString();
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
