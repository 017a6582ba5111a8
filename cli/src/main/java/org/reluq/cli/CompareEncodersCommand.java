package org.reluq.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.reluq.cli.compare.EncoderMeasurement;
import org.reluq.cli.compare.GradientSample;
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.encoder.Encoders;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code reluq compare}: encoders side by side on the same gradients (a planted-ReLU SGD trajectory or a user's
 * dump): bits a coordinate actually sent, the measured variance factor against each encoder's bound, a bias test,
 * and encode and decode time a coordinate; written to OUT/encoders.md.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compare quantization encoders on the same gradients: bits per coordinate sent (headers "
            + "included), the measured variance factor E||Q(g)-g||^2/||g||^2 against each encoder's bound, a bias "
            + "test (the z-score of the mean error along the gradient's signs over dither streams), and encode and "
            + "decode ns per coordinate on one thread (in-process; bench/'s EncoderBenchmark has JMH's figures). "
            + "Writes OUT/encoders.md.", "",
            "Exit code: 0 done, 1 the work failed, 2 a bad option or input file."})
final class CompareEncodersCommand implements Callable<Integer> {

    /** Every encoder family, fp32 and the 16-bit baselines included. */
    static final String DEFAULT_ENCODERS = "fp32;bf16;fp16;qsgd:s=1,bucket=512;qsgd:s=4,bucket=512;"
            + "qsgd:s=4,bucket=512,code=elias;qsgd:s=1,bucket=512,code=rans;qsgd:s=4,bucket=512,norm=max,dither=16;"
            + "qsgd:s=6,bucket=512,levels=exp,code=rans;terngrad:bucket=512;natural;sign;ef(sign);topk:k=1%;"
            + "ef(topk:k=1%);randk:k=1%";

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--encoders", paramLabel = "SPEC;SPEC;...",
            description = "Encoders to compare, ';' between specs; k=P% sets a sparsifier's k to P% of d "
                    + "(default: one of every family, fp32, bf16 and fp16 included).")
    String encoders = DEFAULT_ENCODERS;

    @Option(names = "--source", paramLabel = "planted|FILE",
            description = "planted (mini-batch gradients along a planted-ReLU SGD run, the default) or a gradient "
                    + "file: .npy of float32 or float16 in C order, shaped (d,) or (n, d), or raw little-endian "
                    + "float32.")
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

    @Option(names = "--seed", description = "Seed of the planted model and its SGD run (default: 1).")
    long seed = 1;

    @Option(names = "--quick", description = "4 gradients, 100 streams, short timings: a smoke test.")
    boolean quick;

    @Option(names = "--out", paramLabel = "DIR", description = "Folder of the report, created when missing "
            + "(default: results/compare).")
    Path out = Path.of("results", "compare");

    @Option(names = "--force", description = "Replace an encoders.md already in --out.")
    boolean force;

    @Override
    public Integer call() {
        final CommandLine cli = spec.commandLine();
        final int rows = gradients != null ? gradients : quick ? 4 : 16;
        final int trials = streams != null ? streams : quick ? 100 : 200;
        if (rows < 1 || trials < 2 || d < 16 || d > 1 << 24 || dim < 0) {
            throw new CommandLine.ParameterException(cli, "--gradients " + rows + ", --streams " + trials + ", --d "
                    + d + ", --dim " + dim + ": need gradients >= 1, streams >= 2, 16 <= d <= 2^24, dim >= 0");
        }
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
        final GradientSample sample;
        try {
            sample = source.equals("planted") ? GradientSample.planted(d, rows, 2000, seed)
                    : GradientSample.file(Path.of(source), dim, rows);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cli, "--source " + e.getMessage());
        }
        final int dimension = sample.dimension();
        final List<Encoder> parsed = new ArrayList<>();
        for (final String s : specs) {
            try {
                parsed.add(Encoders.parse(withK(s, dimension)));
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(cli, "--encoders '" + s + "': " + e.getMessage());
            }
        }
        final ReportStamp stamp = ReportStamp.now("reluq " + String.join(" ", cli.getParseResult().originalArgs()));
        final java.io.PrintWriter console = cli.getOut();
        console.printf(Locale.ROOT, "gradients  %s%n", sample.source());
        final List<EncoderMeasurement> results = new ArrayList<>();
        final long timing = quick ? 10_000_000L : 300_000_000L;
        for (final Encoder encoder : parsed) {
            final EncoderMeasurement m = EncoderMeasurement.of(encoder, sample, trials, timing);
            results.add(m);
            console.printf(Locale.ROOT, "%-52s %8.3f bits  variance %s  bias %s  encode %.2f ns  decode %.2f ns%n",
                    m.spec(), m.bitsPerCoordinate(), variance(m), bias(m), m.encodeNanos(), m.decodeNanos());
        }
        final Path report = out.resolve("encoders.md");
        try {
            Files.writeString(report, markdown(stamp, sample, trials, results));
        } catch (IOException e) {
            cli.getErr().println("reluq compare: cannot write " + report + " (" + e.getMessage() + ")");
            return 1;
        }
        console.println("report     " + report);
        return 0;
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
        final String measured = number(m.varianceFactor()) + " ± " + number(m.varianceError());
        return Double.isNaN(m.bound()) ? measured + " (biased: no bound)" : measured + " of bound " + number(m.bound());
    }

    /** Four significant digits, and 0 as 0. */
    private static String number(final double x) {
        return x == 0 ? "0" : String.format(Locale.ROOT, "%.4g", x);
    }

    private static String bias(final EncoderMeasurement m) {
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

    private static String markdown(final ReportStamp stamp, final GradientSample sample, final int streams,
                                   final List<EncoderMeasurement> results) {
        final StringBuilder md = new StringBuilder();
        md.append("# Encoders compared on the same gradients\n\n").append(stamp.markdown()).append('\n');
        md.append("Gradients: ").append(sample.source()).append(". Statistics over ").append(streams)
                .append(" dither streams per gradient, a fresh state per frame (a stateful encoder's first round). ")
                .append("Bias: the z-score of the mean error along the signs of the first gradient (negative: ")
                .append("shrinks towards 0), which an unbiased encoder's exceeds in magnitude with probability 0.001. ")
                .append("Timings: medians of single calls, one thread, in this process, after a warm-up of 3000 calls ")
                .append("(`--quick` times for 10 ms only); JMH's `EncoderBenchmark` has the precise figures.\n\n");
        md.append("| encoder | bits / coordinate | variance factor (measured) | bound | bias | encode ns / coord "
                + "| decode ns / coord |\n|---|---|---|---|---|---|---|\n");
        for (final EncoderMeasurement m : results) {
            md.append(String.format(Locale.ROOT, "| `%s` | %.3f | %s ± %s | %s | %s | %.2f | %.2f |%n",
                    m.spec(), m.bitsPerCoordinate(), number(m.varianceFactor()), number(m.varianceError()),
                    Double.isNaN(m.bound()) ? "–" : number(m.bound()), bias(m),
                    m.encodeNanos(), m.decodeNanos()));
        }
        return md.toString();
    }
}
