package org.reluq.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.reluq.kernels.model.PlantedModel;
import org.reluq.kernels.random.Philox4x32;
import org.reluq.kernels.random.RandomStream;
import org.reluq.kernels.sgd.BatchSampler;
import org.reluq.kernels.sgd.Init;
import org.reluq.kernels.sgd.ProgressListener;
import org.reluq.kernels.sgd.Sampling;
import org.reluq.kernels.sgd.SgdConfig;
import org.reluq.kernels.sgd.SgdStepper;
import org.reluq.kernels.sgd.SgdTrainer;
import org.reluq.kernels.sgd.StopReason;
import org.reluq.kernels.sgd.TrainingResult;

/** The trainer's inits, sampling, curves and stopping rules. */
class SgdTrainerTest {

    @Test
    void momentInitIsTwiceTheEmpiricalMeanOfYx() {
        final int n = 203;
        final int d = 37;
        try (PlantedModel model = PlantedModel.generate(n, d, 1.0, 5);
             SgdStepper stepper = new SgdStepper(model, config(8, 0.1f, 1, Init.MOMENT, Sampling.WITH_REPLACEMENT))) {
            final float[][] x = model.x().toArray();
            final float[] y = model.y().toArray();
            final float[] w0 = stepper.weights().toArray();
            for (int j = 0; j < d; j++) {
                double expected = 0;
                double condition = 0;
                for (int i = 0; i < n; i++) {
                    expected += 2.0 * y[i] * x[i][j] / n;
                    condition += Math.abs(2.0 * y[i] * x[i][j] / n);
                }
                // the kernel computes -4 * (1/n) sum (0 - y_i)/2 x_ij in float
                assertEquals(expected, w0[j], ErrorBounds.gamma(n + 4) * condition + 1e-30, "w0[" + j + "]");
            }
        }
    }

    @Test
    void samplingWithoutReplacementVisitsEveryRowOncePerEpoch() {
        final int n = 100;
        final BatchSampler sampler = new BatchSampler(n, 20, Sampling.WITHOUT_REPLACEMENT, 77);
        final int[] batch = new int[20];
        for (int epoch = 0; epoch < 3; epoch++) {
            final int[] seen = new int[n];
            for (int b = 0; b < 5; b++) {
                sampler.next(batch);
                for (final int i : batch) {
                    seen[i]++;
                }
            }
            final int[] ones = new int[n];
            Arrays.fill(ones, 1);
            assertArrayEquals(ones, seen, "epoch " + epoch);
        }
    }

    @Test
    void samplingWithReplacementFollowsItsDefinition() {
        // index k of draw q = t m + k is below(word q mod 4 of Philox block q / 4, n); batch sizes 37 and 64
        // start batches off and on the sixteen-index fast path
        for (final int m : new int[] {1, 15, 16, 37, 64}) {
            final int n = 1_000_003;
            final BatchSampler sampler = new BatchSampler(n, m, Sampling.WITH_REPLACEMENT, 5);
            final int[] batch = new int[m];
            final int[] words = new int[4];
            for (int t = 0; t < 7; t++) {
                sampler.next(batch);
                for (int k = 0; k < m; k++) {
                    final long q = (long) t * m + k;
                    Philox4x32.block(5, RandomStream.SAMPLING, q >>> 2, 0, words);
                    assertEquals(Philox4x32.below(words[(int) (q & 3)], n), batch[k], "m = " + m + ", draw " + q);
                }
            }
        }
    }

    @Test
    void samplingWithReplacementIsUniform() {
        final int n = 10;
        final int draws = 100_000;
        final BatchSampler sampler = new BatchSampler(n, 100, Sampling.WITH_REPLACEMENT, 3);
        final int[] counts = new int[n];
        final int[] batch = new int[100];
        for (int t = 0; t < draws / 100; t++) {
            sampler.next(batch);
            for (final int i : batch) {
                counts[i]++;
            }
        }
        double chi2 = 0;
        for (final int c : counts) {
            chi2 += Math.pow(c - draws / (double) n, 2) / (draws / (double) n);
        }
        // chi-square with 9 degrees of freedom: P(> 33.7) = 1e-4
        assertTrue(chi2 < 33.7, "chi2 = " + chi2);
    }

    @Test
    void stopsAtTheTargetAndRecordsTheCurve() {
        try (PlantedModel model = PlantedModel.generate(640, 64, 1.0, 21)) {
            final TrainingResult result = SgdTrainer.train(model,
                    new SgdConfig(16, SgdConfig.defaultStep(16, 64), 20_000, Init.MOMENT,
                            Sampling.WITHOUT_REPLACEMENT, 21, 1e-3));
            assertEquals(StopReason.TARGET_REACHED, result.stopReason());
            assertEquals(result.iterations() + 1, result.relativeError().length);
            assertEquals(result.iterations(), result.loss().length);
            assertTrue(result.finalRelativeError() <= 1e-3);
            assertTrue(result.relativeError()[result.iterations() - 1] > 1e-3, "stopped at the first crossing");
            double distance = 0;
            final float[] truth = model.wStar().toArray();
            for (int j = 0; j < 64; j++) {
                distance += Math.pow(result.weights()[j] - truth[j], 2);
            }
            assertEquals(result.finalRelativeError(), Math.sqrt(distance), 1e-6);
        }
    }

    @Test
    void aStepFarTooLargeIsReportedAsDivergence() {
        try (PlantedModel model = PlantedModel.generate(400, 40, 1.0, 2)) {
            final TrainingResult result = SgdTrainer.train(model,
                    config(8, 1e6f, 10_000, Init.GAUSSIAN, Sampling.WITH_REPLACEMENT));
            assertEquals(StopReason.DIVERGED, result.stopReason());
            assertTrue(result.iterations() < 10_000);
        }
    }

    @Test
    void runsAreReproducibleAndInitsDiffer() {
        try (PlantedModel model = PlantedModel.generate(300, 30, 1.0, 4)) {
            for (final Init init : Init.values()) {
                final TrainingResult a = SgdTrainer.train(model, config(8, 0.2f, 50, init, Sampling.WITH_REPLACEMENT));
                final TrainingResult b = SgdTrainer.train(model, config(8, 0.2f, 50, init, Sampling.WITH_REPLACEMENT));
                assertArrayEquals(a.weights(), b.weights(), init.toString());
                assertArrayEquals(a.relativeError(), b.relativeError(), init.toString());
            }
            final TrainingResult zero = SgdTrainer.train(model, config(8, 0.2f, 1, Init.ZERO, Sampling.WITH_REPLACEMENT));
            final TrainingResult gaussian = SgdTrainer.train(model, config(8, 0.2f, 1, Init.GAUSSIAN, Sampling.WITH_REPLACEMENT));
            assertEquals(1.0, zero.relativeError()[0], 1e-6, "w0 = 0 is at relative error 1");
            assertTrue(gaussian.relativeError()[0] > 1.0, "a random w0 is farther than 0");
        }
    }

    /**
     * The fastest stretch of INTERVAL iterations is timed once the run has one: it lies inside the loop, so its
     * rate is at least INTERVAL over the whole loop's time; a shorter run has none.
     */
    @Test
    void timesItsFastestStretchOfIterations() {
        try (PlantedModel model = PlantedModel.generate(300, 30, 1.0, 4)) {
            final int stretch = ProgressListener.INTERVAL;
            final TrainingResult longRun = SgdTrainer.train(model,
                    config(8, 0.05f, 3 * stretch + 17, Init.MOMENT, Sampling.WITH_REPLACEMENT));
            assertEquals(3 * stretch + 17, longRun.iterations());
            assertTrue(longRun.fastestStretchNanos() > 0 && longRun.fastestStretchNanos() <= longRun.loopNanos(),
                    longRun.fastestStretchNanos() + " of " + longRun.loopNanos());
            assertEquals(stretch * 1e9 / longRun.fastestStretchNanos(), longRun.steadyIterationsPerSecond(), 1e-9);
            final TrainingResult shortRun = SgdTrainer.train(model,
                    config(8, 0.05f, stretch - 1, Init.MOMENT, Sampling.WITH_REPLACEMENT));
            assertEquals(0, shortRun.fastestStretchNanos());
            assertEquals(0, shortRun.steadyIterationsPerSecond());
        }
    }

    private static SgdConfig config(final int m, final float step, final int iterations, final Init init,
                                    final Sampling sampling) {
        return new SgdConfig(m, step, iterations, init, sampling, 99, 0);
    }
}
