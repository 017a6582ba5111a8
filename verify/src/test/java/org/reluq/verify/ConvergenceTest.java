package org.reluq.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.encoder.Encoders;
import org.reluq.kernels.model.PlantedModel;
import org.reluq.kernels.qsgd.QsgdConfig;
import org.reluq.kernels.qsgd.QsgdTrainer;
import org.reluq.kernels.sgd.Init;
import org.reluq.kernels.sgd.Sampling;
import org.reluq.kernels.sgd.SgdConfig;
import org.reluq.kernels.sgd.SgdTrainer;
import org.reluq.kernels.sgd.StopReason;
import org.reluq.kernels.sgd.TrainingResult;
import org.reluq.verify.experiments.RateFit;
import org.reluq.verify.experiments.SampleComplexity;

/**
 * The convergence statements of docs/design.md ("The mathematics every module shares"), checked empirically
 * at sizes that run in seconds:
 * SGD and QSGD converge geometrically (log relative error is a straight line in the iteration, R^2 of
 * {@link RateFit} at least 0.99 from error 0.5 to the target), QSGD's iterations to a target fall as s
 * grows, towards SGD's, and the samples SGD needs grow linearly in d.
 */
class ConvergenceTest {

    private static final double TARGET = 1e-4;
    private static final long[] SEEDS = {11, 12, 13};

    @ParameterizedTest(name = "d = {0}")
    @ValueSource(ints = {64, 256})
    void sgdConvergesGeometrically(final int d) {
        for (final long seed : SEEDS) {
            try (PlantedModel model = PlantedModel.generate(10 * d, d, 1.0, seed)) {
                final TrainingResult result = SgdTrainer.train(model, new SgdConfig(32, SgdConfig.defaultStep(32, d),
                        200_000, Init.ZERO, Sampling.WITH_REPLACEMENT, seed, TARGET));
                assertEquals(StopReason.TARGET_REACHED, result.stopReason(), "seed " + seed);
                final double r2 = RateFit.of(result.relativeError(), TARGET).r2();
                assertTrue(r2 >= 0.99, "d=" + d + " seed " + seed + ": R^2 = " + r2);
            }
        }
    }

    /**
     * QSGD with K = 4 workers at reluq's step rule keeps a geometric rate for s = 1, 4, 16, and its mean
     * iterations to 1e-4 over three seeds do not rise with s (10% allowed for the seed-to-seed noise, which
     * is about 5% here) and approach SGD's: s = 16 needs less than three times SGD's iterations.
     */
    @Test
    void qsgdKeepsAGeometricRateAndApproachesSgdAsSGrows() {
        final int d = 256;
        final int m = 32;
        final int[] levels = {1, 4, 16};
        final double[] meanIterations = new double[levels.length];
        double sgdIterations = 0;
        for (final long seed : SEEDS) {
            try (PlantedModel model = PlantedModel.generate(10 * d, d, 1.0, seed)) {
                sgdIterations += SgdTrainer.train(model, new SgdConfig(m, SgdConfig.defaultStep(m, d), 200_000,
                        Init.ZERO, Sampling.WITH_REPLACEMENT, seed, TARGET)).iterations() / (double) SEEDS.length;
                for (int i = 0; i < levels.length; i++) {
                    final Encoder encoder = Encoders.parse("qsgd:s=" + levels[i] + ",code=packed");
                    final SgdConfig config = new SgdConfig(m, QsgdConfig.defaultStep(m, d, encoder), 200_000,
                            Init.ZERO, Sampling.WITH_REPLACEMENT, seed, TARGET);
                    final TrainingResult result = QsgdTrainer.train(model, new QsgdConfig(config, 4, encoder, 2));
                    assertEquals(StopReason.TARGET_REACHED, result.stopReason(), "s=" + levels[i] + " seed " + seed);
                    final double r2 = RateFit.of(result.relativeError(), TARGET).r2();
                    assertTrue(r2 >= 0.99, "s=" + levels[i] + " seed " + seed + ": R^2 = " + r2);
                    meanIterations[i] += result.iterations() / (double) SEEDS.length;
                }
            }
        }
        System.out.printf("iterations to %.0e at d=%d, m=%d, K=4: SGD %.0f, QSGD s=1 %.0f, s=4 %.0f, s=16 %.0f%n",
                TARGET, d, m, sgdIterations, meanIterations[0], meanIterations[1], meanIterations[2]);
        for (int i = 1; i < levels.length; i++) {
            assertTrue(meanIterations[i] <= 1.1 * meanIterations[i - 1],
                    "s=" + levels[i] + " needs " + meanIterations[i] + " iterations, s=" + levels[i - 1] + " "
                            + meanIterations[i - 1]);
        }
        assertTrue(meanIterations[2] < 3 * sgdIterations, "s=16: " + meanIterations[2] + " vs SGD " + sgdIterations);
    }

    /**
     * Linear sample complexity: the n/d at which SGD recovers w* in half of 40 trials (relative error 1e-3
     * within a budget proportional to (m + d) / m) is the same at d = 32 and d = 128 within 25%, and with no
     * more samples than unknowns (n <= d) recovery fails. Measured here: 2.5 at both (20 trials per point).
     */
    @Test
    void samplesNeededGrowLinearlyInD() {
        final double[] ratios = {0.5, 1, 1.5, 2, 2.25, 2.5, 2.75, 3, 3.5, 4};
        final double[] halfway = new double[2];
        final int[] dims = {32, 128};
        for (int i = 0; i < dims.length; i++) {
            final List<SampleComplexity.Point> curve = new ArrayList<>();
            for (final double ratio : ratios) {
                curve.add(SampleComplexity.run(dims[i], ratio, 40, 16, 7));
            }
            assertEquals(0, curve.get(0).successes(), "d=" + dims[i] + ", n = d/2");
            assertTrue(curve.get(1).rate() <= 0.05, "d=" + dims[i] + ", n = d: " + curve.get(1));
            halfway[i] = SampleComplexity.halfway(curve);
            assertTrue(Double.isFinite(halfway[i]), "d=" + dims[i] + " never reaches 50%: " + curve);
        }
        System.out.printf("n/d at 50%% recovery: d=32 %.3f, d=128 %.3f%n", halfway[0], halfway[1]);
        assertTrue(Math.abs(halfway[0] - halfway[1]) <= 0.25 * Math.min(halfway[0], halfway[1]),
                "n/d at 50%: " + halfway[0] + " (d=32) vs " + halfway[1] + " (d=128)");
    }
}
