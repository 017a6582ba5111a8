package org.reluq.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.reluq.bench.suite.Suite;
import org.reluq.bench.suite.Workload;
import org.reluq.cli.Charts;

/**
 * Turns JMH results into {@code benchmarks.md} and its figures: per component a table (time per operation
 * with JMH's error, speed against the baseline measured in the same run, bandwidth and its fraction of the
 * roofline level the data stream from) and a bar chart; the roofline itself; a scaling figure over working
 * sets; thread scaling. Every number comes from the results passed in.
 */
public final class BenchReport {

    /** The parameter and value of a component's baseline row ({@link Suite}), or null when it has none. */
    static String[] baseline(final String component) {
        return Suite.of(component).filter(info -> info.baselineParam() != null)
                .map(info -> new String[] {info.baselineParam(), info.baselineValue()}).orElse(null);
    }

    /** A row's workload as its benchmark declares it ({@link Suite}), or null. */
    static Workload workload(final JmhResult r, final int lanes) {
        return Suite.of(r.component()).map(info -> info.workloadOf(r.params(), lanes)).orElse(null);
    }

    private static final String FIGURES = "benchmarks";

    private final List<JmhResult> results;
    private final Roofline roofline;
    private final int lanes;
    private final StringBuilder md = new StringBuilder();

    private BenchReport(final List<JmhResult> results, final int lanes) {
        this.results = results;
        this.lanes = lanes;
        this.roofline = Roofline.of(results);
    }

    /**
     * Writes {@code benchmarks.md} into {@code out} and its figures into {@code out/benchmarks/}.
     *
     * @param header the report's first lines (title, machine, command), markdown
     * @param lanes  float lanes of the vector species the run used (for the FMA probe's FLOPs)
     * @return the markdown file
     */
    public static Path write(final List<JmhResult> results, final String header, final int lanes, final Path out)
            throws IOException {
        final Path figures = Files.createDirectories(out.resolve(FIGURES));
        final BenchReport report = new BenchReport(results, lanes);
        report.md.append(header).append('\n');
        report.rooflineSection();
        for (final Map.Entry<String, List<JmhResult>> e : kernels(results).entrySet()) {
            report.component(e.getKey(), e.getValue(), figures);
        }
        report.scaling(figures);
        final Path file = out.resolve("benchmarks.md");
        Files.writeString(file, report.md);
        return file;
    }

    /** The markdown alone, for tests: tables without figures. */
    static String tables(final List<JmhResult> results, final int lanes) {
        final BenchReport report = new BenchReport(results, lanes);
        report.rooflineSection();
        kernels(results).forEach(report::table);
        return report.md.toString();
    }

    /** The results of every component but the roofline probes, by component in the order of the results. */
    private static Map<String, List<JmhResult>> kernels(final List<JmhResult> results) {
        final Map<String, List<JmhResult>> byComponent = new LinkedHashMap<>();
        for (final JmhResult r : results) {
            if (!r.component().equals("RooflineBenchmark") && !r.component().equals("FmaPeakBenchmark")) {
                byComponent.computeIfAbsent(r.component(), c -> new ArrayList<>()).add(r);
            }
        }
        return byComponent;
    }

    private void line(final String format, final Object... args) {
        md.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    private void rooflineSection() {
        line("## Roofline of this machine (measured in this run)");
        line("");
        if (roofline.levels().isEmpty() && roofline.peakFlops() == null) {
            line("RooflineBenchmark and FmaPeakBenchmark were not run: no roofline fractions below.");
            line("");
            return;
        }
        line("| limit | working set | measured |");
        line("|---|---|---|");
        for (final Roofline.Level level : roofline.levels()) {
            line("| read bandwidth, %s | %s | %.1f GB/s ± %.0f%% |", level.name(), bytes(level.workingSet()),
                    level.bytesPerSecond() / 1e9, 100 * level.relativeError());
        }
        final JmhResult fma = roofline.peakFlops();
        if (fma != null) {
            final Workload w = workload(fma, lanes);
            line("| FMA peak, 1 thread | registers | %.1f GFLOP/s ± %.0f%% |", w.flops() / fma.secondsPerOp() / 1e9,
                    100 * fma.relativeError());
        }
        line("");
    }

    private void component(final String component, final List<JmhResult> rows, final Path figures) throws IOException {
        table(component, rows);
        final String[] baseline = baseline(component);
        final String name = component.replace("Benchmark", "").toLowerCase(Locale.ROOT) + ".png";
        final List<String> labels = new ArrayList<>();
        final List<Double> values = new ArrayList<>();
        final List<Double> errors = new ArrayList<>();
        for (final JmhResult r : rows) {
            final JmhResult base = baseline == null ? null : find(rows, r, baseline[0], baseline[1]);
            if (baseline == null || base != null) {
                labels.add(label(r));
                final double value = base == null ? r.secondsPerOp() * 1e6 : base.secondsPerOp() / r.secondsPerOp();
                values.add(value);
                // JMH's 99.9% interval, relative errors combined for a ratio of two independent scores
                // (the baseline's own ratio is 1 exactly)
                final double relative = base == null ? r.relativeError()
                        : base == r ? 0 : Math.hypot(r.relativeError(), base.relativeError());
                // (none from a single measurement; capped below the value, so a bar stays above 0 on a log axis)
                errors.add(Double.isFinite(relative) ? Math.min(value * relative, 0.9 * value) : 0.0);
            }
        }
        if (labels.isEmpty()) {
            return;
        }
        // speed relative to the baseline keeps sizes comparable; a logarithmic axis when the bars span decades
        final double spread = values.stream().mapToDouble(Double::doubleValue).max().orElse(1)
                / values.stream().mapToDouble(Double::doubleValue).min().orElse(1);
        final boolean logarithmic = spread > 10;
        final CategoryChart chart = new CategoryChartBuilder().width(900).height(520)
                .title(component + (baseline == null ? ": time per operation" : ": speed vs " + baseline[0] + "="
                        + baseline[1]) + " (error bars: JMH 99.9% intervals)").xAxisTitle("")
                .yAxisTitle((baseline == null ? "µs per operation" : "baseline time / time (higher is faster)")
                        + (logarithmic ? ", log" : "")).build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setXAxisLabelRotation(60);
        chart.getStyler().setYAxisLogarithmic(logarithmic);
        if (logarithmic) {
            // bar charts start the axis at 0 unless told, which a log axis cannot show: from below the lowest bar
            double lowest = Double.POSITIVE_INFINITY;
            for (int i = 0; i < values.size(); i++) {
                lowest = Math.min(lowest, values.get(i) - errors.get(i));
            }
            chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(lowest))));
        }
        chart.addSeries(baseline == null ? "time" : "speed", labels, values, errors);
        Charts.write(chart, figures.resolve(name));
        line("![%s](%s/%s)", component, FIGURES, name);
        line("");
    }

    private void table(final String component, final List<JmhResult> rows) {
        final String[] baseline = baseline(component);
        line("## %s", component);
        line("");
        line("| %s | score | time per op | speed vs %s | GB/s | %% of roofline |", "parameters",
                baseline == null ? "baseline" : baseline[0] + "=" + baseline[1]);
        line("|---|---|---|---|---|---|");
        for (final JmhResult r : rows) {
            final JmhResult base = baseline == null ? null : find(rows, r, baseline[0], baseline[1]);
            final Workload w = workload(r, lanes);
            final double seconds = r.secondsPerOp();
            String bandwidth = "-";
            String fraction = "-";
            if (w != null && w.bytes() > 0) {
                final double bytesPerSecond = w.bytes() / seconds;
                bandwidth = String.format(Locale.ROOT, "%.1f", bytesPerSecond / 1e9);
                final Roofline.Level level = roofline.levelFor(w.workingSet(), Roofline.threads(r));
                if (level != null) {
                    fraction = String.format(Locale.ROOT, "%.0f%% of %s", 100 * bytesPerSecond / level.bytesPerSecond(),
                            level.name());
                }
            }
            line("| %s | %s | %s | %s | %s | %s |", label(r), score(r), time(seconds),
                    base == null ? "-" : String.format(Locale.ROOT, "%.2f×", base.secondsPerOp() / seconds), bandwidth,
                    fraction);
        }
        line("");
    }

    /** The row of {@code rows} with the same parameters as r except {@code param = value}, or null. */
    static JmhResult find(final List<JmhResult> rows, final JmhResult r, final String param, final String value) {
        final Map<String, String> wanted = new TreeMap<>(r.params());
        if (!wanted.containsKey(param)) {
            return null;
        }
        wanted.put(param, value);
        for (final JmhResult candidate : rows) {
            if (candidate.method().equals(r.method()) && candidate.params().equals(wanted)) {
                return candidate;
            }
        }
        return null;
    }

    private void scaling(final Path figures) throws IOException {
        final Map<String, TreeMap<Long, Double>> series = new LinkedHashMap<>();
        for (final Roofline.Level level : roofline.levels()) {
            if (level.threads() == 1) {
                series.computeIfAbsent("read probe (roofline)", k -> new TreeMap<>())
                        .put(level.workingSet(), level.bytesPerSecond() / 1e9);
            }
        }
        for (final JmhResult r : results) {
            final String impl = r.param("impl");
            final boolean scaled = switch (r.component()) {
                case "QuantizeBenchmark" -> "VECTOR".equals(impl) && "4".equals(r.param("s"))
                        && "none".equals(r.param("bucket"));
                case "ReluGradientBenchmark", "ReluForwardBenchmark" -> "VECTOR".equals(impl);
                default -> false;
            };
            if (scaled) {
                final Workload w = workload(r, lanes);
                series.computeIfAbsent(r.component().replace("Benchmark", "") + " VECTOR", k -> new TreeMap<>())
                        .put(w.workingSet(), w.bytes() / r.secondsPerOp() / 1e9);
            }
        }
        if (series.isEmpty()) {
            return;
        }
        final List<Charts.Series> lines = new ArrayList<>();
        series.forEach((name, points) -> lines.add(new Charts.Series(name,
                points.keySet().stream().mapToDouble(Long::doubleValue).toArray(),
                points.values().stream().mapToDouble(Double::doubleValue).toArray())));
        Charts.save(new Charts.Axes("Bytes read per second against the working set", "working set (bytes)", "GB/s",
                true, true), lines, true, figures.resolve("scaling.png"));
        line("## Scaling over working sets");
        line("");
        line("Bytes each kernel must read per second against the size of its data, beside the read probe at L2-, "
                + "L3- and DRAM-sized working sets: the cache transitions show as steps.");
        line("");
        line("![scaling](%s/scaling.png)", FIGURES);
        line("");
    }

    /** The parameters as {@code name=value} pairs (and the method when the class has several). */
    static String label(final JmhResult r) {
        final StringBuilder s = new StringBuilder();
        if (!List.of("gradient", "forward", "step", "quantize", "read", "fma", "generate").contains(r.method())) {
            s.append(r.method()).append(' ');
        }
        r.params().forEach((name, value) -> s.append(name).append('=').append(value).append(' '));
        return s.toString().trim().replace(';', ',');
    }

    private static String score(final JmhResult r) {
        return Double.isFinite(r.error())
                ? String.format(Locale.ROOT, "%.4g ± %.2g %s", r.score(), r.error(), r.unit())
                : String.format(Locale.ROOT, "%.4g %s", r.score(), r.unit());
    }

    static String time(final double seconds) {
        if (seconds >= 1e-3) {
            return String.format(Locale.ROOT, "%.3f ms", seconds * 1e3);
        }
        if (seconds >= 1e-6) {
            return String.format(Locale.ROOT, "%.2f µs", seconds * 1e6);
        }
        return String.format(Locale.ROOT, "%.3g ns", seconds * 1e9);
    }

    private static String bytes(final long bytes) {
        if (bytes >= 1L << 30) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= 1L << 20) {
            return (bytes >> 20) + " MiB";
        }
        return (bytes >> 10) + " KiB";
    }
}
