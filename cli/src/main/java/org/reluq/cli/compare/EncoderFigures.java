package org.reluq.cli.compare;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.reluq.cli.Charts;

/**
 * The comparison's four figures. An encoder's colour is its family's (the float formats, QSGD, TernGrad, natural,
 * sign, top-k, random-k; {@code ef(X)} is X's family), its line style and marker its place in the family, so
 * related settings read as a group.
 */
public final class EncoderFigures {

    private EncoderFigures() {
    }

    /** Family colours, colour-blind safe (Okabe and Ito's palette). */
    private static final Map<String, Color> FAMILY_COLOURS = new LinkedHashMap<>();

    static {
        FAMILY_COLOURS.put("float", new Color(0x000000));
        FAMILY_COLOURS.put("qsgd", new Color(0x0072B2));
        FAMILY_COLOURS.put("terngrad", new Color(0x009E73));
        FAMILY_COLOURS.put("natural", new Color(0xCC79A7));
        FAMILY_COLOURS.put("sign", new Color(0xD55E00));
        FAMILY_COLOURS.put("topk", new Color(0xE69F00));
        FAMILY_COLOURS.put("randk", new Color(0x56B4E9));
    }

    private static final BasicStroke[] STROKES = {
        new BasicStroke(2f),
        new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {8f, 5f}, 0f),
        new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 10f, new float[] {1f, 4f}, 0f),
        new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {10f, 4f, 2f, 4f}, 0f),
        new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {16f, 6f}, 0f),
        new BasicStroke(1f),
    };

    private static final Marker[] MARKERS = {SeriesMarkers.CIRCLE, SeriesMarkers.SQUARE, SeriesMarkers.DIAMOND,
        SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN, SeriesMarkers.TRAPEZOID};

    /** The family of a spec: the float formats together, {@code ef(X)} with X. */
    static String family(final String spec) {
        final String inner = spec.startsWith("ef(") ? spec.substring(3, spec.length() - 1) : spec;
        final String name = inner.contains(":") ? inner.substring(0, inner.indexOf(':')) : inner;
        return switch (name) {
            case "fp32", "fp16", "bf16" -> "float";
            default -> name;
        };
    }

    /** Colour, stroke and marker for each spec, by family and place in it. */
    private record Style(Color colour, BasicStroke stroke, Marker marker) {
    }

    private static Map<String, Style> styles(final List<String> specs) {
        final Map<String, Integer> places = new LinkedHashMap<>();
        final Map<String, Style> styles = new LinkedHashMap<>();
        for (final String spec : specs) {
            final String family = family(spec);
            final int place = places.merge(family, 1, Integer::sum) - 1;
            styles.put(spec, new Style(FAMILY_COLOURS.getOrDefault(family, Color.GRAY),
                    STROKES[place % STROKES.length], MARKERS[place % MARKERS.length]));
        }
        return styles;
    }

    private static XYChart chart(final String title, final String x, final String y) {
        final XYChart chart = new XYChartBuilder().width(1100).height(640).title(title).xAxisTitle(x).yAxisTitle(y)
                .build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setErrorBarsColorSeriesColor(true);
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setPlotBackgroundColor(Color.WHITE);
        return chart;
    }

    /**
     * Labels between the decades on an axis that spans two decades or less, where decades alone would leave one
     * or two labels; decades only on a wider one, where more would overlap. Call after the series are added.
     */
    private static void label(final XYChart chart) {
        double xLow = Double.MAX_VALUE;
        double xHigh = 0;
        double yLow = Double.MAX_VALUE;
        double yHigh = 0;
        for (final XYSeries series : chart.getSeriesMap().values()) {
            for (final double x : series.getXData()) {
                xLow = x > 0 ? Math.min(xLow, x) : xLow;
                xHigh = Math.max(xHigh, x);
            }
            for (final double y : series.getYData()) {
                yLow = y > 0 ? Math.min(yLow, y) : yLow;
                yHigh = Math.max(yHigh, y);
            }
        }
        chart.getStyler().setXAxisLogarithmicDecadeOnly(xHigh / xLow > 100);
        chart.getStyler().setYAxisLogarithmicDecadeOnly(yHigh / yLow > 100);
    }

    private static void style(final XYSeries series, final Style style, final boolean line, final boolean marker) {
        series.setLineColor(style.colour());
        series.setMarkerColor(style.colour());
        series.setLineStyle(line ? style.stroke() : new BasicStroke(0f));
        series.setXYSeriesRenderStyle(line ? XYSeries.XYSeriesRenderStyle.Line : XYSeries.XYSeriesRenderStyle.Scatter);
        series.setMarker(marker ? style.marker() : SeriesMarkers.NONE);
    }

    /**
     * Bits a coordinate against iterations to the target, one point an encoder that reached it, and the Pareto
     * front (no other encoder both fewer bits and fewer iterations) as a grey line.
     */
    public static void pareto(final List<PlantedRuns.EncoderRuns> runs, final String title, final Path file)
            throws IOException {
        final List<PlantedRuns.EncoderRuns> reached = runs.stream().filter(PlantedRuns.EncoderRuns::reached).toList();
        final XYChart chart = chart(title, "bits per coordinate, worker and iteration (headers included)",
                "iterations to the target");
        final Map<String, Style> styles = styles(runs.stream().map(PlantedRuns.EncoderRuns::spec).toList());
        final List<PlantedRuns.EncoderRuns> sorted = new ArrayList<>(reached);
        sorted.sort(Comparator.comparingDouble(PlantedRuns.EncoderRuns::bitsPerCoordinate));
        final List<double[]> front = new ArrayList<>();
        int fewest = Integer.MAX_VALUE;
        for (final PlantedRuns.EncoderRuns r : sorted) {
            if (r.best().iterations() < fewest) {
                fewest = r.best().iterations();
                front.add(new double[] {r.bitsPerCoordinate(), fewest});
            }
        }
        final XYSeries line = chart.addSeries("Pareto front", front.stream().mapToDouble(p -> p[0]).toArray(),
                front.stream().mapToDouble(p -> p[1]).toArray());
        style(line, new Style(new Color(0x999999), new BasicStroke(1.5f), SeriesMarkers.NONE), true, false);
        for (final PlantedRuns.EncoderRuns r : reached) {
            final XYSeries point = chart.addSeries(r.spec(), new double[] {r.bitsPerCoordinate()},
                    new double[] {r.best().iterations()});
            style(point, styles.get(r.spec()), false, true);
            point.setMarker(styles.get(r.spec()).marker());
        }
        chart.getStyler().setMarkerSize(11);
        label(chart);
        Charts.write(chart, file);
    }

    /** Relative error against the bits a coordinate each worker has sent, each encoder at its best step. */
    public static void errorAgainstBits(final List<PlantedRuns.EncoderRuns> runs, final String title,
                                        final Path file) throws IOException {
        final XYChart chart = chart(title, "bits sent per coordinate and worker (cumulative, headers included)",
                "relative error ||w - w*|| / ||w*||");
        final Map<String, Style> styles = styles(runs.stream().map(PlantedRuns.EncoderRuns::spec).toList());
        for (final PlantedRuns.EncoderRuns r : runs) {
            // from the first round on: at t = 0 nothing has been sent, which a log axis cannot show
            final int n = r.relativeError().length - 1;
            if (n < 1) {
                continue;
            }
            final double[] x = new double[n];
            final float[] y = new float[n];
            for (int t = 1; t <= n; t++) {
                x[t - 1] = r.bitsSent()[t];
                y[t - 1] = r.relativeError()[t];
            }
            final Charts.Series thinned = Charts.curve(r.spec(), x, y);
            style(chart.addSeries(r.spec(), thinned.x(), thinned.y()), styles.get(r.spec()), true, false);
        }
        chart.getStyler().setMarkerSize(0);
        label(chart);
        Charts.write(chart, file);
    }

    /**
     * Time to the target against the link's bandwidth, one line an encoder that reached it, error bars from the
     * timings' spread.
     */
    public static void timeAgainstBandwidth(final List<BandwidthModel.Round> rounds, final double[] bandwidths,
                                            final String title, final Path file) throws IOException {
        // in Mbit/s, so the decade labels read 10, 100, 1000 (a custom label formatter turns XChart's axis linear)
        final XYChart chart = chart(title, "link bandwidth, Mbit/s", "time to the target, seconds");
        final double[] megabits = new double[bandwidths.length];
        for (int i = 0; i < bandwidths.length; i++) {
            megabits[i] = bandwidths[i] / 1e6;
        }
        final Map<String, Style> styles = styles(rounds.stream().map(BandwidthModel.Round::spec).toList());
        for (final BandwidthModel.Round r : rounds) {
            final double[] y = new double[bandwidths.length];
            final double[] error = new double[bandwidths.length];
            for (int i = 0; i < bandwidths.length; i++) {
                y[i] = r.seconds(bandwidths[i]);
                error[i] = r.secondsError();
            }
            style(chart.addSeries(r.spec(), megabits, y, error), styles.get(r.spec()), true, false);
        }
        chart.getStyler().setMarkerSize(0);
        label(chart);
        Charts.write(chart, file);
    }

    /**
     * Each unbiased lossy encoder's measured variance factor (standard errors as bars) against the bound it states,
     * with the line measured = bound.
     */
    public static void varianceAgainstBound(final List<EncoderMeasurement> measured, final String title,
                                            final Path file) throws IOException {
        final List<EncoderMeasurement> shown = measured.stream()
                .filter(m -> m.unbiased() && m.bound() > 0 && m.varianceFactor() > 0).toList();
        final XYChart chart = chart(title, "stated bound on E||Q(g) - g||^2 / ||g||^2",
                "measured E||Q(g) - g||^2 / ||g||^2");
        final Map<String, Style> styles = styles(measured.stream().map(EncoderMeasurement::spec).toList());
        double low = Double.MAX_VALUE;
        double high = 0;
        for (final EncoderMeasurement m : shown) {
            low = Math.min(low, Math.min(m.bound(), m.varianceFactor()));
            high = Math.max(high, Math.max(m.bound(), m.varianceFactor()));
        }
        if (!shown.isEmpty()) {
            final XYSeries diagonal = chart.addSeries("measured = bound", new double[] {low / 2, high * 2},
                    new double[] {low / 2, high * 2});
            style(diagonal, new Style(new Color(0x999999), new BasicStroke(1.5f), SeriesMarkers.NONE), true, false);
        }
        for (final EncoderMeasurement m : shown) {
            final XYSeries point = chart.addSeries(m.spec(), new double[] {m.bound()},
                    new double[] {m.varianceFactor()}, new double[] {m.varianceError()});
            style(point, styles.get(m.spec()), false, true);
        }
        chart.getStyler().setMarkerSize(11);
        label(chart);
        Charts.write(chart, file);
    }
}
