package org.reluq.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.reluq.cli.compare.BandwidthModel;
import org.reluq.cli.compare.EncoderMeasurement;
import org.reluq.cli.compare.GradientSample;
import org.reluq.cli.compare.PlantedRuns;
import org.reluq.cli.compare.TimeSpread;
import org.reluq.kernels.sgd.StopReason;

/**
 * The markdown of {@code reluq compare}: what each encoder sends, the planted-model runs, time to accuracy against
 * bandwidth with the decision and break-even tables, and the figures, each with how to reproduce it.
 *
 * @param stamp        machine, JDK, commit and command
 * @param sample       the gradients the encoders were measured on
 * @param streams      dither streams a gradient
 * @param measurements one an encoder
 * @param runs         the planted-model runs, one an encoder, in the same order
 * @param rounds       the bandwidth model's round of every encoder that reached the target
 * @param shareGradient one worker's gradient time (whole share), nanoseconds
 * @param latencyNanos the latency a round pays
 * @param bandwidths   the decision table's bandwidths, bit/s
 * @param figures      the figures' paths relative to the report, in the order pareto, error/bits, time/bandwidth,
 *                     variance/bound
 */
record EncodersReport(ReportStamp stamp, GradientSample sample, int streams, List<EncoderMeasurement> measurements,
                      List<PlantedRuns.EncoderRuns> runs, PlantedRuns.Settings settings,
                      List<BandwidthModel.Round> rounds, TimeSpread shareGradient, double latencyNanos,
                      double[] bandwidths, List<String> figures) {

    String markdown() {
        final StringBuilder md = new StringBuilder();
        md.append("# Encoders compared: bits, information, variance, speed and time to accuracy\n\n")
                .append(stamp.markdown()).append('\n');
        md.append("**Reproduce** every table and figure below: `").append(stamp.command()).append("` at commit ")
                .append(stamp.commit()).append(" (with `--force` to replace these files, or another `--out`; seed ").append(settings.seed()).append(" for the model, its SGD ")
                .append("runs and the dithers). It writes this file and the figures ")
                .append(figures.stream().map(f -> "`" + f + "`").collect(Collectors.joining(", ")))
                .append(". Counts (bits, information, variance, iterations) are the same on every run of a commit; ")
                .append("timings are this machine's, in this process, and drift with the load.\n\n");
        sends(md);
        planted(md);
        bandwidth(md);
        md.append("## Measured variance against the stated bound\n\n")
                .append("Each unbiased lossy encoder's measured factor (bars: its standard error) against the bound ")
                .append("its `varianceFactor` states; every point should sit on or below the grey line. fp32 ")
                .append("(exact) and the biased encoders (deterministic roundings, sign, top-k, error feedback) ")
                .append("have no point.\n\n")
                .append("![variance against bound](").append(figures.get(3)).append(")\n");
        return md.toString();
    }

    private void sends(final StringBuilder md) {
        final int threads = measurements.getFirst().threads();
        md.append("## What each encoder sends\n\n").append("Gradients: ").append(sample.source()).append(". ")
                .append(streams).append(" dither streams per gradient, a fresh state per frame (a stateful ")
                .append("encoder's first round).\n\n")
                .append("- **bits**: frame bits per coordinate, the 48-byte header included.\n")
                .append("- **information**: what those frames say, per coordinate: each coded stream's order-0 ")
                .append("empirical entropy (QSGD's codes `level << 1 | sign` whatever the code, a float's sign and ")
                .append("exponent, sign bits) over the frames of the first ")
                .append(EncoderMeasurement.TALLIED_STREAMS)
                .append(" streams of every gradient, plus the fields sent as they are (header, norms, kept ")
                .append("values' fractions; a top-k index set as log2 C(d, k)). **overhead** = bits - information: ")
                .append("what a better code of the same message could save.\n")
                .append("- **variance**: E||Q(g) - g||^2 / ||g||^2 over every gradient and stream, ± its standard ")
                .append("error, against the bound the encoder states.\n")
                .append("- **bias**: the z-score of the mean error along the signs of the first gradient (negative: ")
                .append("shrinks towards 0); an unbiased encoder's |z| exceeds the limit with probability 0.001.\n")
                .append("- **times**: ns per coordinate, median of single calls after a warm-up of 3000 calls, in ")
                .append("this process; on ").append(threads).append(" threads one encode is spread over the pool ")
                .append("and ").append(threads).append(" frames are decoded at once, one a thread (time per ")
                .append("coordinate of all frames); at small d the hand-off to the pool's threads (tens of ")
                .append("microseconds) outweighs the work, and those columns show that cost rather than a speed-up. ")
                .append("A row far above JMH's ")
                .append("`EncoderBenchmark` (bench/), which has the precise figures, is this process's compile of ")
                .append("that kernel: rerun.\n\n");
        md.append("| encoder | bits | information | overhead | variance (measured) | bound | bias | encode | decode "
                + "| encode, " + threads + " threads | decode, " + threads + " threads |\n"
                + "|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (final EncoderMeasurement m : measurements) {
            md.append(String.format(Locale.ROOT, "| `%s` | %.3f | %.3f | %.3f | %s ± %s | %s | %s | %s | %s | %s | %s |%n",
                    m.spec(), m.bitsPerCoordinate(), m.entropyPerCoordinate(),
                    m.bitsPerCoordinate() - m.entropyPerCoordinate(), number(m.varianceFactor()),
                    number(m.varianceError()), Double.isNaN(m.bound()) ? "–" : number(m.bound()), bias(m),
                    nanos(m.encode()), nanos(m.decode()), nanos(m.encodeOnThreads()), nanos(m.decodeOnThreads())));
        }
        md.append('\n');
    }

    private void planted(final StringBuilder md) {
        final int d = settings.d();
        md.append("## Iterations and bits to relative error ").append(scientific(settings.target()))
                .append(" on the planted model\n\n")
                .append(String.format(Locale.ROOT, "Planted ReLU, d = %d, n = %d, ||w*|| = 1, seed %d; quantized SGD "
                        + "from the moment init with mini-batches of %d rows split over K = %d workers, each "
                        + "sending one frame a round; at most %d iterations. Step grid: %s times each encoder's "
                        + "default step 1.5 m / (m + d) / (1 + omega); the best step is the one that reached the "
                        + "target in the fewest iterations. *Edge*: the best step is at the grid's end, so a wider "
                        + "grid might do better.%n%n", d, 10 * d, settings.seed(), settings.batch(),
                        settings.workers(), settings.budget(), factors()));
        md.append("| encoder | best step | iterations | bits / coordinate / worker / iteration | total Mbit "
                + "(all workers) | every step of the grid |\n|---|---|---|---|---|---|\n");
        for (final PlantedRuns.EncoderRuns r : runs) {
            md.append(String.format(Locale.ROOT, "| `%s` | %.4g (x%s)%s | %s | %.3f | %s | %s |%n", r.spec(),
                    r.best().step(), trim(r.best().factor()), r.bestAtGridEdge() ? " edge" : "",
                    r.reached() ? Integer.toString(r.best().iterations())
                            : r.best().stop() == StopReason.DIVERGED ? "diverged at every step"
                            : "not reached (" + String.format(Locale.ROOT, "%.3g",
                            r.relativeError()[r.best().iterations()]) + " after " + r.best().iterations() + ")",
                    r.bitsPerCoordinate(), r.reached() ? String.format(Locale.ROOT, "%.3f", r.totalBits() / 1e6) : "–",
                    r.grid().stream().map(p -> "x" + trim(p.factor()) + ": " + switch (p.stop()) {
                        case TARGET_REACHED -> Integer.toString(p.iterations());
                        case MAX_ITERATIONS -> "> " + p.iterations();
                        case DIVERGED -> p.refusal() == null ? "diverged" : "diverged (encoder refused a gradient)";
                    }).collect(Collectors.joining(", "))));
        }
        md.append('\n');
        md.append("![Pareto front](").append(figures.get(0)).append(")\n\n")
                .append("Bits per coordinate (x) against iterations to the target (y), one point an encoder that ")
                .append("reached it; the grey line joins the encoders no other beats on both.\n\n")
                .append("![error against bits](").append(figures.get(1)).append(")\n\n")
                .append("Relative error against the bits each worker has sent per coordinate, every encoder at its ")
                .append("best step.\n\n");
    }

    private void bandwidth(final StringBuilder md) {
        final int k = settings.workers();
        md.append("## Time to accuracy against link bandwidth\n\n")
                .append(String.format(Locale.ROOT, "A model of one round for K = %d workers that all-gather their "
                        + "frames: each worker computes its share's gradient (%d rows: %s µs measured), encodes it, "
                        + "receives the other K - 1 frames over its own link of bandwidth B, decodes all K on one "
                        + "thread and steps; a round also pays a latency of %s µs. Time to the target = iterations x "
                        + "(compute + encode + K decodes + latency + (K - 1) frame bits / B), the iterations and frame "
                        + "bits from the runs above, encode and decode from the first table (times d = %d). Error "
                        + "bars: half the interquartile range of the timed parts, over every round. The w every "
                        + "worker holds stays in step without being sent.%n%n", k, Math.max(1, settings.batch() / k),
                        micro(shareGradient.median()), micro(latencyNanos), settings.d()));
        if (rounds.isEmpty()) {
            md.append("No encoder reached the target, so there is no time to accuracy.\n\n");
            return;
        }
        md.append("![time against bandwidth](").append(figures.get(2)).append(")\n\n");
        md.append("| bandwidth | fastest | time to target | runner-up | margin | fp32 | bf16 |\n"
                + "|---|---|---|---|---|---|---|\n");
        final Optional<BandwidthModel.Round> fp32 = round("fp32");
        final Optional<BandwidthModel.Round> bf16 = round("bf16");
        for (final double b : bandwidths) {
            final List<BandwidthModel.Round> ranked = new ArrayList<>(rounds);
            ranked.sort(Comparator.comparingDouble(r -> r.seconds(b)));
            final BandwidthModel.Round first = ranked.getFirst();
            final String runnerUp = ranked.size() < 2 ? "–" : "`" + ranked.get(1).spec() + "` ("
                    + seconds(ranked.get(1).seconds(b)) + ")";
            final String margin = ranked.size() < 2 ? "–"
                    : String.format(Locale.ROOT, "%.2fx", ranked.get(1).seconds(b) / first.seconds(b));
            md.append(String.format(Locale.ROOT, "| %s | `%s` | %s | %s | %s | %s | %s |%n",
                    BandwidthModel.format(b), first.spec(), seconds(first.seconds(b)), runnerUp, margin,
                    fp32.map(r -> seconds(r.seconds(b))).orElse("–"), bf16.map(r -> seconds(r.seconds(b))).orElse("–")));
        }
        md.append("\nMargin: the runner-up's time over the fastest's.\n\n");
        md.append("| encoder | compute + encode + K decodes + latency, µs a round | frame bits | against fp32 "
                + "| against bf16 |\n|---|---|---|---|---|\n");
        for (final BandwidthModel.Round r : rounds) {
            md.append(String.format(Locale.ROOT, "| `%s` | %s ± %s | %.0f | %s | %s |%n", r.spec(),
                    micro(r.fixedNanos()), micro(r.spreadNanos()), r.frameBits(),
                    fp32.map(f -> breakEven(r, f)).orElse("–"), bf16.map(f -> breakEven(r, f)).orElse("–")));
        }
        md.append("\nBreak-even: the bandwidth at which the encoder's time to the target equals the baseline's, "
                + "and on which side it is faster.\n\n");
    }

    private Optional<BandwidthModel.Round> round(final String spec) {
        return rounds.stream().filter(r -> r.spec().equals(spec)).findFirst();
    }

    private static String breakEven(final BandwidthModel.Round r, final BandwidthModel.Round baseline) {
        if (r.spec().equals(baseline.spec())) {
            return "–";
        }
        final BandwidthModel.BreakEven e = BandwidthModel.breakEven(r, baseline);
        return switch (e.kind()) {
            case ALWAYS -> "faster on every link";
            case NEVER -> "never faster";
            case BELOW -> "faster below " + BandwidthModel.format(e.bandwidth());
            case ABOVE -> "faster above " + BandwidthModel.format(e.bandwidth());
        };
    }

    private String factors() {
        final List<String> out = new ArrayList<>();
        for (final double f : settings.stepFactors()) {
            out.add(trim(f));
        }
        return String.join(", ", out);
    }

    private static String trim(final double x) {
        return x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x);
    }

    private static String scientific(final double x) {
        return String.format(Locale.ROOT, "%.0e", x).replace("e-0", "e-");
    }

    private static String micro(final double nanos) {
        return String.format(Locale.ROOT, "%.3g", nanos / 1000);
    }

    private static String seconds(final double s) {
        return String.format(Locale.ROOT, "%.3g s", s);
    }

    private static String nanos(final TimeSpread t) {
        return t == null ? "–" : String.format(Locale.ROOT, "%.3g", t.median());
    }

    /** Four significant digits, and 0 as 0. */
    static String number(final double x) {
        return x == 0 ? "0" : String.format(Locale.ROOT, "%.4g", x);
    }

    static String bias(final EncoderMeasurement m) {
        if (!m.unbiased()) {
            return Double.isNaN(m.biasZ()) ? "biased by design (deterministic)"
                    : String.format(Locale.ROOT, "biased by design (z %.1f)", m.biasZ());
        }
        if (Double.isNaN(m.biasZ())) {
            return "exact (no dithers)";
        }
        return String.format(Locale.ROOT, "z %.2f (%s: |z| < %.2f)", m.biasZ(),
                Math.abs(m.biasZ()) < m.biasZLimit() ? "passes" : "FAILS", m.biasZLimit());
    }
}
