package org.reluq.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Output files and folders are checked before the work starts: a folder is created when missing and a file
 * is created (and then overwritten at the end), so a path that cannot be written fails in the first
 * milliseconds, not after the run. Creating is the only test that holds for root and read-only mounts; for a run
 * that may fail through no fault of its own (a cluster's), {@link #requireWritableLater} probes the folder instead.
 */
final class OutputFiles {

    private OutputFiles() {
    }

    /**
     * Makes sure {@code file} can be written: its folder is created if missing, and the file itself if it does
     * not exist yet (left empty until the work writes it).
     *
     * @throws CommandLine.ParameterException naming the option and the problem
     */
    static void requireWritableFile(final CommandLine command, final String option, final Path file) {
        if (file == null) {
            return;
        }
        if (Files.isDirectory(file)) {
            throw new CommandLine.ParameterException(command, option + " " + file + " is a folder, not a file");
        }
        try {
            final Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (!Files.exists(file)) {
                Files.createFile(file);
            } else if (!Files.isWritable(file)) {
                throw new IOException("not writable");
            }
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            throw new CommandLine.ParameterException(command, option + " " + file + ": cannot write there ("
                    + describe(e) + ")");
        }
    }

    /**
     * Makes sure {@code file} could be written at the end of a run that may fail (a cluster run's CSV, summary and
     * checkpoint): its folder is probed and an existing file must be writable, but nothing is created, so a failed
     * run leaves no empty file that a rerun would then refuse to replace.
     *
     * @throws CommandLine.ParameterException naming the option and the problem
     */
    static void requireWritableLater(final CommandLine command, final String option, final Path file) {
        if (file == null) {
            return;
        }
        if (Files.isDirectory(file)) {
            throw new CommandLine.ParameterException(command, option + " " + file + " is a folder, not a file");
        }
        final Path folder = file.toAbsolutePath().getParent();
        requireWritableFolder(command, option, folder != null ? folder : Path.of("."));
        if (Files.exists(file) && !Files.isWritable(file)) {
            throw new CommandLine.ParameterException(command, option + " " + file + ": cannot write there (not "
                    + "writable)");
        }
    }

    /**
     * Makes sure {@code folder} exists (created when missing) and can be written, by creating and deleting a
     * file in it.
     */
    static void requireWritableFolder(final CommandLine command, final String option, final Path folder) {
        try {
            Files.createDirectories(folder);
            Files.delete(Files.createTempFile(folder, ".reluq-", ".probe"));
        } catch (IOException | SecurityException | UnsupportedOperationException e) {
            throw new CommandLine.ParameterException(command, option + " " + folder + ": cannot write there ("
                    + describe(e) + ")");
        }
    }

    /**
     * Refuses to replace a report that is already in {@code folder} unless {@code force}: committed results
     * (reports/) are never overwritten by accident.
     */
    static void requireNoReport(final CommandLine command, final Path folder, final String report,
                                final boolean force) {
        if (!force && Files.exists(folder.resolve(report))) {
            throw new CommandLine.ParameterException(command, "--out " + folder + " already holds " + report
                    + "; give --force to replace it, or another --out");
        }
    }

    private static String describe(final Exception e) {
        final String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
