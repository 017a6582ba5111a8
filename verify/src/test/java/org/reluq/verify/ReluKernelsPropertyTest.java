package org.reluq.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.reluq.kernels.memory.OffHeapMatrix;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.parallel.KernelPool;
import org.reluq.kernels.relu.ParallelGradient;
import org.reluq.kernels.relu.ReluForward;
import org.reluq.kernels.relu.ReluGradient;
import org.reluq.kernels.simd.Vectorization;

/**
 * Forward, loss and gradient kernels against the double references, within the forward-error bounds of
 * {@link ErrorBounds}, over awkward shapes and scales. Tagged "species": the build runs it again with the
 * kernels forced to 128-, 256- and 512-bit vectors.
 */
@Tag("species")
class ReluKernelsPropertyTest {

    @ParameterizedTest(name = "m={0} d={1} {2}")
    @MethodSource("org.reluq.verify.TestData#shapes")
    void forwardIsWithinTheDotProductBound(final int m, final int d, final TestData.Scale scale, final long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        final float[][] x = TestData.matrix(m, d, scale, random);
        final float[] w = TestData.weights(d, scale, random);
        try (OffHeapMatrix xs = OffHeapMatrix.of(x); OffHeapVector ws = OffHeapVector.of(w);
             OffHeapVector out = OffHeapVector.allocate(m)) {
            ReluForward.forward(xs, ws, out);
            final double[] expected = ReferenceKernels.forward(x, w);
            for (int i = 0; i < m; i++) {
                final double bound = ErrorBounds.dot(xs.strideFloats(), ReferenceKernels.absDot(x[i], w));
                assertTrue(Math.abs(out.get(i) - expected[i]) <= bound, () -> Vectorization.describe()
                        + ": forward row differs by more than " + bound);
            }
        }
    }

    @ParameterizedTest(name = "m={0} d={1} {2}")
    @MethodSource("org.reluq.verify.TestData#shapes")
    void fullGradientAndLossAreWithinTheirBounds(final int m, final int d, final TestData.Scale scale,
                                                 final long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        final float[][] x = TestData.matrix(m, d, scale, random);
        final float[] w = TestData.weights(d, scale, random);
        final float[] y = TestData.labels(x, scale, random);
        try (OffHeapMatrix xs = OffHeapMatrix.of(x); OffHeapVector ws = OffHeapVector.of(w);
             OffHeapVector ys = OffHeapVector.of(y); OffHeapVector g = OffHeapVector.allocate(d)) {
            final double loss = ReluGradient.full(xs, ys, ws, g);
            final int[] rows = ReferenceKernels.allRows(m);
            assertWithinBounds(x, y, w, rows, xs.strideFloats(), g.toArray(), loss);
            assertEquals(loss, ReluGradient.loss(xs, ys, ws), 0.0, "loss alone equals the fused loss");
        }
    }

    /**
     * The parallel gradient: the same bits on 1, 2 and 3 threads (its row blocks do not depend on the thread
     * count), within the gradient bound, and the same loss as the one-thread kernel up to the order of the sum.
     */
    @ParameterizedTest(name = "m={0} d={1} {2}")
    @MethodSource("org.reluq.verify.TestData#shapes")
    void parallelGradientIsTheSameOnEveryThreadCountAndWithinTheBound(final int m, final int d,
                                                                      final TestData.Scale scale, final long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        final float[][] x = TestData.matrix(m, d, scale, random);
        final float[] w = TestData.weights(d, scale, random);
        final float[] y = TestData.labels(x, scale, random);
        try (OffHeapMatrix xs = OffHeapMatrix.of(x); OffHeapVector ws = OffHeapVector.of(w);
             OffHeapVector ys = OffHeapVector.of(y); OffHeapVector g = OffHeapVector.allocate(d)) {
            float[] first = null;
            double firstLoss = 0;
            for (final int threads : new int[] {1, 2, 3}) {
                try (KernelPool pool = new KernelPool(threads); ParallelGradient parallel = new ParallelGradient(d, pool)) {
                    final double loss = parallel.full(xs, ys, ws, g);
                    if (first == null) {
                        first = g.toArray();
                        firstLoss = loss;
                        assertWithinBounds(x, y, w, ReferenceKernels.allRows(m), xs.strideFloats(), first, loss);
                    } else {
                        assertArrayEquals(first, g.toArray(), threads + " threads");
                        assertEquals(firstLoss, loss, 0.0, threads + " threads");
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "m={0} d={1} {2}")
    @MethodSource("org.reluq.verify.TestData#shapes")
    void batchGradientByIndexEqualsTheGradientOfCopiedRows(final int m, final int d, final TestData.Scale scale,
                                                          final long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        final int n = m + 5;
        final float[][] x = TestData.matrix(n, d, scale, random);
        final float[] w = TestData.weights(d, scale, random);
        final float[] y = TestData.labels(x, scale, random);
        final int[] rows = new int[m + 3];
        for (int k = 0; k < rows.length; k++) {
            rows[k] = random.nextInt(n); // repeats allowed, as with replacement
        }
        final int offset = 2;
        final int[] batch = java.util.Arrays.copyOfRange(rows, offset, offset + m);
        final float[][] copied = new float[m][];
        final float[] copiedY = new float[m];
        for (int k = 0; k < m; k++) {
            copied[k] = x[batch[k]];
            copiedY[k] = y[batch[k]];
        }
        try (OffHeapMatrix xs = OffHeapMatrix.of(x); OffHeapVector ws = OffHeapVector.of(w);
             OffHeapVector ys = OffHeapVector.of(y); OffHeapVector g = OffHeapVector.allocate(d);
             OffHeapMatrix cs = OffHeapMatrix.of(copied); OffHeapVector cy = OffHeapVector.of(copiedY);
             OffHeapVector gc = OffHeapVector.allocate(d)) {
            final double loss = ReluGradient.batch(xs, ys, ws, rows, offset, m, g);
            final double copiedLoss = ReluGradient.full(cs, cy, ws, gc);
            assertArrayEquals(gc.toArray(), g.toArray(), "same arithmetic, same bits");
            assertEquals(copiedLoss, loss, 0.0);
            assertWithinBounds(x, y, w, batch, xs.strideFloats(), g.toArray(), loss);
        }
    }

    private static void assertWithinBounds(final float[][] x, final float[] y, final float[] w, final int[] rows,
                                           final int paddedD, final float[] g, final double loss) {
        final String violation = GradientBounds.violation(x, y, w, rows, paddedD, g, loss);
        assertTrue(violation == null, () -> Vectorization.describe() + ": " + violation);
    }
}
