package org.reluq.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * How long ago this process was launched. The {@code ./reluq} launcher passes its own start time
 * ({@value #PROPERTY}, epoch nanoseconds, taken just before it starts the JVM), so the time of the launcher and
 * of the JVM's start-up counts; without it, Linux's process start time (in clock ticks of 10 ms) is used, and
 * elsewhere nothing is known.
 */
final class ProcessClock {

    /** Epoch nanoseconds at which the launcher started the JVM. */
    static final String PROPERTY = "reluq.launch.epoch.nanos";

    private static final long CLOCK_TICKS_PER_SECOND = 100;

    private ProcessClock() {
    }

    /** Nanoseconds since the launch, or -1 if unknown. */
    static long sinceLaunchNanos() {
        final String launch = System.getProperty(PROPERTY);
        if (launch != null) {
            try {
                final Instant now = Instant.now();
                return now.getEpochSecond() * 1_000_000_000L + now.getNano() - Long.parseLong(launch.trim());
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return sinceStartOnLinux();
    }

    /** From {@code /proc}: the process start (field 22 of /proc/self/stat) against the uptime. */
    private static long sinceStartOnLinux() {
        try {
            final String stat = Files.readString(Path.of("/proc/self/stat"));
            // the command name, field 2, is in parentheses and may hold spaces: count fields after its ')'
            final String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            final long startTicks = Long.parseLong(fields[19]);
            final double uptime = Double.parseDouble(Files.readString(Path.of("/proc/uptime")).trim().split(" ")[0]);
            return (long) ((uptime - (double) startTicks / CLOCK_TICKS_PER_SECOND) * 1e9);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
