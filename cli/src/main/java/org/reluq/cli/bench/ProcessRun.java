package org.reluq.cli.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * One timed run of a whole process: its wall time from start to exit, as a user waits for it.
 *
 * @param seconds wall time, start to exit
 * @param code    exit code
 * @param output  standard output and error, merged
 */
public record ProcessRun(double seconds, int code, String output) {

    /** Runs {@code command} in {@code directory} and waits for it. */
    public static ProcessRun of(final List<String> command, final Path directory) throws IOException {
        final ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true);
        final long start = System.nanoTime();
        final Process process = builder.start();
        // a Ctrl-C on reluq must not leave the child behind
        final Thread stop = new Thread(process::destroyForcibly, "reluq-e2e-stop");
        Runtime.getRuntime().addShutdownHook(stop);
        try {
            final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            final int code = process.waitFor();
            return new ProcessRun((System.nanoTime() - start) / 1e9, code, output);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + command.get(0) + " ran", e);
        } finally {
            Runtime.getRuntime().removeShutdownHook(stop);
        }
    }
}
