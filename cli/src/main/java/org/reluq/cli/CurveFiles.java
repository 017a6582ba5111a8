package org.reluq.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.reluq.kernels.sgd.TrainingResult;

/** Writes a training curve as CSV and as a log-scale plot (PNG or SVG, chosen by the file name). */
final class CurveFiles {

    private CurveFiles() {
    }

    /**
     * A {@code # settings} comment line, then {@code iteration,relative_error,loss,wire_bytes} (bytes sent so
     * far; 0 for SGD in one process); the loss of the last row is empty (no step was taken there).
     */
    static void writeCsv(final TrainingResult result, final String settings, final Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write("# " + settings + "\n");
            out.write("iteration,relative_error,loss,wire_bytes\n");
            final float[] error = result.relativeError();
            final float[] loss = result.loss();
            final long[] bytes = result.wireBytes();
            for (int t = 0; t < error.length; t++) {
                out.write(t + "," + error[t] + "," + (t < loss.length ? Float.toString(loss[t]) : "") + ","
                        + bytes[t] + "\n");
            }
        }
    }

    /** Whether {@code file} names a plot format we can write. */
    static boolean isPlotFile(final Path file) {
        final String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".png") || name.endsWith(".svg");
    }

    /** Relative error against iteration on a logarithmic axis. */
    static void writePlot(final TrainingResult result, final String title, final Path file) throws IOException {
        final float[] error = result.relativeError();
        Charts.save(new Charts.Axes(title, "iteration", "||w - w*|| / ||w*||", false, true),
                List.of(Charts.curve("relative error", Charts.iterations(error.length), error)), false, file);
    }
}
