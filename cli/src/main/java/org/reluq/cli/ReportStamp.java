package org.reluq.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.reluq.kernels.simd.Vectorization;

/**
 * Where and how a report was made: machine, cores, vector species, JDK, git commit, date and the exact
 * command, as rows of a markdown table.
 *
 * @param cpu     the CPU model ({@code /proc/cpuinfo}), or "unknown"
 * @param cores   processors the JVM sees
 * @param vectors the vector species of the kernels
 * @param jdk     the JVM's vendor, name and version
 * @param commit  the git commit of the working tree ("-dirty" when it has changes), or "unknown"
 * @param date    when the run started (UTC)
 * @param command the command line
 */
record ReportStamp(String cpu, int cores, String vectors, String jdk, String commit, String date, String command) {

    /** This machine and JVM now, for {@code command}. */
    static ReportStamp now(final String command) {
        return new ReportStamp(cpuModel(), Runtime.getRuntime().availableProcessors(), Vectorization.describe(),
                System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                        + Runtime.version(), gitCommit(), Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(),
                command);
    }

    /** The stamp as a two-column markdown table. */
    String markdown() {
        return "| | |\n|---|---|\n"
                + "| machine | " + cpu + ", " + cores + " cores |\n"
                + "| vectors | " + vectors + " |\n"
                + "| JDK | " + jdk + " |\n"
                + "| commit | " + commit + " |\n"
                + "| date | " + date + " |\n"
                + "| command | `" + command + "` |\n";
    }

    private static String cpuModel() {
        try {
            for (final String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            return "unknown (" + e.getMessage() + ")";
        }
        return "unknown";
    }

    private static String gitCommit() {
        final String head = git("rev-parse", "--short=12", "HEAD");
        if (head.isEmpty()) {
            return "unknown (not a git working tree)";
        }
        return git("status", "--porcelain", "--untracked-files=no").isEmpty() ? head : head + "-dirty";
    }

    /** The trimmed output of a git command, or "" when git fails or is missing. */
    private static String git(final String... args) {
        try {
            final Process git = new ProcessBuilder(concat(args)).redirectErrorStream(true).start();
            final String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!git.waitFor(10, TimeUnit.SECONDS) || git.exitValue() != 0) {
                return "";
            }
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static List<String> concat(final String... args) {
        final String[] command = new String[args.length + 1];
        command[0] = "git";
        System.arraycopy(args, 0, command, 1, args.length);
        return List.of(command);
    }
}
