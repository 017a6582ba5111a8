package org.reluq.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.encoder.Encoders;
import org.reluq.kernels.model.PlantedModel;
import org.reluq.kernels.qsgd.QsgdConfig;
import org.reluq.kernels.qsgd.QsgdTrainer;
import org.reluq.kernels.sgd.Init;
import org.reluq.kernels.sgd.ProgressListener;
import org.reluq.kernels.sgd.Sampling;
import org.reluq.kernels.sgd.SgdConfig;
import org.reluq.kernels.sgd.SgdTrainer;
import org.reluq.kernels.sgd.StopReason;
import org.reluq.kernels.sgd.TrainingResult;
import org.reluq.kernels.simd.Species;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code reluq fit}: generates a planted model and fits it with mini-batch SGD, or with quantized SGD over K
 * workers when {@code --workers} or {@code --encoder} is given.
 */
@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate a planted ReLU model y = ReLU(X w*) with Gaussian X and fit w by mini-batch SGD,",
            "or by quantized SGD: K workers split each batch and send encoded gradients to an aggregator.",
            "Exit code: 0 when the run completes, 1 if it diverges or a file cannot be written, 2 for bad options."})
final class FitCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--d", paramLabel = "D", description = "Dimension (default: ${DEFAULT-VALUE}).")
    int d = 1024;

    @Option(names = "--n", paramLabel = "N", description = "Samples (default: 10 d).")
    Integer n;

    @Option(names = "--batch", paramLabel = "M", description = "Mini-batch size m (default: ${DEFAULT-VALUE}).")
    int batch = 64;

    @Option(names = "--step", paramLabel = "MU",
            description = "Step size (default: 1.5 m / (m + d), divided by 1 + omega for a lossy encoder).")
    Float step;

    @Option(names = "--workers", paramLabel = "K",
            description = "Workers that split each batch and send encoded gradients (default: 1; 1..batch).")
    Integer workers;

    @Option(names = "--encoder", paramLabel = "SPEC",
            description = "How workers encode gradients: fp32, or qsgd:s=S[,bucket=B|none][,code=packed|elias] "
                    + "(default: fp32).")
    String encoderSpec;

    @Option(names = "--iters", paramLabel = "T", description = "Iteration budget (default: ${DEFAULT-VALUE}).")
    int iterations = 100_000;

    @Option(names = "--init", paramLabel = "INIT", converter = InitConverter.class,
            description = "zero, moment or gaussian (default: ${DEFAULT-VALUE}).")
    Init init = Init.MOMENT;

    @Option(names = "--sampling", paramLabel = "S", converter = SamplingConverter.class,
            description = "with (replacement) or without (default: with).")
    Sampling sampling = Sampling.WITH_REPLACEMENT;

    @Option(names = "--seed", paramLabel = "SEED", description = "Seed of the data and the batches (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--target-error", paramLabel = "E",
            description = "Stop once ||w - w*|| / ||w*|| <= E; 0 runs every iteration (default: ${DEFAULT-VALUE}).")
    double targetError = 1e-6;

    @Option(names = "--norm", paramLabel = "R", description = "||w*|| (default: ${DEFAULT-VALUE}).")
    double norm = 1.0;

    @Option(names = "--threads", paramLabel = "T",
            description = "Threads that generate the data and run the workers (default: all cores for the data; "
                    + "for the workers one, or min(K, cores) when each share holds 2^18 floats of X or more).")
    Integer threads;

    @Option(names = "--csv", paramLabel = "FILE", description = "Write the curve (iteration, relative error, loss).")
    Path csv;

    @Option(names = "--plot", paramLabel = "FILE", description = "Plot relative error against iteration (.png or .svg).")
    Path plot;

    @Option(names = "--no-progress", description = "Never draw the progress bar.")
    boolean noProgress;

    @Override
    public Integer call() {
        final int samples = n == null ? checkedProduct(10, d, "--n (10 d)") : n;
        requireAtLeast("--d", d, 1);
        requireAtLeast("--n", samples, 1);
        requireAtLeast("--batch", batch, 1);
        requireAtLeast("--iters", iterations, 1);
        if (threads != null) {
            requireAtLeast("--threads", threads, 1);
        }
        if (sampling == Sampling.WITHOUT_REPLACEMENT && batch > samples) {
            throw usage("--batch " + batch + " exceeds --n " + samples + ": cannot sample without replacement");
        }
        if (!(norm > 0) || Double.isInfinite(norm)) {
            throw usage("--norm must be finite and > 0, got " + norm);
        }
        final Encoder encoder = encoder();
        final float mu = step != null ? step
                : encoder == null ? SgdConfig.defaultStep(batch, d) : QsgdConfig.defaultStep(batch, d, encoder);
        final SgdConfig config;
        try {
            config = new SgdConfig(batch, mu, iterations, init, sampling, seed, targetError);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage().replace("step ", "--step ").replace("target error", "--target-error"));
        }
        final QsgdConfig quantized;
        try {
            final int k = workers == null ? 1 : workers;
            quantized = encoder == null ? null : new QsgdConfig(config, k, encoder, threads != null ? threads
                    : QsgdConfig.defaultThreads(d, batch, k, Runtime.getRuntime().availableProcessors()));
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage().replace("workers", "--workers").replace("batch size", "--batch"));
        }
        checkWritable(csv, "--csv");
        checkWritable(plot, "--plot");
        if (plot != null && !CurveFiles.isPlotFile(plot)) {
            throw usage("--plot " + plot + ": the file name must end in .png or .svg");
        }
        return fit(samples, config, quantized);
    }

    /** The encoder of a quantized run, or null for plain SGD (neither --workers nor --encoder given). */
    private Encoder encoder() {
        if (workers == null && encoderSpec == null) {
            return null;
        }
        try {
            return Encoders.parse(encoderSpec == null ? "fp32" : encoderSpec);
        } catch (IllegalArgumentException e) {
            throw usage("--encoder " + encoderSpec + ": " + e.getMessage());
        }
    }

    private String stepRule(final QsgdConfig quantized) {
        if (step != null) {
            return "";
        }
        if (quantized == null) {
            return " (1.5 m/(m+d))";
        }
        return String.format(Locale.ROOT, " (1.5 m/(m+d) / (1 + omega), omega = %.4g)",
                quantized.encoder().varianceFactor(d));
    }

    private int fit(final int samples, final SgdConfig config, final QsgdConfig quantized) {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        out.printf(Locale.ROOT, "reluq fit  d=%d n=%d batch=%d step=%.6g%s init=%s sampling=%s seed=%d target=%.2e%n",
                d, samples, batch, config.step(), stepRule(quantized), init,
                sampling == Sampling.WITH_REPLACEMENT ? "with-replacement" : "without-replacement", seed, targetError);
        if (quantized != null) {
            out.printf(Locale.ROOT, "workers    %d, encoder %s, %d threads%n", quantized.workers(),
                    quantized.encoder().spec(), Math.min(quantized.threads(), quantized.workers()));
        }
        out.println("vectors    " + Species.describe());
        final int generators = threads == null ? Runtime.getRuntime().availableProcessors() : threads;
        final long start = System.nanoTime();
        final PlantedModel model;
        try {
            model = PlantedModel.generate(samples, d, norm, seed, generators);
        } catch (OutOfMemoryError e) {
            err.printf(Locale.ROOT, "reluq fit: cannot allocate %.2f GiB for X (%d x %d floats): %s%n",
                    (double) samples * d * Float.BYTES / (1 << 30), samples, d, e.getMessage());
            return 1;
        }
        try (model) {
            out.printf(Locale.ROOT, "data       %d x %d generated in %.2f s (%d threads)%n",
                    samples, d, (System.nanoTime() - start) / 1e9, generators);
            final boolean showProgress = !noProgress && System.console() != null && System.console().isTerminal();
            final ProgressBar bar = showProgress ? new ProgressBar(err, iterations) : null;
            final ProgressListener progress = bar == null ? ProgressListener.NONE : bar;
            final TrainingResult result = quantized == null ? SgdTrainer.train(model, config, progress)
                    : QsgdTrainer.train(model, quantized, progress);
            if (bar != null) {
                bar.finish();
            }
            report(out, result, config, quantized);
            if (!writeFiles(out, err, result, samples, quantized)) {
                return 1;
            }
            if (result.stopReason() == StopReason.DIVERGED) {
                err.printf(Locale.ROOT, "reluq fit: the run diverged at iteration %d (loss, gradient or iterate not "
                        + "finite); try a smaller --step than %.6g%n", result.iterations(), config.step());
                return 1;
            }
            return 0;
        }
    }

    private void report(final PrintWriter out, final TrainingResult result, final SgdConfig config,
                        final QsgdConfig quantized) {
        out.printf(Locale.ROOT, "init       %s, relative error %.4g (%.3f s)%n",
                init, result.relativeError()[0], result.initNanos() / 1e9);
        final String why = switch (result.stopReason()) {
            case TARGET_REACHED -> String.format(Locale.ROOT, "target %.2e reached", config.targetError());
            case MAX_ITERATIONS -> "iteration budget spent";
            case DIVERGED -> "diverged";
        };
        out.printf(Locale.ROOT, "result     %s after %d iterations: relative error %.4g%n",
                why, result.iterations(), result.finalRelativeError());
        out.printf(Locale.ROOT, "time       %.3f s, %.0f iterations/s%s%n",
                result.loopNanos() / 1e9, result.iterationsPerSecond(), result.steadyIterationsPerSecond() == 0 ? ""
                        : String.format(Locale.ROOT, ", fastest %d iterations at %.0f /s (the JIT compiles the step "
                                + "during the first few thousand)", ProgressListener.INTERVAL,
                                result.steadyIterationsPerSecond()));
        if (quantized != null) {
            final long bytes = result.totalWireBytes();
            out.printf(Locale.ROOT, "wire       %d bytes from workers to aggregator (%.4g bits per coordinate per "
                    + "worker and iteration, frame headers included)%n", bytes,
                    result.iterations() == 0 ? 0.0 : 8.0 * bytes / ((double) result.iterations() * quantized.workers() * d));
        }
    }

    private boolean writeFiles(final PrintWriter out, final PrintWriter err, final TrainingResult result,
                               final int samples, final QsgdConfig quantized) {
        try {
            if (csv != null) {
                CurveFiles.writeCsv(result, csv);
                out.println("csv        " + csv);
            }
            if (plot != null) {
                final String method = quantized == null ? "SGD" : String.format(Locale.ROOT, "QSGD (K=%d, %s)",
                        quantized.workers(), quantized.encoder().spec());
                CurveFiles.writePlot(result, String.format(Locale.ROOT, "%s on a planted ReLU: d=%d, n=%d, m=%d",
                        method, d, samples, batch), plot);
                out.println("plot       " + plot);
            }
            return true;
        } catch (IOException e) {
            err.println("reluq fit: cannot write " + e.getMessage());
            return false;
        }
    }

    private void requireAtLeast(final String option, final long value, final long minimum) {
        if (value < minimum) {
            throw usage(option + " must be >= " + minimum + ", got " + value);
        }
    }

    private int checkedProduct(final int a, final int b, final String what) {
        final long product = (long) a * b;
        if (product > Integer.MAX_VALUE) {
            throw usage(what + " = " + product + " is too large; give --n explicitly");
        }
        return (int) product;
    }

    /** Fails before any work if the file's folder does not exist or cannot be written. */
    private void checkWritable(final Path file, final String option) {
        if (file == null) {
            return;
        }
        final Path folder = file.toAbsolutePath().getParent();
        if (folder == null || !Files.isDirectory(folder)) {
            throw usage(option + " " + file + ": folder " + folder + " does not exist");
        }
        if (!Files.isWritable(folder) || Files.isDirectory(file)
                || (Files.exists(file) && !Files.isWritable(file))) {
            throw usage(option + " " + file + ": cannot write there");
        }
    }

    private CommandLine.ParameterException usage(final String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** Parses --init. */
    static final class InitConverter implements CommandLine.ITypeConverter<Init> {
        @Override
        public Init convert(final String value) {
            try {
                return Init.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** Parses --sampling: with or without (replacement). */
    static final class SamplingConverter implements CommandLine.ITypeConverter<Sampling> {
        @Override
        public Sampling convert(final String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "with", "with-replacement" -> Sampling.WITH_REPLACEMENT;
                case "without", "without-replacement" -> Sampling.WITHOUT_REPLACEMENT;
                default -> throw new CommandLine.TypeConversionException(
                        "unknown sampling '" + value + "'; expected with or without");
            };
        }
    }
}
