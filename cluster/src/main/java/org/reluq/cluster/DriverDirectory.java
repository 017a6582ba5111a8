package org.reluq.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where embedded media drivers keep their files: {@code /dev/shm/reluq-aeron/PID} (memory-backed; the temporary
 * directory where there is no /dev/shm), one directory per process, removed when the process ends. A process killed
 * with SIGKILL cannot remove its own: every cluster process first removes the directories of processes that no
 * longer run, and a local cluster removes those of its workers.
 */
final class DriverDirectory {

    private DriverDirectory() {
    }

    /** The directory all reluq drivers of this host live under. */
    static Path base() {
        final Path shm = Path.of("/dev/shm");
        return (Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir")))
                .resolve("reluq-aeron");
    }

    /** This process's driver directory. */
    static Path forProcess(final long pid) {
        return base().resolve(Long.toString(pid));
    }

    /** Removes the driver directories of processes that have ended; returns how many. */
    static int removeStale() {
        final Path base = base();
        if (!Files.isDirectory(base)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(base)) {
            for (final Path entry : entries) {
                final long pid = parsePid(entry.getFileName().toString());
                if (pid > 0 && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
                    delete(entry);
                    removed++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + base, e);
        }
        return removed;
    }

    /** Deletes a directory tree if it exists. */
    static void delete(final Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot delete " + path, e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    private static long parsePid(final String name) {
        try {
            return Long.parseLong(name);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
