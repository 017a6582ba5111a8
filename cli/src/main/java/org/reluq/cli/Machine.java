package org.reluq.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the operating system says about memory, to refuse a model that cannot fit before making it. */
final class Machine {

    private Machine() {
    }

    /** Bytes of memory available to a new allocation (Linux's MemAvailable), or -1 if unknown. */
    static long availableMemoryBytes() {
        try {
            for (final String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    final String[] parts = line.trim().split("\\s+");
                    return Long.parseLong(parts[1]) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
