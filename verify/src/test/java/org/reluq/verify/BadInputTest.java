package org.reluq.verify;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.reluq.kernels.linalg.DenseOps;
import org.reluq.kernels.memory.OffHeapMatrix;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.model.PlantedModel;
import org.reluq.kernels.relu.ReluForward;
import org.reluq.kernels.relu.ReluGradient;
import org.reluq.kernels.sgd.BatchSampler;
import org.reluq.kernels.sgd.Init;
import org.reluq.kernels.sgd.Sampling;
import org.reluq.kernels.sgd.SgdConfig;
import org.reluq.kernels.sgd.SgdTrainer;

/** Every bad argument gets an exception whose message names the bad value; nothing crashes or reads out of bounds. */
class BadInputTest {

    private static <T extends Throwable> void assertMessage(final Class<T> type, final Executable call,
                                                            final String part) {
        final T e = assertThrows(type, call);
        assertTrue(e.getMessage().contains(part), () -> "message '" + e.getMessage() + "' lacks '" + part + "'");
    }

    @Test
    void nonPositiveSizesAreRejected() {
        assertMessage(IllegalArgumentException.class, () -> OffHeapVector.allocate(0), "got 0");
        assertMessage(IllegalArgumentException.class, () -> OffHeapVector.allocate(-5), "got -5");
        assertMessage(IllegalArgumentException.class, () -> OffHeapMatrix.allocate(0, 4), "rows must be >= 1, got 0");
        assertMessage(IllegalArgumentException.class, () -> OffHeapMatrix.allocate(4, -1), "cols must be in [1,");
        assertMessage(IllegalArgumentException.class, () -> OffHeapMatrix.of(new float[][] {{1, 2}, {3}}),
                "row 1 has 1 values, expected 2");
    }

    @Test
    void mismatchedDimensionsAreRejected() {
        try (OffHeapMatrix x = OffHeapMatrix.allocate(5, 3); OffHeapVector w3 = OffHeapVector.allocate(3);
             OffHeapVector w4 = OffHeapVector.allocate(4); OffHeapVector y5 = OffHeapVector.allocate(5);
             OffHeapVector y6 = OffHeapVector.allocate(6)) {
            assertMessage(IllegalArgumentException.class, () -> ReluForward.forward(x, w4, y5), "w has length 4");
            assertMessage(IllegalArgumentException.class, () -> ReluForward.forward(x, w3, y6), "out has length 6");
            assertMessage(IllegalArgumentException.class, () -> ReluGradient.full(x, y5, w3, w4), "g has length 4");
            assertMessage(IllegalArgumentException.class, () -> ReluGradient.full(x, y6, w3, w3), "y has length 6");
            assertMessage(IllegalArgumentException.class, () -> ReluGradient.loss(x, y5, w4), "w has length 4");
            assertMessage(IllegalArgumentException.class,
                    () -> DenseOps.axpyThenDistanceSquared(w3, 1f, w4, w3), "g has length 4");
        }
    }

    @Test
    void batchIndicesOutsideTheMatrixAreRejectedBeforeAnyRead() {
        try (OffHeapMatrix x = OffHeapMatrix.allocate(5, 3); OffHeapVector w = OffHeapVector.allocate(3);
             OffHeapVector y = OffHeapVector.allocate(5); OffHeapVector g = OffHeapVector.allocate(3)) {
            assertMessage(IllegalArgumentException.class,
                    () -> ReluGradient.batch(x, y, w, new int[] {0, 5}, 0, 2, g), "rows[1] = 5 is outside [0, 5)");
            assertMessage(IllegalArgumentException.class,
                    () -> ReluGradient.batch(x, y, w, new int[] {-1}, 0, 1, g), "rows[0] = -1");
            assertMessage(IllegalArgumentException.class,
                    () -> ReluGradient.batch(x, y, w, new int[] {0, 1}, 1, 2, g), "outside the index array of length 2");
            assertMessage(IllegalArgumentException.class,
                    () -> ReluGradient.batch(x, y, w, new int[] {0}, 0, 0, g), "batch size must be >= 1, got 0");
        }
    }

    @Test
    void closedMemoryIsReportedNotCrashedOn() {
        final OffHeapMatrix x = OffHeapMatrix.allocate(4, 3);
        final OffHeapVector w = OffHeapVector.allocate(3);
        final OffHeapVector out = OffHeapVector.allocate(4);
        x.close();
        x.close(); // idempotent
        assertMessage(IllegalStateException.class, () -> ReluForward.forward(x, w, out), "OffHeapMatrix 4x3 is closed");
        w.close();
        assertMessage(IllegalStateException.class, () -> w.get(0), "OffHeapVector of length 3 is closed");
        assertMessage(IndexOutOfBoundsException.class, () -> out.get(4), "4");
        out.close();
    }

    @Test
    void badTrainingParametersAreRejected() {
        assertMessage(IllegalArgumentException.class,
                () -> new SgdConfig(8, Float.NaN, 10, Init.ZERO, Sampling.WITH_REPLACEMENT, 1, 0), "step must be finite and > 0, got NaN");
        assertMessage(IllegalArgumentException.class,
                () -> new SgdConfig(8, -0.1f, 10, Init.ZERO, Sampling.WITH_REPLACEMENT, 1, 0), "got -0.1");
        assertMessage(IllegalArgumentException.class,
                () -> new SgdConfig(8, Float.POSITIVE_INFINITY, 10, Init.ZERO, Sampling.WITH_REPLACEMENT, 1, 0), "got Infinity");
        assertMessage(IllegalArgumentException.class,
                () -> new SgdConfig(0, 0.1f, 10, Init.ZERO, Sampling.WITH_REPLACEMENT, 1, 0), "batch size must be >= 1, got 0");
        assertMessage(IllegalArgumentException.class,
                () -> new SgdConfig(8, 0.1f, 0, Init.ZERO, Sampling.WITH_REPLACEMENT, 1, 0), "iterations must be >= 1, got 0");
        assertMessage(IllegalArgumentException.class,
                () -> new SgdConfig(8, 0.1f, 10, Init.ZERO, Sampling.WITH_REPLACEMENT, 1, -1), "target error must be finite and >= 0, got -1.0");
        assertMessage(IllegalArgumentException.class, () -> Init.parse("ones"), "unknown init 'ones'");
        assertMessage(IllegalArgumentException.class,
                () -> new BatchSampler(10, 11, Sampling.WITHOUT_REPLACEMENT, 1), "batch size 11 exceeds n = 10");
        try (PlantedModel model = PlantedModel.generate(10, 4, 1, 1)) {
            assertMessage(IllegalArgumentException.class, () -> SgdTrainer.train(model,
                    new SgdConfig(11, 0.1f, 10, Init.ZERO, Sampling.WITHOUT_REPLACEMENT, 1, 0)), "exceeds n = 10");
        }
    }
}
