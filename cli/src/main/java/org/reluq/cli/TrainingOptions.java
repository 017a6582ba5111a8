package org.reluq.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.encoder.Encoders;
import org.reluq.kernels.memory.Layout;
import org.reluq.kernels.qsgd.QsgdConfig;
import org.reluq.kernels.sgd.Init;
import org.reluq.kernels.sgd.Sampling;
import org.reluq.kernels.sgd.SgdConfig;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * The options of a training run that {@code reluq fit} and {@code reluq cluster} share: the planted model, the SGD
 * parameters, K and the encoder; {@link #settings} checks them all, naming the option at fault.
 */
final class TrainingOptions {

    /** The most threads --threads accepts: beyond this a 2^31-row matrix is split into tiny tasks. */
    static final int MAX_THREADS = 256;

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    private CommandLine.Model.CommandSpec spec;

    /** The long names of these options (a resumed cluster run takes none of them). */
    private static final java.util.Set<String> NAMES = java.util.Set.of("--d", "--n", "--batch", "--step", "--workers",
            "--encoder", "--iters", "--init", "--sampling", "--seed", "--target-error", "--norm");

    /** Whether {@code name} is one of the training options that define a run. */
    boolean owns(final String name) {
        return NAMES.contains(name);
    }

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

    /** Every option checked; the messages name the option and its value. */
    FitSettings settings(final Path plot) {
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
    List<String> warnings(final FitSettings settings) {
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
