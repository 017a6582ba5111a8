package org.reluq.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.encoder.Encoders;
import org.reluq.kernels.memory.Layout;
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
import org.reluq.kernels.warmup.KernelFamily;
import org.reluq.kernels.warmup.KernelPath;
import org.reluq.kernels.warmup.Warmup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code reluq fit}: generates a planted model and fits it with mini-batch SGD, or with quantized SGD over K
 * workers when {@code --workers} or {@code --encoder} is given. Every option is checked, and every output file
 * created, before the data are generated.
 */
@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate a planted ReLU model y = ReLU(X w*) with Gaussian X and fit w by mini-batch SGD,",
            "or by quantized SGD: K workers split each batch and send encoded gradients to an aggregator.",
            "The default run (d = 1024) takes about half a second here; it prints where the time went."},
        footer = {"", "Exit codes: 0 the run completed, 1 it diverged or a file could not be written, 2 a bad option",
            "(one line names it). JVM options for the launcher: RELUQ_JAVA_OPTS, e.g. -Dreluq.warmup=false to run",
            "the vector kernels from the first call."})
final class FitCommand implements Callable<Integer> {

    /** The most threads --threads accepts: beyond this a 2^31-row matrix is split into tiny tasks. */
    static final int MAX_THREADS = 256;

    /** Data (n d) at least this large generate on the scalar twin, C2-compiled (the launcher's rule too). */
    static final long BIG_DATA = 1L << 26;

    /** A smaller job waits this long before it competes with its own work for compiling vector kernels. */
    static final long WARMUP_DELAY_NANOS = 500_000_000L;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--d", paramLabel = "D", description = "Dimension (default: ${DEFAULT-VALUE}).")
    int d = 1024;

    @Option(names = "--n", paramLabel = "N", description = "Samples (default: 10 d; at least d for w* to be "
            + "identifiable).")
    Integer n;

    @Option(names = "--batch", paramLabel = "M", description = "Mini-batch size m, 1..n (default: ${DEFAULT-VALUE}).")
    int batch = 64;

    @Option(names = "--step", paramLabel = "MU",
            description = "Step size (default: 1.5 m / (m + d), divided by 1 + omega for a lossy encoder).")
    Float step;

    @Option(names = "--workers", paramLabel = "K",
            description = "Workers that split each batch and send encoded gradients (default: 1; 1..batch).")
    Integer workers;

    @Option(names = "--encoder", paramLabel = "SPEC",
            description = "How workers encode gradients: fp32, fp16, bf16, sign, natural, "
                    + "qsgd:s=S[,bucket=B|none][,norm=l2|max][,dither=32|16][,levels=uniform|exp][,code=packed|elias|rans], "
                    + "terngrad[:bucket=B|none][,clip=C|none], topk:k=K, randk:k=K, "
                    + "or ef(SPEC) for error feedback around SPEC (default: fp32).")
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
            description = "Threads that generate the data and run the workers, 1.." + MAX_THREADS + " (default: all "
                    + "cores for the data; for the workers one, or min(K, cores) when each share holds 2^18 floats of "
                    + "X or more).")
    Integer threads;

    @Option(names = "--csv", paramLabel = "FILE",
            description = "Write the curve: iteration, relative error, loss, bytes sent (settings in a # comment).")
    Path csv;

    @Option(names = "--plot", paramLabel = "FILE", description = "Plot relative error against iteration (.png or .svg).")
    Path plot;

    @Option(names = "--json", description = "Print a JSON summary (settings, phases, result) instead of the text.")
    boolean json;

    @Option(names = "--no-progress", description = "Never draw the progress line (drawn only on a terminal).")
    boolean noProgress;

    @Override
    public Integer call() {
        final long fitStart = System.nanoTime();
        final FitSettings settings = settings();
        OutputFiles.requireWritableFile(spec.commandLine(), "--csv", csv);
        OutputFiles.requireWritableFile(spec.commandLine(), "--plot", plot);
        final PrintWriter err = spec.commandLine().getErr();
        warnings(settings).forEach(warning -> err.println("reluq fit: warning: " + warning));
        startWarmup(settings);
        return fit(settings, fitStart);
    }

    /** Every option checked; the messages name the option and its value. */
    private FitSettings settings() {
        requireAtLeast("--d", d, 1);
        if (d > Layout.MAX_LENGTH) {
            throw usage("--d " + d + " exceeds the largest row, " + Layout.MAX_LENGTH + " floats");
        }
        final int samples = n == null ? checkedProduct(10, d) : n;
        requireAtLeast("--n", samples, 1);
        requireAtLeast("--batch", batch, 1);
        if (batch > samples) {
            throw usage("--batch " + batch + " exceeds --n " + samples + ": a batch draws from the n samples");
        }
        requireAtLeast("--iters", iterations, 1);
        final int cores = Runtime.getRuntime().availableProcessors();
        if (threads != null) {
            requireAtLeast("--threads", threads, 1);
            if (threads > MAX_THREADS) {
                throw usage("--threads " + threads + " exceeds " + MAX_THREADS + " (this machine has " + cores
                        + " cores)");
            }
        }
        if (!(norm > 0) || Double.isInfinite(norm)) {
            throw usage("--norm must be finite and > 0, got " + norm);
        }
        if (plot != null && !CurveFiles.isPlotFile(plot)) {
            throw usage("--plot " + plot + ": the file name must end in .png or .svg");
        }
        requireMemory(samples);
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
                    : QsgdConfig.defaultThreads(d, batch, k, cores));
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage().replace("workers", "--workers").replace("batch size", "--batch"));
        }
        return new FitSettings(d, samples, norm, config, quantized, threads == null ? cores : threads,
                step == null ? stepRule(quantized) : "");
    }

    /** Settings that run but rarely mean what the user wants. */
    private List<String> warnings(final FitSettings settings) {
        final List<String> warnings = new java.util.ArrayList<>();
        if (settings.n() < settings.d()) {
            warnings.add("--n " + settings.n() + " is below --d " + settings.d() + ": with fewer samples than "
                    + "dimensions w* is not identifiable, and SGD fits the data with another w");
        }
        final int cores = Runtime.getRuntime().availableProcessors();
        if (threads != null && threads > cores) {
            warnings.add("--threads " + threads + " is more than the " + cores + " cores: no faster than " + cores);
        }
        return warnings;
    }

    /** Refuses a model that cannot fit in memory, before generating it. */
    private void requireMemory(final int samples) {
        final long bytes = (long) samples * Layout.paddedLength("--d", d) * Float.BYTES;
        final long available = Machine.availableMemoryBytes();
        if (available > 0 && bytes > available) {
            throw usage(String.format(Locale.ROOT, "--n %d --d %d: X needs %.1f GiB and this machine has %.1f GiB "
                    + "available", samples, d, bytes / 1073741824.0, available / 1073741824.0));
        }
    }

    /**
     * The vector kernels' warm-up (see {@link Warmup}). Big data: the generator runs on its scalar twin, which
     * the launcher lets C2 compile for such a fit, and the step's kernels run on vectors from the start, with no
     * race: on two cores a race competes with the generator's threads for seconds, and the cold vector generator
     * is slower still (reports/first-call.md measures each choice). Else every family starts on its scalar twin,
     * and the race begins only once a short job would be done.
     */
    private static void startWarmup(final FitSettings settings) {
        if ("false".equals(System.getProperty("reluq.warmup"))) {
            return;
        }
        if ((long) settings.n() * settings.d() >= BIG_DATA) {
            KernelFamily.GAUSSIAN.use(KernelPath.SCALAR);
        } else {
            Warmup.start(List.of(KernelFamily.GRADIENT, KernelFamily.DENSE, KernelFamily.GAUSSIAN),
                    WARMUP_DELAY_NANOS, settings.d(), settings.sgd().batchSize());
        }
    }

    private int fit(final FitSettings settings, final long fitStart) {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final FitReport report = new FitReport(settings);
        if (!json) {
            report.printSettings(out);
        }
        final boolean showProgress = !noProgress && System.console() != null && System.console().isTerminal();
        try (ProgressBar bar = showProgress ? new ProgressBar(err, iterations, targetError) : null) {
            if (bar != null) {
                bar.phase(String.format(Locale.ROOT, "data: generating %d x %d", settings.n(), settings.d()));
            }
            final long dataStart = System.nanoTime();
            final PlantedModel model;
            try {
                model = PlantedModel.generate(settings.n(), settings.d(), settings.norm(), seed,
                        settings.dataThreads());
            } catch (OutOfMemoryError e) {
                err.printf(Locale.ROOT, "reluq fit: cannot allocate %.2f GiB for X (%d x %d floats): %s%n",
                        (double) settings.n() * settings.d() * Float.BYTES / (1 << 30), settings.n(), settings.d(),
                        e.getMessage());
                return 1;
            }
            try (model) {
                final long dataNanos = System.nanoTime() - dataStart;
                if (!json) {
                    report.printData(out, dataNanos);
                }
                if (bar != null) {
                    bar.phase("init: " + init);
                }
                final ProgressListener progress = bar == null ? ProgressListener.NONE : bar;
                final TrainingResult result = settings.quantized() == null
                        ? SgdTrainer.train(model, settings.sgd(), progress)
                        : QsgdTrainer.train(model, settings.quantized(), progress);
                if (bar != null) {
                    bar.finish();
                }
                final long outputStart = System.nanoTime();
                final boolean written = writeFiles(out, err, result, settings);
                final FitReport.Phases phases = new FitReport.Phases(Reluq.launchToMainNanos,
                        fitStart - Reluq.mainNanos, dataNanos, result.initNanos(), result.loopNanos(),
                        System.nanoTime() - outputStart, System.nanoTime() - Reluq.mainNanos);
                if (json) {
                    report.printJson(out, result, phases);
                } else {
                    report.printResult(out, err, result, phases);
                }
                if (!written) {
                    return 1;
                }
                if (result.stopReason() == StopReason.DIVERGED) {
                    err.printf(Locale.ROOT, "reluq fit: the run diverged at iteration %d (loss, gradient or iterate "
                            + "not finite); try a smaller --step than %.6g%n", result.iterations(),
                            settings.sgd().step());
                    return 1;
                }
                return 0;
            }
        }
    }

    private boolean writeFiles(final PrintWriter out, final PrintWriter err, final TrainingResult result,
                               final FitSettings settings) {
        try {
            if (csv != null) {
                CurveFiles.writeCsv(result, "reluq fit " + settings.describe(), csv);
                if (!json) {
                    out.println("csv        " + csv);
                }
            }
            if (plot != null) {
                final String method = settings.quantized() == null ? "SGD" : String.format(Locale.ROOT,
                        "QSGD (K=%d, %s)", settings.quantized().workers(), settings.quantized().encoder().spec());
                CurveFiles.writePlot(result, String.format(Locale.ROOT, "%s on a planted ReLU: d=%d, n=%d, m=%d",
                        method, settings.d(), settings.n(), batch), plot);
                if (!json) {
                    out.println("plot       " + plot);
                }
            }
            return true;
        } catch (IOException e) {
            err.println("reluq fit: cannot write " + e.getMessage());
            return false;
        }
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
        if (quantized == null) {
            return "1.5 m/(m+d)";
        }
        return String.format(Locale.ROOT, "1.5 m/(m+d) / (1 + omega), omega = %.4g", quantized.encoder().varianceFactor(d));
    }

    private void requireAtLeast(final String option, final long value, final long minimum) {
        if (value < minimum) {
            throw usage(option + " must be >= " + minimum + ", got " + value);
        }
    }

    private int checkedProduct(final int a, final int b) {
        final long product = (long) a * b;
        if (product > Integer.MAX_VALUE) {
            throw usage("--n defaults to 10 d = " + product + ", more than " + Integer.MAX_VALUE + " rows; give --n");
        }
        return (int) product;
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
