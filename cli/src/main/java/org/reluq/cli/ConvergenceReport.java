package org.reluq.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.reluq.verify.experiments.ConvergenceExperiments;
import org.reluq.verify.experiments.ConvergenceExperiments.QuantizedRun;
import org.reluq.verify.experiments.ConvergenceExperiments.Sizes;
import org.reluq.verify.experiments.Curve;
import org.reluq.verify.experiments.SampleComplexity;

/**
 * Writes {@code convergence.md} and, beside it in {@code convergence/}, the CSV files and PNG figures of a
 * reproduction: every number in the markdown comes from the runs passed in.
 */
final class ConvergenceReport {

    /** Everything one reproduction measured. */
    record Results(Sizes sizes, long seed, List<Curve> batchSizes, Map<Integer, List<SampleComplexity.Point>> samples,
                   Curve sgd, List<QuantizedRun> quantizers, List<QuantizedRun> bestSteps,
                   List<QuantizedRun> commonStep, List<QuantizedRun> sgdStep, List<Curve> steps, double seconds) {
    }

    private static final String FOLDER = "convergence";

    private final Results r;
    private final Path folder;
    private final StringBuilder md = new StringBuilder();

    private ConvergenceReport(final Results results, final Path folder) {
        this.r = results;
        this.folder = folder;
    }

    /** Writes the report into {@code out} (which must exist); returns the markdown file. */
    static Path write(final Results results, final ReportStamp stamp, final Path out) throws IOException {
        final Path folder = Files.createDirectories(out.resolve(FOLDER));
        final ConvergenceReport report = new ConvergenceReport(results, folder);
        report.header(stamp);
        report.batchSizes();
        report.sampleComplexity();
        report.quantizers();
        report.steps();
        final Path file = out.resolve("convergence.md");
        Files.writeString(file, report.md);
        return file;
    }

    private void line(final String format, final Object... args) {
        md.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    private void header(final ReportStamp stamp) {
        final Sizes s = r.sizes();
        line("# Convergence of SGD and quantized SGD on the planted ReLU model");
        line("");
        line("Made by `reluq reproduce` in %.0f s. Planted model: x_i ~ N(0, I_d), y_i = ReLU(<w*, x_i>), ||w*|| = 1, "
                + "n = 10 d unless said otherwise; every run starts at w = 0 and samples batches with replacement; "
                + "seed %d. Relative error = ||w - w*|| / ||w*||. Raw data and figures: [`%s/`](%s/).",
                r.seconds(), r.seed(), FOLDER, FOLDER);
        line("");
        md.append(stamp.markdown());
        line("");
        line("Sizes: d = %d and m = %d for (a), (c) and (d); QSGD buckets of %d; sample complexity at d in %s with %d "
                + "trials per point.", s.d(), s.batchSize(), s.bucket(), java.util.Arrays.toString(s.sampleDims()),
                s.trials());
        line("");
    }

    private void batchSizes() throws IOException {
        final int d = r.sizes().d();
        line("## (a) SGD: geometric convergence at every batch size");
        line("");
        final List<Charts.Series> series = new ArrayList<>();
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < r.batchSizes().size(); i++) {
            final Curve c = r.batchSizes().get(i);
            final float[] e = c.result().relativeError();
            series.add(Charts.curve(c.label(), Charts.iterations(e.length), e));
            if (c.fit() != null) {
                final int m = r.sizes().batchSizes()[i];
                final double x = m / ((double) m + d);
                sxy += x * (1 - c.fit().rho());
                sxx += x * x;
            }
        }
        final double cHat = sxy / sxx;
        figure("a-batch-size.png", new Charts.Axes("SGD, d = " + d + ", n = 10 d, step 1.5 m/(m+d)", "iteration",
                "relative error", false, true), series, false, "relative error against iteration");
        line("Fitted rate: least squares of ln(error) over the iterations from error 0.5 to %.0e. The form "
                + "rho = 1 - c m/(m+d) fitted to all batch sizes at once gives **c = %.3f**.",
                ConvergenceExperiments.DEEP_TARGET, cHat);
        line("");
        line("| m | step | iterations to %.0e | fitted rho | R^2 | c = (1 - rho)(m + d)/m | 1 - c m/(m+d) with c = %.3f |",
                ConvergenceExperiments.DEEP_TARGET, cHat);
        line("|---|---|---|---|---|---|---|");
        try (BufferedWriter csv = csv("a-batch-size.csv", "m,step,stop,iterations,rho,r2,c")) {
            for (int i = 0; i < r.batchSizes().size(); i++) {
                final Curve c = r.batchSizes().get(i);
                final int m = r.sizes().batchSizes()[i];
                final String fit = c.fit() == null ? "| - | - | - " : String.format(Locale.ROOT, "| %.6f | %.5f | %.3f ",
                        c.fit().rho(), c.fit().r2(), c.fit().c(m, d));
                line("| %d | %.5f | %s %s| %.6f |", m, c.step(), outcome(c), fit, 1 - cHat * m / ((double) m + d));
                csv.write(String.format(Locale.ROOT, "%d,%s,%s,%d,%s,%s,%s%n", m, c.step(), c.result().stopReason(),
                        c.result().iterations(), c.fit() == null ? "" : c.fit().rho(),
                        c.fit() == null ? "" : c.fit().r2(), c.fit() == null ? "" : c.fit().c(m, d)));
            }
        }
        curvesCsv("a-curves.csv", r.batchSizes());
        line("");
    }

    private void sampleComplexity() throws IOException {
        line("## (b) Sample complexity: recovery against n/d");
        line("");
        line("A trial draws a fresh model with n = ratio d samples and runs SGD (m = 16, step 1.5 m/(m+d)) from "
                + "w = 0 for %d (m + d)/m iterations; it recovers w* if the relative error reaches %.0e.",
                SampleComplexity.BUDGET_PER_RATE, SampleComplexity.TARGET);
        line("");
        final List<Charts.Series> series = new ArrayList<>();
        line("| d | n/d at 50%% recovery |");
        line("|---|---|");
        try (BufferedWriter csv = csv("b-sample-complexity.csv", "d,ratio,trials,successes")) {
            for (final Map.Entry<Integer, List<SampleComplexity.Point>> e : r.samples().entrySet()) {
                final List<SampleComplexity.Point> curve = e.getValue();
                final double[] x = new double[curve.size()];
                final double[] y = new double[curve.size()];
                for (int i = 0; i < curve.size(); i++) {
                    final SampleComplexity.Point p = curve.get(i);
                    x[i] = p.ratio();
                    y[i] = p.rate();
                    csv.write(String.format(Locale.ROOT, "%d,%s,%d,%d%n", e.getKey(), p.ratio(), p.trials(),
                            p.successes()));
                }
                series.add(new Charts.Series("d=" + e.getKey(), x, y));
                line("| %d | %.3f |", e.getKey(), SampleComplexity.halfway(curve));
            }
        }
        line("");
        figure("b-sample-complexity.png", new Charts.Axes("Recovery by SGD against n/d", "n / d",
                "fraction of trials recovered", false, false), series, true, "fraction recovered against n/d");
        line("Success rate per point (rows: d; columns: n/d):");
        line("");
        final StringBuilder head = new StringBuilder("| d |");
        final StringBuilder rule = new StringBuilder("|---|");
        for (final double ratio : r.sizes().ratios()) {
            head.append(String.format(Locale.ROOT, " %.2f |", ratio));
            rule.append("---|");
        }
        line("%s", head);
        line("%s", rule);
        for (final Map.Entry<Integer, List<SampleComplexity.Point>> e : r.samples().entrySet()) {
            final StringBuilder row = new StringBuilder("| " + e.getKey() + " |");
            for (final SampleComplexity.Point p : e.getValue()) {
                row.append(String.format(Locale.ROOT, " %.2f |", p.rate()));
            }
            line("%s", row);
        }
        line("");
    }

    private void quantizers() throws IOException {
        final int d = r.sizes().d();
        line("## (c) QSGD against SGD");
        line("");
        line("K workers split each batch of m = %d; each sends its share's gradient through the encoder, the "
                + "aggregator sums the decoded frames. Step rule: SGD's step 1.5 m/(m+d) divided by 1 + omega, "
                + "omega = min(b/s^2, sqrt(b)/s) the QSGD variance factor (b the bucket size, d for one norm). "
                + "Bits: every frame from the workers to the aggregator, 48-byte headers included, until the "
                + "target %.0e (per coordinate: divided by d, K and the iterations). SGD in one process (step %.5f): "
                + "%s iterations, fitted rho %s.", r.sizes().batchSize(), ConvergenceExperiments.TARGET,
                r.sgd().step(), outcome(r.sgd()), rho(r.sgd()));
        line("");
        try (BufferedWriter csv = csv("c-qsgd.csv",
                "experiment,levels,workers,bucket,code,omega,step_factor,step,stop,iterations,bits,rho,r2")) {
            line("### The lossless baseline: fp32 frames");
            line("");
            line("| K | step | iterations to %.0e | total bits | bits / coordinate |", ConvergenceExperiments.TARGET);
            line("|---|---|---|---|---|");
            for (final QuantizedRun run : r.quantizers()) {
                if (run.code().equals("fp32")) {
                    line("| %d | %.5f | %s | %s | %.2f |", run.workers(), run.curve().step(), outcome(run.curve()),
                            bits(run), perCoordinate(run, d));
                }
            }
            line("");
            ruleTable(d);
            line("");
            line("### Each quantizer at its best step (K = 4, packed; the rule's step times %s)",
                    java.util.Arrays.toString(r.sizes().bestStepFactors()));
            line("");
            line("| norm | s | omega | best factor | step | iterations to %.0e | total bits | fitted rho |",
                    ConvergenceExperiments.TARGET);
            line("|---|---|---|---|---|---|---|---|");
            for (final QuantizedRun run : r.bestSteps()) {
                line("| %s | %d | %.3f | %s | %.5f | %s | %s | %s |", norm(run), run.levels(), run.omega(),
                        run.factor(), run.curve().step(), outcome(run.curve()), bits(run), rho(run.curve()));
            }
            line("");
            line("### At SGD's step (K = 4, packed)");
            line("");
            line("| norm | s | omega | step | outcome |");
            line("|---|---|---|---|---|");
            for (final QuantizedRun run : r.sgdStep()) {
                line("| %s | %d | %.3f | %.5f | %s |", norm(run), run.levels(), run.omega(), run.curve().step(),
                        outcome(run.curve()));
            }
            line("");
            line("### At one common step (the rule's step for s = %d, one norm; K = 4, packed)", r.sizes().levels()[0]);
            line("");
            line("| s | omega | step | iterations to %.0e | total bits | fitted rho |", ConvergenceExperiments.TARGET);
            line("|---|---|---|---|---|---|");
            for (final QuantizedRun run : r.commonStep()) {
                line("| %d | %.3f | %.5f | %s | %s | %s |", run.levels(), run.omega(), run.curve().step(),
                        outcome(run.curve()), bits(run), rho(run.curve()));
            }
            for (final List<QuantizedRun> runs : List.of(r.quantizers(), r.bestSteps(), r.sgdStep(), r.commonStep())) {
                final String experiment = runs == r.quantizers() ? "rule" : runs == r.bestSteps() ? "best"
                        : runs == r.sgdStep() ? "sgd-step" : "common";
                for (final QuantizedRun run : runs) {
                    final Curve c = run.curve();
                    csv.write(String.format(Locale.ROOT, "%s,%d,%d,%d,%s,%s,%s,%s,%s,%d,%d,%s,%s%n", experiment,
                            run.levels(), run.workers(), run.bucket(), run.code(), run.omega(), run.factor(), c.step(),
                            c.result().stopReason(), c.result().iterations(), run.bits(),
                            c.fit() == null ? "" : c.fit().rho(), c.fit() == null ? "" : c.fit().r2()));
                }
            }
        }
        line("");
        quantizerFigures(d);
    }

    /** The step-rule runs, packed and Elias side by side (they quantize identically; checked here). */
    private void ruleTable(final int d) {
        final double sgdRate = r.sgd().fit() == null ? Double.NaN : 1 - r.sgd().fit().rho();
        line("### At the step rule: every s, K and norm");
        line("");
        line("| norm | s | K | omega | step | iterations to %.0e | bits, packed | bits, Elias | bits / coordinate, "
                + "packed | bits / coordinate, Elias | fitted rho | (1 - rho) / (1 - rho_SGD) | 1 / (1 + omega) |",
                ConvergenceExperiments.TARGET);
        line("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        int pairs = 0;
        int identical = 0;
        QuantizedRun cheapest = null;
        for (final QuantizedRun packed : r.quantizers()) {
            if (!packed.code().equals("packed")) {
                continue;
            }
            final QuantizedRun elias = r.quantizers().stream().filter(e -> e.code().equals("elias")
                    && e.levels() == packed.levels() && e.workers() == packed.workers()
                    && e.bucket() == packed.bucket()).findFirst().orElseThrow();
            pairs++;
            if (java.util.Arrays.equals(packed.curve().result().relativeError(), elias.curve().result().relativeError())) {
                identical++;
            }
            if (elias.curve().reachedTarget() && (cheapest == null || elias.bits() < cheapest.bits())) {
                cheapest = elias;
            }
            final Curve c = packed.curve();
            line("| %s | %d | %d | %.3f | %.5f | %s | %s | %s | %.3f | %.3f | %s | %s | %.3f |", norm(packed),
                    packed.levels(), packed.workers(), packed.omega(), c.step(), outcome(c), bits(packed), bits(elias),
                    perCoordinate(packed, d), perCoordinate(elias, d), rho(c),
                    c.fit() == null ? "-" : String.format(Locale.ROOT, "%.3f", (1 - c.fit().rho()) / sgdRate),
                    1 / (1 + packed.omega()));
        }
        line("");
        line("Packed and Elias runs of the same setting gave identical curves in %d of %d settings (the same dithers "
                + "give the same quantized gradient; only its encoding differs).", identical, pairs);
        if (cheapest != null) {
            line("Fewest bits to %.0e: %s with K = %d (%s bits).", ConvergenceExperiments.TARGET,
                    ConvergenceExperiments.encoder(cheapest.levels(), cheapest.bucket(), "elias").spec(),
                    cheapest.workers(), bits(cheapest));
        }
    }

    /**
     * Per norm (one, buckets), K = 4: error against iteration (packed; Elias runs are identical) and against
     * bits sent (packed, Elias, fp32); and, for s = 4 with one norm and Elias, error against bits for every K.
     */
    private void quantizerFigures(final int d) throws IOException {
        final Set<Curve> plotted = new LinkedHashSet<>();
        final float[] sgdError = r.sgd().result().relativeError();
        for (final int bucket : new int[] {0, r.sizes().bucket()}) {
            final String norm = bucket == 0 ? "one norm" : "buckets of " + bucket;
            final String suffix = bucket == 0 ? "one" : "bucket" + bucket;
            final List<Charts.Series> byIteration = new ArrayList<>();
            final List<Charts.Series> byBits = new ArrayList<>();
            byIteration.add(Charts.curve("SGD", Charts.iterations(sgdError.length), sgdError));
            for (final QuantizedRun run : r.quantizers()) {
                final boolean fp32 = run.code().equals("fp32");
                if (run.workers() != 4 || (!fp32 && run.bucket() != bucket)) {
                    continue;
                }
                final float[] e = run.curve().result().relativeError();
                if (run.code().equals("packed")) {
                    byIteration.add(Charts.curve(run.curve().label(), Charts.iterations(e.length), e));
                }
                byBits.add(bitsSeries(run));
                plotted.add(run.curve());
            }
            figure("c-qsgd-iterations-" + suffix + ".png", new Charts.Axes("QSGD (K = 4, " + norm
                    + ", step rule) and SGD, d = " + d, "iteration", "relative error", false, true), byIteration, false,
                    "relative error against iteration, " + norm);
            figure("c-qsgd-bits-" + suffix + ".png", new Charts.Axes("QSGD (K = 4, " + norm + ", step rule): error "
                    + "against bits sent, d = " + d, "bits sent by the workers", "relative error", true, true), byBits,
                    false, "relative error against bits communicated, " + norm);
        }
        final List<Charts.Series> byWorkers = new ArrayList<>();
        for (final QuantizedRun run : r.quantizers()) {
            if (run.levels() == 4 && run.bucket() == 0 && run.code().equals("elias")) {
                byWorkers.add(bitsSeries(run));
                plotted.add(run.curve());
            }
        }
        figure("c-qsgd-workers.png", new Charts.Axes("QSGD s = 4, one norm, Elias: error against bits for every K, d = "
                + d, "bits sent by the workers", "relative error", true, true), byWorkers, false,
                "relative error against bits communicated for K = " + Arrays.toString(r.sizes().workers()));
        plotted.add(r.sgd());
        curvesCsv("c-curves.csv", plotted);
    }

    private static Charts.Series bitsSeries(final QuantizedRun run) {
        final long[] bytes = run.curve().result().wireBytes();
        final double[] bits = new double[bytes.length];
        for (int t = 0; t < bytes.length; t++) {
            bits[t] = Math.max(1, 8.0 * bytes[t]);
        }
        return Charts.curve(run.curve().label(), bits, run.curve().result().relativeError());
    }

    private static String norm(final QuantizedRun run) {
        return run.bucket() == 0 ? "one" : "bucket " + run.bucket();
    }

    private static String bits(final QuantizedRun run) {
        return run.curve().reachedTarget() ? String.format(Locale.ROOT, "%.4g", (double) run.bits()) : "-";
    }

    private static double perCoordinate(final QuantizedRun run, final int d) {
        final long iterations = run.curve().result().iterations();
        return iterations == 0 ? 0 : (double) run.bits() / ((double) iterations * run.workers() * d);
    }

    private static String rho(final Curve c) {
        return c.fit() == null ? "-" : String.format(Locale.ROOT, "%.6f", c.fit().rho());
    }

    private void steps() throws IOException {
        final int d = r.sizes().d();
        final int m = r.sizes().batchSize();
        line("## (d) SGD: the rate against the step");
        line("");
        line("Step = c m/(m+d) with d = %d, m = %d; each run has a budget of %d iterations and a target of %.0e.",
                d, m, ConvergenceExperiments.stepBudget(r.sizes()), ConvergenceExperiments.TARGET);
        line("");
        line("| c | step | outcome | fitted rho | 1 - rho |");
        line("|---|---|---|---|---|");
        final List<Double> xs = new ArrayList<>();
        final List<Double> ys = new ArrayList<>();
        try (BufferedWriter csv = csv("d-step.csv", "c,step,stop,iterations,rho,r2")) {
            for (int i = 0; i < r.steps().size(); i++) {
                final Curve c = r.steps().get(i);
                final double multiplier = r.sizes().stepMultipliers()[i];
                line("| %s | %.5f | %s | %s | %s |", multiplier, c.step(), outcome(c),
                        c.fit() == null ? "-" : String.format(Locale.ROOT, "%.6f", c.fit().rho()),
                        c.fit() == null ? "-" : String.format(Locale.ROOT, "%.3g", 1 - c.fit().rho()));
                if (c.fit() != null && c.fit().rho() < 1) {
                    xs.add(multiplier);
                    ys.add(1 - c.fit().rho());
                }
                csv.write(String.format(Locale.ROOT, "%s,%s,%s,%d,%s,%s%n", multiplier, c.step(),
                        c.result().stopReason(), c.result().iterations(), c.fit() == null ? "" : c.fit().rho(),
                        c.fit() == null ? "" : c.fit().r2()));
            }
        }
        line("");
        figure("d-step.png", new Charts.Axes("SGD rate against the step c m/(m+d), d = " + d + ", m = " + m,
                "c", "1 - fitted rho (per-iteration decrease of ln error)", false, false),
                List.of(new Charts.Series("1 - rho", toArray(xs), toArray(ys))), true,
                "1 - rho against the step multiplier c (runs that diverged or did not reach error 0.5 are left out)");
    }

    private static double[] toArray(final List<Double> values) {
        final double[] a = new double[values.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = values.get(i);
        }
        return a;
    }

    private static String outcome(final Curve c) {
        return switch (c.result().stopReason()) {
            case TARGET_REACHED -> Integer.toString(c.result().iterations());
            case MAX_ITERATIONS -> String.format(Locale.ROOT, "not within %d (error %.3g)", c.result().iterations(),
                    c.result().finalRelativeError());
            case DIVERGED -> "diverged at " + c.result().iterations();
        };
    }

    private void figure(final String name, final Charts.Axes axes, final List<Charts.Series> series,
                        final boolean markers, final String caption) throws IOException {
        Charts.save(axes, series, markers, folder.resolve(name));
        line("![%s](%s/%s)", caption, FOLDER, name);
        line("");
    }

    private BufferedWriter csv(final String name, final String header) throws IOException {
        final BufferedWriter out = Files.newBufferedWriter(folder.resolve(name));
        out.write(header);
        out.write('\n');
        return out;
    }

    /** The curves, thinned as the figures are, as {@code label,iteration,relative_error,wire_bytes}. */
    private void curvesCsv(final String name, final Collection<Curve> curves) throws IOException {
        try (BufferedWriter csv = csv(name, "label,iteration,relative_error,wire_bytes")) {
            for (final Curve c : curves) {
                final float[] e = c.result().relativeError();
                final long[] bytes = c.result().wireBytes();
                final int stride = Math.max(1, (e.length + Charts.MAX_POINTS - 1) / Charts.MAX_POINTS);
                for (int t = 0; t < e.length; t += stride) {
                    csv.write(c.label() + "," + t + "," + e[t] + "," + bytes[t] + "\n");
                }
                if ((e.length - 1) % stride != 0) {
                    csv.write(c.label() + "," + (e.length - 1) + "," + e[e.length - 1] + "," + bytes[e.length - 1] + "\n");
                }
            }
        }
    }
}
