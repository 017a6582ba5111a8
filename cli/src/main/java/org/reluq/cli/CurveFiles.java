package org.reluq.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.reluq.kernels.sgd.TrainingResult;

/** Writes a training curve as CSV and as a log-scale plot (PNG or SVG, chosen by the file name). */
final class CurveFiles {

    /** Points plotted at most: more adds nothing visible and bloats SVG files. */
    private static final int MAX_POINTS = 4000;

    private CurveFiles() {
    }

    /**
     * {@code iteration,relative_error,loss,wire_bytes} (bytes sent so far; 0 for SGD in one process); the loss
     * of the last row is empty (no step was taken there).
     */
    static void writeCsv(final TrainingResult result, final Path file) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
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
        final int stride = Math.max(1, (error.length + MAX_POINTS - 1) / MAX_POINTS);
        final int points = (error.length - 1) / stride + 1 + ((error.length - 1) % stride == 0 ? 0 : 1);
        final double[] x = new double[points];
        final double[] y = new double[points];
        int k = 0;
        for (int t = 0; t < error.length; t += stride) {
            x[k] = t;
            y[k++] = Math.max(error[t], Float.MIN_NORMAL); // a log axis cannot show an exact zero
        }
        if (k < points) {
            x[k] = error.length - 1;
            y[k] = Math.max(error[error.length - 1], Float.MIN_NORMAL);
        }
        final XYChart chart = new XYChartBuilder().width(900).height(560).title(title)
                .xAxisTitle("iteration").yAxisTitle("||w - w*|| / ||w*||").build();
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setMarkerSize(0);
        chart.addSeries("relative error", x, y).setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        try (OutputStream out = Files.newOutputStream(file)) {
            if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".svg")) {
                VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            } else {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            }
        }
    }
}
