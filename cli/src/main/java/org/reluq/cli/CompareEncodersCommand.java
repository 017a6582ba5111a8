package org.reluq.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.io.PrintWriter;
import org.reluq.cli.compare.BandwidthModel;
import org.reluq.cli.compare.EncoderFigures;
import org.reluq.cli.compare.EncoderMeasurement;
import org.reluq.cli.compare.GradientSample;
import org.reluq.cli.compare.PlantedRuns;
import org.reluq.cli.compare.TimeSpread;
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.encoder.Encoders;
import org.reluq.kernels.parallel.KernelPool;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code reluq compare}: encoders side by side on the same gradients (a planted-ReLU SGD trajectory or a user's
 * dump): bits a coordinate actually sent against the information in them, the measured variance factor against each
 * encoder's bound, a bias test, encode and decode time on one and on all threads; then quantized SGD on the planted
 * model with each encoder over a step grid, and time to accuracy against link bandwidth; written to OUT/encoders.md
 * with four figures in OUT/encoders/.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compare quantization encoders: on the same gradients, bits per coordinate sent (headers "
            + "included) against the information in them (the empirical entropy of what each sends), the measured "
            + "variance factor E||Q(g)-g||^2/||g||^2 against each encoder's bound, a bias test, and encode and decode "
            + "ns per coordinate on 1 and T threads (in-process; bench/'s EncoderBenchmark has JMH's figures); on "
            + "the planted model, iterations and bits to a target error at each encoder's best step of a grid with "
            + "K workers; time to accuracy against bandwidth, the fastest encoder at each bandwidth, and the "
            + "break-even bandwidth against fp32 and bf16. Writes OUT/encoders.md and OUT/encoders/*.png.", "",
            "Exit code: 0 done, 1 the work failed, 2 a bad option or input file."})
final class CompareEncodersCommand implements Callable<Integer> {

    /** Every encoder family, fp32 and the 16-bit baselines included. */
    static final String DEFAULT_ENCODERS = "fp32;bf16;fp16;qsgd:s=1,bucket=512;qsgd:s=4,bucket=512;"
            + "qsgd:s=4,bucket=512,code=elias;qsgd:s=1,bucket=512,code=rans;qsgd:s=4,bucket=512,norm=max,dither=16;"
            + "qsgd:s=6,bucket=512,levels=exp,code=rans;terngrad:bucket=512;natural;sign;ef(sign);topk:k=1%;"
            + "ef(topk:k=1%);randk:k=1%";

    /** The figures, in the order the report refers to them. */
    static final List<String> FIGURES = List.of("encoders/pareto.png", "encoders/error-against-bits.png",
            "encoders/time-against-bandwidth.png", "encoders/variance-against-bound.png");

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--encoders", paramLabel = "SPEC;SPEC;...",
            description = "Encoders to compare, ';' between specs; k=P% sets a sparsifier's k to P% of d "
                    + "(default: one of every family, fp32, bf16 and fp16 included).")
    String encoders = DEFAULT_ENCODERS;

    @Option(names = "--source", paramLabel = "planted|FILE",
            description = "planted (mini-batch gradients along a planted-ReLU SGD run, the default) or a gradient "
                    + "file: .npy of float32 or float16 in C order, shaped (d,) or (n, d), or raw little-endian "
                    + "float32. The training runs are on the planted model either way.")
    String source = "planted";

    @Option(names = "--dim", paramLabel = "D", description = "Row length of a raw float32 file (default: one row).")
    int dim;

    @Option(names = "--d", paramLabel = "D", description = "Dimension of the planted model (default: 1024).")
    int d = 1024;

    @Option(names = "--gradients", paramLabel = "R", description = "Gradients to measure on (default: 16).")
    Integer gradients;

    @Option(names = "--streams", paramLabel = "T",
            description = "Dither streams per gradient for the statistics (default: 200).")
    Integer streams;

    @Option(names = "--workers", paramLabel = "K",
            description = "Workers of the planted-model runs and the bandwidth model (default: 4).")
    int workers = 4;

    @Option(names = "--steps", paramLabel = "F,F,...", split = ",",
            description = "Step grid: multiples of each encoder's default step 1.5 m/(m+d)/(1+omega) "
                    + "(default: 0.5,1,2,4,8).")
    double[] steps;

    @Option(names = "--iters", paramLabel = "T", description = "Iteration budget of a run (default: 20000).")
    Integer iterations;

    @Option(names = "--target-error", paramLabel = "E",
            description = "Relative error ||w - w*|| / ||w*|| the runs go to (default: 1e-4).")
    double targetError = 1e-4;

    @Option(names = "--bandwidth", paramLabel = "B,B,...", split = ",",
            description = "Link bandwidths of the decision table, bit/s with an optional k, M, G or T "
                    + "(default: 10M,100M,1G,10G,100G); the figure spans them.")
    String[] bandwidth = {"10M", "100M", "1G", "10G", "100G"};

    @Option(names = "--latency", paramLabel = "US",
            description = "Latency a round pays, microseconds (default: 50).")
    double latencyMicros = 50;

    @Option(names = "--seed", description = "Seed of the planted model, its SGD runs and the dithers (default: 1).")
    long seed = 1;

    @Option(names = "--quick", description = "4 gradients, 100 streams, short timings, steps 1,2, 3000 iterations: "
            + "a smoke test.")
    boolean quick;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder of the report, created when missing "
            + "(default: results/compare).")
    Path out = Path.of("results", "compare");

    @Option(names = "--force", description = "Replace an encoders.md and figures already in --out.")
    boolean force;

    @Override
    public Integer call() {
        final CommandLine cli = spec.commandLine();
        final int rows = gradients != null ? gradients : quick ? 4 : 16;
        final int trials = streams != null ? streams : quick ? 100 : 200;
        final int budget = iterations != null ? iterations : quick ? 3000 : 20_000;
        final double[] grid = steps != null ? steps : quick ? new double[] {1, 2} : new double[] {0.5, 1, 2, 4, 8};
        if (rows < 1 || trials < 2 || d < 16 || d > 1 << 24 || dim < 0) {
            throw new CommandLine.ParameterException(cli, "--gradients " + rows + ", --streams " + trials + ", --d "
                    + d + ", --dim " + dim + ": need gradients >= 1, streams >= 2, 16 <= d <= 2^24, dim >= 0");
        }
        final int batch = 64;
        if (workers < 1 || workers > batch || budget < 1) {
            throw new CommandLine.ParameterException(cli, "--workers " + workers + ", --iters " + budget
                    + ": need 1 <= workers <= the batch of " + batch + " rows, iters >= 1");
        }
        for (final double f : grid) {
            if (!(f > 0) || Double.isInfinite(f)) {
                throw new CommandLine.ParameterException(cli, "--steps " + f + " is not a positive finite multiple");
            }
        }
        if (!(targetError > 0 && targetError < 1)) {
            throw new CommandLine.ParameterException(cli, "--target-error " + targetError + " is not in (0, 1)");
        }
        if (!(latencyMicros >= 0) || Double.isInfinite(latencyMicros)) {
            throw new CommandLine.ParameterException(cli, "--latency " + latencyMicros
                    + " is not a finite number of microseconds >= 0");
        }
        final double[] links = new double[bandwidth.length];
        for (int i = 0; i < links.length; i++) {
            try {
                links[i] = BandwidthModel.parse(bandwidth[i]);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cli, "--bandwidth " + e.getMessage());
            }
        }
        java.util.Arrays.sort(links);
        final List<String> specs = new ArrayList<>();
        for (final String part : encoders.split(";")) {
            if (!part.isBlank()) {
                specs.add(part.trim());
            }
        }
        if (specs.isEmpty()) {
            throw new CommandLine.ParameterException(cli, "--encoders '" + encoders + "' names no encoder");
        }
        OutputFiles.requireWritableFolder(cli, "--out", out);
        OutputFiles.requireNoReport(cli, out, "encoders.md", force);
        for (final String figure : FIGURES) {
            OutputFiles.requireNoReport(cli, out, figure, force);
        }
        final GradientSample sample;
        try {
            sample = source.equals("planted") ? GradientSample.planted(d, rows, 2000, seed)
                    : GradientSample.file(Path.of(source), dim, rows);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, "--source " + e.getMessage());
        }
        final List<Encoder> parsed = new ArrayList<>();
        final List<Encoder> planted = new ArrayList<>();
        for (final String s : specs) {
            try {
                parsed.add(Encoders.parse(withK(s, sample.dimension())));
                planted.add(Encoders.parse(withK(s, d)));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cli, "--encoders '" + s + "': " + e.getMessage());
            }
        }
        try {
            Files.createDirectories(out.resolve(FIGURES.getFirst()).getParent());
        } catch (IOException e) {
            cli.getErr().println("reluq compare: cannot create " + out.resolve("encoders") + " (" + e.getMessage()
                    + ")");
            return 1;
        }
        final ReportStamp stamp = ReportStamp.now("reluq " + String.join(" ", cli.getParseResult().originalArgs()));
        final PrintWriter console = cli.getOut();
        console.printf(Locale.ROOT, "gradients  %s%n", sample.source());
        final long timing = quick ? 10_000_000L : 300_000_000L;
        final int threads = Runtime.getRuntime().availableProcessors();
        final List<EncoderMeasurement> measured = new ArrayList<>();
        try (KernelPool pool = new KernelPool(threads)) {
            for (final Encoder encoder : parsed) {
                final EncoderMeasurement m = EncoderMeasurement.of(encoder, sample, trials, timing, pool);
                measured.add(m);
                console.printf(Locale.ROOT, "%-46s %7.3f bits (information %.3f)  variance %s  bias %s  "
                                + "encode %.2f ns  decode %.2f ns%n", m.spec(), m.bitsPerCoordinate(),
                        m.entropyPerCoordinate(), variance(m), EncodersReport.bias(m), m.encode().median(),
                        m.decode().median());
            }
        }
        final PlantedRuns.Settings settings = new PlantedRuns.Settings(d, workers, batch, grid, budget, targetError,
                seed);
        final List<PlantedRuns.EncoderRuns> runs = new ArrayList<>();
        final List<BandwidthModel.Round> rounds = new ArrayList<>();
        final TimeSpread compute;
        try (PlantedRuns model = PlantedRuns.generate(settings)) {
            compute = model.shareGradientNanos(timing);
            for (int i = 0; i < planted.size(); i++) {
                final PlantedRuns.EncoderRuns r = model.run(planted.get(i));
                runs.add(r);
                console.printf(Locale.ROOT, "%-46s %s%n", r.spec(), r.reached()
                        ? String.format(Locale.ROOT, "%d iterations to %.0e at step x%s, %.3f bits/coordinate",
                        r.best().iterations(), targetError, r.best().factor(), r.bitsPerCoordinate())
                        : String.format(Locale.ROOT, "did not reach %.0e in %d iterations at any step", targetError, budget));
                if (r.reached()) {
                    rounds.add(round(r, measured.get(i), compute, settings));
                }
            }
        }
        final String title = String.format(Locale.ROOT, "planted ReLU d = %d, K = %d, target %.0e", d, workers,
                targetError);
        final Path report = out.resolve("encoders.md");
        try {
            EncoderFigures.pareto(runs, "Bits against iterations, " + title, out.resolve(FIGURES.get(0)));
            EncoderFigures.errorAgainstBits(runs, "Error against bits sent, " + title, out.resolve(FIGURES.get(1)));
            final double high = Math.max(links[links.length - 1], links[0] * 10);
            // four points a decade: enough for the curves, few enough to read the error bars
            final int points = 1 + (int) Math.ceil(4 * Math.log10(high / links[0]));
            EncoderFigures.timeAgainstBandwidth(rounds, BandwidthModel.sweep(links[0], high, points), "Time to accuracy, " + title
                    + String.format(Locale.ROOT, ", latency %.3g us", latencyMicros), out.resolve(FIGURES.get(2)));
            EncoderFigures.varianceAgainstBound(measured, "Measured variance against bound, " + (source.equals(
                    "planted") ? "planted ReLU gradients, d = " + d : Path.of(source).getFileName().toString()),
                    out.resolve(FIGURES.get(3)));
            Files.writeString(report, new EncodersReport(stamp, sample, trials, measured, runs, settings, rounds,
                    compute, latencyMicros * 1000, links, FIGURES).markdown());
        } catch (IOException e) {
            cli.getErr().println("reluq compare: cannot write " + report + " or its figures (" + e.getMessage() + ")");
            return 1;
        }
        console.println("report     " + report);
        return 0;
    }

    /** The bandwidth model's round of an encoder: the run's frames, the measured times at the run's d. */
    private BandwidthModel.Round round(final PlantedRuns.EncoderRuns r, final EncoderMeasurement m,
                                       final TimeSpread compute, final PlantedRuns.Settings settings) {
        final int k = settings.workers();
        final double dd = settings.d();
        final double fixed = compute.median() + dd * m.encode().median() + k * dd * m.decode().median()
                + latencyMicros * 1000;
        final double spread = (compute.high() - compute.low()) / 2 + dd * (m.encode().high() - m.encode().low()) / 2
                + k * dd * (m.decode().high() - m.decode().low()) / 2;
        return new BandwidthModel.Round(r.spec(), r.best().iterations(), fixed, spread, r.bitsPerCoordinate() * dd,
                k);
    }

    /** A sparsifier's {@code k=P%} as the k of P% of d (at least 1). */
    static String withK(final String spec, final int d) {
        final java.util.regex.Matcher m = java.util.regex.Pattern.compile("k=([0-9.]+)%").matcher(spec);
        if (!m.find()) {
            return spec;
        }
        final double percent = Double.parseDouble(m.group(1));
        final long k = Math.max(1, Math.round(percent / 100 * d));
        return spec.substring(0, m.start()) + "k=" + Math.min(k, d) + spec.substring(m.end());
    }

    private static String variance(final EncoderMeasurement m) {
        final String measured = EncodersReport.number(m.varianceFactor()) + " ± "
                + EncodersReport.number(m.varianceError());
        return Double.isNaN(m.bound()) ? measured + " (biased: no bound)"
                : measured + " of bound " + EncodersReport.number(m.bound());
    }
}
