package org.reluq.verify.experiments;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.encoder.Encoders;
import org.reluq.kernels.model.PlantedModel;
import org.reluq.kernels.qsgd.QsgdConfig;
import org.reluq.kernels.qsgd.QsgdTrainer;
import org.reluq.kernels.sgd.Init;
import org.reluq.kernels.sgd.Sampling;
import org.reluq.kernels.sgd.SgdConfig;
import org.reluq.kernels.sgd.SgdTrainer;
import org.reluq.kernels.sgd.TrainingResult;

/**
 * The experiments of {@code reluq reproduce} (the paper's claims, docs/design.md), as plain
 * computations that return their runs; the CLI writes them up, and the tests run them sized down.
 * Every run but the sample-complexity trials uses the one planted model of {@link #model} (n = 10 d),
 * starts from w = 0 and samples with replacement.
 */
public final class ConvergenceExperiments {

    /** Target of the QSGD comparison and of the step sweep (the number a user reads). */
    public static final double TARGET = 1e-4;

    /** Target of the batch-size runs: deeper, so the fitted rate spans four decades. */
    public static final double DEEP_TARGET = 1e-5;

    /** Iteration budget of every run but the sample-complexity trials. */
    public static final int BUDGET = 400_000;

    private ConvergenceExperiments() {
    }

    /**
     * The sizes of one reproduction.
     *
     * @param d                the dimension of experiments (a), (c), (d)
     * @param batchSize        m of experiments (c) and (d)
     * @param batchSizes       the m of experiment (a)
     * @param sampleDims       the d of experiment (b)
     * @param ratios           the n/d of experiment (b)
     * @param trials           trials per point of experiment (b)
     * @param levels           the s of experiment (c)
     * @param workers          the K of experiment (c)
     * @param bucket           the bucket size of the bucketed runs of (c)
     * @param stepMultipliers  the c of experiment (d), step = c m / (m + d)
     * @param bestStepFactors  factors of the step rule that (c) tries to find each quantizer's best step
     */
    public record Sizes(int d, int batchSize, int[] batchSizes, int[] sampleDims, double[] ratios, int trials,
                        int[] levels, int[] workers, int bucket, double[] stepMultipliers, double[] bestStepFactors) {

        /** The default reproduction (tens of minutes on 2 cores). */
        public static Sizes full() {
            return new Sizes(1024, 64, new int[] {16, 32, 64, 128, 256}, new int[] {32, 64, 128, 256},
                    new double[] {0.5, 1, 1.5, 2, 2.25, 2.5, 2.75, 3, 3.5, 4, 5}, 50, new int[] {1, 2, 4, 16},
                    new int[] {1, 4, 16}, 512, new double[] {0.25, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 5},
                    new double[] {0.5, 1, 2, 4, 8});
        }

        /** The quick reproduction (a few minutes on 2 cores): the same experiments at smaller d. */
        public static Sizes quick() {
            return new Sizes(256, 32, new int[] {8, 16, 32, 64, 128}, new int[] {32, 64, 128},
                    new double[] {0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 5}, 20, new int[] {1, 2, 4, 16},
                    new int[] {1, 4, 16}, 64, new double[] {0.25, 0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 5},
                    new double[] {0.5, 1, 2, 4, 8});
        }
    }

    /**
     * A QSGD run of experiment (c).
     *
     * @param levels  s
     * @param workers K
     * @param bucket  bucket size, 0 for one norm
     * @param code    packed or elias
     * @param omega   the encoder's variance factor at d
     * @param factor  the step as a multiple of the step rule's
     * @param curve   the run
     */
    public record QuantizedRun(int levels, int workers, int bucket, String code, double omega, double factor,
                               Curve curve) {

        /** Bits the workers sent until the target (or the whole run if it missed it). */
        public long bits() {
            return 8 * curve.result().totalWireBytes();
        }
    }

    /** The planted model of every experiment but (b): n = 10 d at the sizes' d, from the seed. */
    public static PlantedModel model(final Sizes sizes, final long seed) {
        return PlantedModel.generate(10 * sizes.d(), sizes.d(), 1.0, seed);
    }

    private static SgdConfig sgd(final int m, final float step, final double target, final long seed) {
        return new SgdConfig(m, step, BUDGET, Init.ZERO, Sampling.WITH_REPLACEMENT, seed, target);
    }

    /**
     * (a) SGD at every batch size of {@code sizes} (in that order), with the default step, to
     * {@link #DEEP_TARGET}.
     */
    public static List<Curve> batchSizes(final PlantedModel model, final Sizes sizes,
                                         final long seed, final Consumer<String> log) {
        final List<Curve> curves = new ArrayList<>();
        for (final int m : sizes.batchSizes()) {
            final float step = SgdConfig.defaultStep(m, sizes.d());
            final Curve curve = Curve.of("m=" + m, step, SgdTrainer.train(model, sgd(m, step, DEEP_TARGET, seed)),
                    DEEP_TARGET);
            log.accept("(a) " + summary(curve));
            curves.add(curve);
        }
        return curves;
    }

    /** (b) The recovery rate at every n/d of {@code sizes} for every d, batch size 16. */
    public static Map<Integer, List<SampleComplexity.Point>> sampleComplexity(final Sizes sizes, final long seed,
                                                                              final Consumer<String> log) {
        final Map<Integer, List<SampleComplexity.Point>> curves = new LinkedHashMap<>();
        for (final int d : sizes.sampleDims()) {
            final List<SampleComplexity.Point> curve = new ArrayList<>();
            for (final double ratio : sizes.ratios()) {
                curve.add(SampleComplexity.run(d, ratio, sizes.trials(), 16, seed));
            }
            log.accept(String.format(java.util.Locale.ROOT, "(b) d=%d: 50%% recovery at n/d = %.3f", d,
                    SampleComplexity.halfway(curve)));
            curves.put(d, curve);
        }
        return curves;
    }

    /** SGD at the default step, the reference of (c). */
    public static Curve sgdReference(final PlantedModel model, final Sizes sizes, final long seed) {
        final float step = SgdConfig.defaultStep(sizes.batchSize(), sizes.d());
        return Curve.of("SGD", step, SgdTrainer.train(model, sgd(sizes.batchSize(), step, TARGET, seed)), TARGET);
    }

    /**
     * (c) The fp32 baseline for every K, then QSGD for every s, K, norm (one, or buckets) and code at reluq's step
     * rule {@link QsgdConfig#defaultStep}. Packed and Elias codes quantize identically, so their runs differ only
     * in the bytes sent. The fp32 runs have {@code levels = 0} and code {@code fp32}.
     */
    public static List<QuantizedRun> quantizers(final PlantedModel model, final Sizes sizes,
                                                final long seed, final Consumer<String> log) {
        final List<QuantizedRun> runs = new ArrayList<>();
        for (final int k : sizes.workers()) {
            final QuantizedRun run = fp32(model, sizes, k, seed);
            log.accept("(c) " + summary(run.curve()));
            runs.add(run);
        }
        for (final int bucket : new int[] {0, sizes.bucket()}) {
            for (final int k : sizes.workers()) {
                for (final int s : sizes.levels()) {
                    for (final String code : new String[] {"packed", "elias"}) {
                        final QuantizedRun run = quantized(model, sizes, s, k, bucket, code, 1, seed);
                        log.accept("(c) " + summary(run.curve()));
                        runs.add(run);
                    }
                }
            }
        }
        return runs;
    }

    /**
     * (c) Each quantizer's best step: K = 4 workers, packed code, the step rule times every factor of
     * {@code sizes.bestStepFactors()}; returns, per (s, norm), the run that reached the target in the fewest
     * iterations (or, if none did, the one with the lowest final error).
     */
    public static List<QuantizedRun> bestSteps(final PlantedModel model, final Sizes sizes,
                                               final long seed, final Consumer<String> log) {
        final List<QuantizedRun> best = new ArrayList<>();
        for (final int bucket : new int[] {0, sizes.bucket()}) {
            for (final int s : sizes.levels()) {
                QuantizedRun winner = null;
                for (final double factor : sizes.bestStepFactors()) {
                    final QuantizedRun run = quantized(model, sizes, s, 4, bucket, "packed", factor, seed);
                    if (winner == null || better(run.curve(), winner.curve())) {
                        winner = run;
                    }
                }
                log.accept("(c) best step: " + summary(winner.curve()));
                best.add(winner);
            }
        }
        return best;
    }

    /** (c) Every s at one common step, the step rule's for s = 1 (the smallest): K = 4, one norm, packed. */
    public static List<QuantizedRun> commonStep(final PlantedModel model, final Sizes sizes,
                                                final long seed, final Consumer<String> log) {
        final List<QuantizedRun> runs = new ArrayList<>();
        final int smallest = sizes.levels()[0];
        final float step = QsgdConfig.defaultStep(sizes.batchSize(), sizes.d(), encoder(smallest, 0, "packed"));
        for (final int s : sizes.levels()) {
            final float factor = step / QsgdConfig.defaultStep(sizes.batchSize(), sizes.d(), encoder(s, 0, "packed"));
            final QuantizedRun run = quantized(model, sizes, s, 4, 0, "packed", factor, seed);
            log.accept("(c) common step: " + summary(run.curve()));
            runs.add(run);
        }
        return runs;
    }

    /**
     * (c) Every s and norm at SGD's own step 1.5 m/(m+d) (K = 4, packed): where the step rule comes from, as
     * the quantization noise makes small s diverge there.
     */
    public static List<QuantizedRun> sgdStep(final PlantedModel model, final Sizes sizes,
                                             final long seed, final Consumer<String> log) {
        final List<QuantizedRun> runs = new ArrayList<>();
        final float sgdStep = SgdConfig.defaultStep(sizes.batchSize(), sizes.d());
        for (final int bucket : new int[] {0, sizes.bucket()}) {
            for (final int s : sizes.levels()) {
                final double factor = sgdStep / QsgdConfig.defaultStep(sizes.batchSize(), sizes.d(),
                        encoder(s, bucket, "packed"));
                final QuantizedRun run = quantized(model, sizes, s, 4, bucket, "packed", factor, seed);
                log.accept("(c) SGD's step: " + summary(run.curve()));
                runs.add(run);
            }
        }
        return runs;
    }

    /** (d) SGD at step c m / (m + d) for every c of {@code sizes.stepMultipliers()}, in that order. */
    public static List<Curve> steps(final PlantedModel model, final Sizes sizes,
                                    final long seed, final Consumer<String> log) {
        final List<Curve> curves = new ArrayList<>();
        final int m = sizes.batchSize();
        for (final double c : sizes.stepMultipliers()) {
            final float step = (float) (c * m / ((double) m + sizes.d()));
            final SgdConfig config = new SgdConfig(m, step, stepBudget(sizes), Init.ZERO,
                    Sampling.WITH_REPLACEMENT, seed, TARGET);
            final Curve curve = Curve.of("c=" + c, step, SgdTrainer.train(model, config), TARGET);
            log.accept("(d) " + summary(curve));
            curves.add(curve);
        }
        return curves;
    }

    /**
     * Budget of each run of the step sweep: {@code 2000 (m + d) / m}, about 40 times what SGD needs at the
     * default step (rho is about 1 - 0.18 m/(m+d) there: 52 (m+d)/m iterations to 1e-4), so that small steps
     * still show their rate.
     */
    public static int stepBudget(final Sizes sizes) {
        return (int) Math.min(BUDGET, 2000L * (sizes.batchSize() + sizes.d()) / sizes.batchSize());
    }

    private static QuantizedRun quantized(final PlantedModel model, final Sizes sizes, final int s, final int k,
                                          final int bucket, final String code, final double factor, final long seed) {
        final Encoder encoder = encoder(s, bucket, code);
        final float step = (float) (factor * QsgdConfig.defaultStep(sizes.batchSize(), sizes.d(), encoder));
        final String label = "s=" + s + " K=" + k + " " + (bucket == 0 ? "one norm" : "bucket=" + bucket) + " " + code
                + (factor == 1 ? "" : String.format(java.util.Locale.ROOT, " step x%.3g", factor));
        return new QuantizedRun(s, k, bucket, code, encoder.varianceFactor(sizes.d()), factor,
                Curve.of(label, step, train(model, sizes, encoder, k, step, seed), TARGET));
    }

    private static QuantizedRun fp32(final PlantedModel model, final Sizes sizes, final int k, final long seed) {
        final Encoder encoder = Encoders.parse("fp32");
        final float step = QsgdConfig.defaultStep(sizes.batchSize(), sizes.d(), encoder);
        return new QuantizedRun(0, k, 0, "fp32", 0, 1,
                Curve.of("fp32 K=" + k, step, train(model, sizes, encoder, k, step, seed), TARGET));
    }

    /** QSGD to {@link #TARGET} with K workers on the threads {@link QsgdConfig#defaultThreads} suggests. */
    private static TrainingResult train(final PlantedModel model, final Sizes sizes, final Encoder encoder, final int k,
                                        final float step, final long seed) {
        final int threads = QsgdConfig.defaultThreads(sizes.d(), sizes.batchSize(), k,
                Runtime.getRuntime().availableProcessors());
        return QsgdTrainer.train(model, new QsgdConfig(sgd(sizes.batchSize(), step, TARGET, seed), k, encoder, threads));
    }

    /** The encoder {@code qsgd:s=S,bucket=B|none,code=C}. */
    public static Encoder encoder(final int s, final int bucket, final String code) {
        return Encoders.parse("qsgd:s=" + s + ",bucket=" + (bucket == 0 ? "none" : bucket) + ",code=" + code);
    }

    private static boolean better(final Curve a, final Curve b) {
        if (a.reachedTarget() != b.reachedTarget()) {
            return a.reachedTarget();
        }
        if (a.reachedTarget()) {
            return a.result().iterations() < b.result().iterations();
        }
        return a.result().finalRelativeError() < b.result().finalRelativeError();
    }

    private static String summary(final Curve curve) {
        return String.format(java.util.Locale.ROOT, "%s: step %.4g, %s after %d iterations (error %.3g)%s",
                curve.label(), curve.step(), curve.result().stopReason(), curve.result().iterations(),
                curve.result().finalRelativeError(),
                curve.fit() == null ? "" : String.format(java.util.Locale.ROOT, ", rate %.6f", curve.fit().rho()));
    }
}
