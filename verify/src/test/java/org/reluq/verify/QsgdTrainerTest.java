package org.reluq.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.agrona.concurrent.UnsafeBuffer;
import org.reluq.kernels.codec.MalformedFrameException;
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.encoder.Encoders;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.model.PlantedModel;
import org.reluq.kernels.qsgd.BatchShares;
import org.reluq.kernels.qsgd.GradientAggregator;
import org.reluq.kernels.qsgd.GradientWorker;
import org.reluq.kernels.qsgd.QsgdConfig;
import org.reluq.kernels.qsgd.QsgdTrainer;
import org.reluq.kernels.relu.ReluGradient;
import org.reluq.kernels.sgd.Init;
import org.reluq.kernels.sgd.Sampling;
import org.reluq.kernels.sgd.SgdConfig;
import org.reluq.kernels.sgd.SgdTrainer;
import org.reluq.kernels.sgd.StopReason;
import org.reluq.kernels.sgd.TrainingResult;

/** The K-worker quantized-SGD trainer: exactness against SGD, determinism, unbiasedness, bad input. */
class QsgdTrainerTest {

    private static final long SEED = 4242;

    private static SgdConfig sgd(final int m, final int d, final Init init, final int iterations) {
        return new SgdConfig(m, SgdConfig.defaultStep(m, d), iterations, init, Sampling.WITH_REPLACEMENT, SEED, 0);
    }

    @ParameterizedTest(name = "init {0}")
    @CsvSource({"ZERO", "MOMENT", "GAUSSIAN"})
    void oneFp32WorkerReproducesSgdBitForBit(final Init init) {
        final int d = 200;
        try (PlantedModel model = PlantedModel.generate(10 * d, d, 1.0, SEED)) {
            final SgdConfig config = sgd(32, d, init, 400);
            final TrainingResult plain = SgdTrainer.train(model, config);
            final TrainingResult workers = QsgdTrainer.train(model, new QsgdConfig(config, 1, Encoders.parse("fp32"), 1));
            assertArrayEquals(plain.relativeError(), workers.relativeError());
            assertArrayEquals(plain.loss(), workers.loss());
            assertArrayEquals(plain.weights(), workers.weights());
            // one frame per iteration: the 48-byte header and d floats
            assertEquals(400L * (48 + 4 * d), workers.totalWireBytes());
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        final int d = 300;
        try (PlantedModel model = PlantedModel.generate(10 * d, d, 1.0, SEED)) {
            final Encoder elias = Encoders.parse("qsgd:s=4,bucket=64,code=elias");
            final SgdConfig config = new SgdConfig(48, QsgdConfig.defaultStep(48, d, elias), 300, Init.MOMENT,
                    Sampling.WITH_REPLACEMENT, SEED, 0);
            final TrainingResult one = QsgdTrainer.train(model, new QsgdConfig(config, 5, elias, 1));
            final TrainingResult three = QsgdTrainer.train(model, new QsgdConfig(config, 5, elias, 3));
            assertArrayEquals(one.weights(), three.weights());
            assertArrayEquals(one.relativeError(), three.relativeError());
            assertArrayEquals(one.wireBytes(), three.wireBytes());
            assertTrue(one.finalRelativeError() < 0.5 * one.relativeError()[0], "QSGD made progress");
        }
    }

    /**
     * With fp32 frames the K shares add up to the batch gradient: the coefficients are the same floats, only
     * the order of the sum differs, so every coordinate is within {@code 2 gamma_m sum_i |c_i x_ij|}.
     */
    @Test
    void fp32SharesAddUpToTheBatchGradient() {
        final int d = 129;
        final int m = 37;
        final Encoder fp32 = Encoders.parse("fp32");
        try (PlantedModel model = PlantedModel.generate(500, d, 1.0, SEED);
             OffHeapVector w = OffHeapVector.allocate(d);
             OffHeapVector batch = OffHeapVector.allocate(d);
             GradientAggregator aggregator = new GradientAggregator(d, fp32)) {
            Init.GAUSSIAN.write(model, SEED, w, batch);
            final int[] rows = new int[m];
            for (int i = 0; i < m; i++) {
                rows[i] = (i * 131) % model.n();
            }
            ReluGradient.batch(model.x(), model.y(), w, rows, 0, m, batch);
            for (final int k : new int[] {1, 2, 5, 37}) {
                aggregator.begin();
                for (int worker = 0; worker < k; worker++) {
                    try (GradientWorker g = new GradientWorker(worker, d, fp32)) {
                        final int from = BatchShares.start(worker, k, m);
                        final int to = BatchShares.start(worker + 1, k, m);
                        assertTrue(g.work(model.x(), model.y(), w, rows, from, to - from, 1f / m, SEED, worker));
                        aggregator.add(g.frame(), 0, g.frameLength());
                    }
                }
                final float[][] x = model.x().toArray();
                final float[] y = model.y().toArray();
                final float[] wArray = w.toArray();
                final double bound = 2 * ErrorBounds.gamma(m);
                for (int j = 0; j < d; j++) {
                    double absTerms = 0;
                    for (final int r : rows) {
                        final double z = ReferenceKernels.dot(x[r], wArray);
                        absTerms += Math.abs(ReferenceKernels.coefficient(z, y[r], m) * x[r][j]);
                    }
                    final double diff = Math.abs(aggregator.gradient().get(j) - batch.get(j));
                    assertTrue(diff <= bound * absTerms * 1.01 + ErrorBounds.UNDERFLOW,
                            "K=" + k + " coordinate " + j + ": differs by " + diff + ", bound " + bound * absTerms);
                }
            }
        }
    }

    /**
     * E[sum of decoded frames] is the batch gradient: 4 workers quantize with s = 1 (the noisiest) in 4000
     * independent rounds; each coordinate's mean is z-tested against the fp32 sum. |z| > 4.5 on any of the 40
     * coordinates has probability below 40 * 6.8e-6 = 2.7e-4 for an unbiased quantizer (normal approximation,
     * 4000 rounds).
     */
    @Test
    void theAveragedDecodedGradientIsUnbiased() {
        final int d = 40;
        final int m = 24;
        final int workers = 4;
        final int rounds = 4000;
        final Encoder qsgd = Encoders.parse("qsgd:s=1,bucket=none,code=packed");
        final Encoder fp32 = Encoders.parse("fp32");
        try (PlantedModel model = PlantedModel.generate(200, d, 1.0, SEED);
             OffHeapVector w = OffHeapVector.allocate(d);
             OffHeapVector scratch = OffHeapVector.allocate(d);
             GradientAggregator exact = new GradientAggregator(d, fp32);
             GradientAggregator quantized = new GradientAggregator(d, qsgd)) {
            Init.GAUSSIAN.write(model, SEED, w, scratch);
            final int[] rows = new int[m];
            for (int i = 0; i < m; i++) {
                rows[i] = (i * 7 + 3) % model.n();
            }
            exact.begin();
            addShares(model, w, rows, workers, fp32, 0, exact);
            final double[] sum = new double[d];
            final double[] sumSquares = new double[d];
            for (int round = 0; round < rounds; round++) {
                quantized.begin();
                addShares(model, w, rows, workers, qsgd, round, quantized);
                for (int j = 0; j < d; j++) {
                    final double value = quantized.gradient().get(j);
                    sum[j] += value;
                    sumSquares[j] += value * value;
                }
            }
            double worst = 0;
            for (int j = 0; j < d; j++) {
                final double mean = sum[j] / rounds;
                final double variance = (sumSquares[j] - rounds * mean * mean) / (rounds - 1);
                final double z = (mean - exact.gradient().get(j)) / Math.sqrt(variance / rounds);
                worst = Math.max(worst, Math.abs(z));
            }
            assertTrue(worst < 4.5, "largest |z| = " + worst);
        }
    }

    private static void addShares(final PlantedModel model, final OffHeapVector w, final int[] rows, final int workers,
                                  final Encoder encoder, final long round, final GradientAggregator into) {
        for (int k = 0; k < workers; k++) {
            try (GradientWorker worker = new GradientWorker(k, model.d(), encoder)) {
                final int from = BatchShares.start(k, workers, rows.length);
                final int to = BatchShares.start(k + 1, workers, rows.length);
                assertTrue(worker.work(model.x(), model.y(), w, rows, from, to - from, 1f / rows.length, SEED,
                        GradientWorker.ditherStream(round, k, workers)));
                into.add(worker.frame(), 0, worker.frameLength());
            }
        }
    }

    @Test
    void aDivergingRunStopsWithoutThrowing() {
        final int d = 32;
        try (PlantedModel model = PlantedModel.generate(320, d, 1.0, SEED)) {
            final SgdConfig config = new SgdConfig(8, 1000f, 10_000, Init.GAUSSIAN, Sampling.WITH_REPLACEMENT, SEED, 0);
            final TrainingResult result = QsgdTrainer.train(model,
                    new QsgdConfig(config, 2, Encoders.parse("qsgd:s=2,code=elias"), 2));
            assertEquals(StopReason.DIVERGED, result.stopReason());
            assertTrue(result.iterations() < 10_000);
        }
    }

    @Test
    void theAggregatorRejectsFramesOfAnotherEncoderOrDamagedOnes() {
        final int d = 50;
        final Encoder packed = Encoders.parse("qsgd:s=4,code=packed");
        try (PlantedModel model = PlantedModel.generate(100, d, 1.0, SEED);
             OffHeapVector w = OffHeapVector.allocate(d);
             GradientWorker worker = new GradientWorker(0, d, packed);
             GradientAggregator fp32 = new GradientAggregator(d, Encoders.parse("fp32"));
             GradientAggregator same = new GradientAggregator(d, packed)) {
            final int[] rows = {1, 2, 3, 4};
            assertTrue(worker.work(model.x(), model.y(), w, rows, 0, 4, 0.25f, SEED, 0));
            fp32.begin();
            assertThrows(MalformedFrameException.class, () -> fp32.add(worker.frame(), 0, worker.frameLength()));
            same.begin();
            assertThrows(MalformedFrameException.class, () -> same.add(worker.frame(), 0, worker.frameLength() - 1));
            final UnsafeBuffer copy = new UnsafeBuffer(new byte[worker.frameLength()]);
            copy.putBytes(0, worker.frame(), 0, worker.frameLength());
            copy.putByte(60, (byte) (copy.getByte(60) ^ 4));
            assertThrows(MalformedFrameException.class, () -> same.add(copy, 0, copy.capacity()));
            same.add(worker.frame(), 0, worker.frameLength());
            assertEquals(1, same.frames());
            assertThrows(IllegalArgumentException.class,
                    () -> worker.work(model.x(), model.y(), w, new int[] {100}, 0, 1, 1f, SEED, 0));
        }
    }

    @Test
    void sharesCoverTheBatchWithSizesDifferingByAtMostOne() {
        for (int m = 1; m <= 40; m++) {
            for (int k = 1; k <= m; k++) {
                assertEquals(0, BatchShares.start(0, k, m));
                assertEquals(m, BatchShares.start(k, k, m));
                for (int worker = 0; worker < k; worker++) {
                    final int size = BatchShares.start(worker + 1, k, m) - BatchShares.start(worker, k, m);
                    assertTrue(size == m / k || size == m / k + 1, "m=" + m + " K=" + k + " worker " + worker);
                }
            }
        }
    }

    @Test
    void badConfigurationsNameTheValue() {
        final SgdConfig config = sgd(8, 16, Init.ZERO, 10);
        final Encoder fp32 = Encoders.parse("fp32");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new QsgdConfig(config, 0, fp32, 1))
                .getMessage().contains("workers must be >= 1, got 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new QsgdConfig(config, 9, fp32, 1))
                .getMessage().contains("workers = 9 exceeds the batch size 8"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new QsgdConfig(config, 2, fp32, 0))
                .getMessage().contains("threads must be >= 1, got 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> BatchShares.start(0, 3, 2))
                .getMessage().contains("cannot split 2 rows among 3 workers"));
    }

    @Test
    void theStepRuleDividesByOnePlusTheVarianceFactor() {
        final int d = 1024;
        assertEquals(SgdConfig.defaultStep(64, d), QsgdConfig.defaultStep(64, d, Encoders.parse("fp32")));
        // s = 4, one norm: omega = min(1024 / 16, 32 / 4) = 8
        assertEquals(SgdConfig.defaultStep(64, d) / 9, QsgdConfig.defaultStep(64, d, Encoders.parse("qsgd:s=4")),
                1e-7);
        // s = 1, buckets of 512: omega = min(512, sqrt(512)) = 22.6
        assertEquals(Math.sqrt(512), Encoders.parse("qsgd:s=1,bucket=512").varianceFactor(d), 1e-12);
    }
}
