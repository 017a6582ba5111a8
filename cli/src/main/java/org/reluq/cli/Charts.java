package org.reluq.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;

/** Line charts drawn with XChart and saved as PNG or SVG, chosen by the file name. */
public final class Charts {

    /** Points drawn per series at most: more adds nothing visible and bloats SVG files. */
    static final int MAX_POINTS = 2000;

    private Charts() {
    }

    /** One line of a chart. */
    public record Series(String name, double[] x, double[] y) {
    }

    /** The axes and title of a chart. */
    public record Axes(String title, String x, String y, boolean logX, boolean logY) {
    }

    /** Draws the series as lines (with markers when {@code markers}) and saves the chart. */
    public static void save(final Axes axes, final List<Series> series, final boolean markers, final Path file)
            throws IOException {
        final XYChart chart = new XYChartBuilder().width(900).height(560).title(axes.title())
                .xAxisTitle(axes.x()).yAxisTitle(axes.y()).build();
        chart.getStyler().setXAxisLogarithmic(axes.logX());
        chart.getStyler().setYAxisLogarithmic(axes.logY());
        chart.getStyler().setLegendVisible(series.size() > 1);
        chart.getStyler().setMarkerSize(markers ? 6 : 0);
        for (final Series s : series) {
            chart.addSeries(s.name(), s.x(), s.y()).setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        }
        write(chart, file);
    }

    /** Saves any XChart chart as SVG if the file name ends in .svg, else as PNG. */
    public static void write(final Chart<?, ?> chart, final Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".svg")) {
                VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            } else {
                BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
            }
        }
    }

    /**
     * A training curve as a series: {@code y[t]} (floored at the smallest normal float, which a log axis can
     * show) against {@code x[t]}, thinned to at most {@link #MAX_POINTS} points, the last point always kept.
     */
    public static Series curve(final String name, final double[] x, final float[] y) {
        final int stride = Math.max(1, (y.length + MAX_POINTS - 1) / MAX_POINTS);
        final int points = (y.length - 1) / stride + 1 + ((y.length - 1) % stride == 0 ? 0 : 1);
        final double[] xs = new double[points];
        final double[] ys = new double[points];
        int k = 0;
        for (int t = 0; t < y.length; t += stride) {
            xs[k] = x[t];
            ys[k++] = Math.max(y[t], Float.MIN_NORMAL);
        }
        if (k < points) {
            xs[k] = x[y.length - 1];
            ys[k] = Math.max(y[y.length - 1], Float.MIN_NORMAL);
        }
        return new Series(name, xs, ys);
    }

    /** 0, 1, 2, ... n - 1. */
    static double[] iterations(final int n) {
        final double[] x = new double[n];
        for (int t = 0; t < n; t++) {
            x[t] = t;
        }
        return x;
    }
}
