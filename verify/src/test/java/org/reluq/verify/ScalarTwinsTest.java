package org.reluq.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.reluq.kernels.linalg.DenseOps;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.model.PlantedModel;
import org.reluq.kernels.relu.ParallelGradient;
import org.reluq.kernels.relu.ReluGradient;
import org.reluq.kernels.parallel.KernelPool;
import org.reluq.kernels.random.Gaussian;
import org.reluq.kernels.random.RandomStream;
import org.reluq.kernels.simd.Vectorization;
import org.reluq.kernels.warmup.KernelFamily;
import org.reluq.kernels.warmup.KernelPath;
import org.reluq.kernels.warmup.Probe;
import org.reluq.kernels.warmup.Warmup;

/**
 * The scalar twins give the vector kernels' bits exactly (so a run does not depend on when the warm-up
 * switched a family), over shapes whose rows end anywhere in a vector, at every vector width (the class runs in
 * the forced-species executions); and the warm-up's race switches only to a faster vector path.
 */
@Tag("species")
class ScalarTwinsTest {

    private static final int[] DIMENSIONS = {1, 3, 16, 17, 31, 100, 257, 1024, 1031, 1056, 2100};

    @AfterEach
    void backToDefaults() {
        KernelPaths.restoreDefaults();
    }

    /** The same computation on both paths of a family, as float bits. */
    private static <T> void assertSameOnBothPaths(final KernelFamily family, final Supplier<T> run,
                                                  final String what) {
        assumeTrue(Vectorization.AVAILABLE, "the twins are compared with the vector kernels");
        family.use(KernelPath.VECTOR);
        final T vector = run.get();
        family.use(KernelPath.SCALAR);
        final T scalar = run.get();
        family.useDefault();
        if (vector instanceof float[] v) {
            assertArrayEquals(v, (float[]) scalar, what);
        } else {
            assertEquals(vector, scalar, what);
        }
    }

    @Test
    void gradientTwinsGiveTheVectorBits() {
        for (final int d : DIMENSIONS) {
            final int n = 37;
            try (PlantedModel model = PlantedModel.generate(n, d, 1.0, d);
                 OffHeapVector w = OffHeapVector.allocate(d);
                 OffHeapVector g = OffHeapVector.allocate(d)) {
                Gaussian.fill(7, RandomStream.INIT, 0, d, w.segment(), 0);
                final int[] rows = new int[23];
                for (int k = 0; k < rows.length; k++) {
                    rows[k] = k * 11 % n;
                }
                rows[5] = rows[6];
                for (final int count : new int[] {1, 3, 8, 9, 23}) {
                    final String where = "d = " + d + ", " + count + " rows";
                    assertSameOnBothPaths(KernelFamily.GRADIENT, () -> {
                        final double loss = ReluGradient.batch(model.x(), model.y(), w, rows, 0, count, g);
                        return append(g.toArray(), loss);
                    }, "batch gradient, " + where);
                }
                assertSameOnBothPaths(KernelFamily.GRADIENT, () -> {
                    final double loss = ReluGradient.full(model.x(), model.y(), w, g);
                    return append(g.toArray(), loss);
                }, "full gradient, d = " + d);
                // at w = 0 every row has a coefficient: the moment init's pass
                try (OffHeapVector zero = OffHeapVector.allocate(d)) {
                    assertSameOnBothPaths(KernelFamily.GRADIENT, () -> {
                        final double loss = ReluGradient.full(model.x(), model.y(), zero, g);
                        return append(g.toArray(), loss);
                    }, "gradient at 0, d = " + d);
                }
                try (KernelPool pool = new KernelPool(2); ParallelGradient parallel = new ParallelGradient(d, pool)) {
                    assertSameOnBothPaths(KernelFamily.GRADIENT, () -> {
                        final double loss = parallel.full(model.x(), model.y(), w, g);
                        return append(g.toArray(), loss);
                    }, "parallel gradient, d = " + d);
                }
            }
        }
    }

    private static float[] append(final float[] values, final double last) {
        final float[] out = java.util.Arrays.copyOf(values, values.length + 2);
        final long bits = Double.doubleToRawLongBits(last);
        out[values.length] = Float.intBitsToFloat((int) bits);
        out[values.length + 1] = Float.intBitsToFloat((int) (bits >>> 32));
        return out;
    }

    @Test
    void denseTwinsGiveTheVectorBits() {
        for (final int d : DIMENSIONS) {
            try (OffHeapVector a = OffHeapVector.allocate(d);
                 OffHeapVector b = OffHeapVector.allocate(d);
                 OffHeapVector w = OffHeapVector.allocate(d)) {
                Gaussian.fill(1, RandomStream.DATA, 0, d, a.segment(), 0);
                Gaussian.fill(2, RandomStream.DATA, 0, d, b.segment(), 0);
                final String where = "d = " + d;
                assertSameOnBothPaths(KernelFamily.DENSE, () -> DenseOps.distanceSquared(a, b), "distance, " + where);
                assertSameOnBothPaths(KernelFamily.DENSE, () -> DenseOps.normSquared(a), "norm, " + where);
                assertSameOnBothPaths(KernelFamily.DENSE, () -> {
                    w.copyFrom(a);
                    final double distance = DenseOps.axpyThenDistanceSquared(w, -0.37f, b, a);
                    return append(w.toArray(), distance);
                }, "axpy and distance, " + where);
                assertSameOnBothPaths(KernelFamily.DENSE, () -> {
                    w.copyFrom(a);
                    DenseOps.scale(w, 1.7f);
                    DenseOps.add(w, b);
                    return w.toArray();
                }, "scale and add, " + where);
            }
        }
    }

    @Test
    void generatorTwinGivesTheReferenceBits() {
        KernelFamily.GAUSSIAN.use(KernelPath.SCALAR);
        for (final long first : new long[] {0, 1, 6, 1L << 33}) {
            for (final int count : new int[] {0, 1, 5, 63, 64, 65, 1000, 70_000}) {
                final float[] out = new float[count];
                Gaussian.fill(31, RandomStream.DATA, first, out, 0, count);
                assertArrayEquals(ReferenceGaussian.samples(31, RandomStream.DATA, first, count), out,
                        "[" + first + ", +" + count + ")");
            }
        }
    }

    @Test
    void plantedModelIsTheSameOnBothPaths() {
        for (final int d : new int[] {5, 100, 1031}) {
            KernelFamily.GAUSSIAN.use(KernelPath.SCALAR);
            try (PlantedModel scalar = PlantedModel.generate(300, d, 1.0, 3, 2)) {
                final ReferencePlantedModel reference = ReferencePlantedModel.generate(300, d, 1.0, 3);
                assertArrayEquals(reference.y(), scalar.y().toArray(), "labels, d = " + d);
                for (int i = 0; i < 300; i++) {
                    assertArrayEquals(reference.x()[i], scalar.x().row(i), "row " + i + ", d = " + d);
                }
            }
        }
    }

    /** A probe whose paths take fixed times, to drive the race. */
    private record TimedProbe(long vectorNanos, long scalarNanos) implements Probe {
        @Override
        public KernelFamily family() {
            return KernelFamily.DENSE;
        }

        @Override
        public void run(final KernelPath path) {
            final long end = System.nanoTime() + (path == KernelPath.VECTOR ? vectorNanos : scalarNanos);
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
        }

        @Override
        public void close() {
        }
    }

    @Test
    void theRaceSwitchesOnlyToTheFasterPath() {
        assertTrue(Warmup.vectorWins(new TimedProbe(20_000, 400_000), 5_000_000_000L), "vectors 20x faster");
        final long start = System.nanoTime();
        assertFalse(Warmup.vectorWins(new TimedProbe(400_000, 20_000), 200_000_000L), "vectors 20x slower");
        assertTrue(System.nanoTime() - start >= 200_000_000L, "gave up only after its patience");
    }
}
