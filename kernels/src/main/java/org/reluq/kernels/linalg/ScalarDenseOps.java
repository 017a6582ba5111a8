package org.reluq.kernels.linalg;

import static org.reluq.kernels.simd.Vectorization.LANES;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.reluq.kernels.simd.Fma;
import org.reluq.kernels.internal.LaneSums;
import org.reluq.kernels.internal.Scratch;

/**
 * The scalar twins of {@link DenseOps}: the same FMAs per element and the same lane accumulators as the
 * vector code at {@code LANES} lanes (two, taking alternate vectors, where it has two), summed by
 * {@link LaneSums}, so they give its bits, for the time before C2 has compiled the vector code. They work on
 * heap copies (until C2 has compiled them, every segment access would cost a chain of calls, a bulk copy
 * one). Lengths are padded lengths, a multiple of {@code LANES}.
 */
final class ScalarDenseOps {

    /** The first of the three heap slots these twins use. */
    private static final int FIRST_SLOT = 10;

    private ScalarDenseOps() {
    }

    /** {@link DenseOps#axpyThenDistanceSquared} over {@code floats} floats. */
    static double axpyThenDistanceSquared(final MemorySegment ws, final float alpha, final MemorySegment gs,
                                          final MemorySegment ts, final long floats) {
        final Scratch scratch = Scratch.get();
        final int n = (int) floats;
        final float[] w = copy(ws, 0, n, scratch);
        final float[] g = copy(gs, 1, n, scratch);
        final float[] t = copy(ts, 2, n, scratch);
        final int paired = n / (2 * LANES) * (2 * LANES);
        for (int lane = 0; lane < LANES; lane++) {
            float s0 = 0;
            float s1 = 0;
            for (int j = lane; j < paired; j += 2 * LANES) {
                w[j] = Fma.fma(alpha, g[j], w[j]);
                w[j + LANES] = Fma.fma(alpha, g[j + LANES], w[j + LANES]);
                final float e0 = w[j] - t[j];
                final float e1 = w[j + LANES] - t[j + LANES];
                s0 = Fma.fma(e0, e0, s0);
                s1 = Fma.fma(e1, e1, s1);
            }
            for (int j = paired + lane; j < n; j += LANES) {
                w[j] = Fma.fma(alpha, g[j], w[j]);
                final float e0 = w[j] - t[j];
                s0 = Fma.fma(e0, e0, s0);
            }
            scratch.lanes[lane] = s0 + s1;
        }
        MemorySegment.copy(w, 0, ws, ValueLayout.JAVA_FLOAT, 0, n);
        return LaneSums.sum(scratch.lanes, 0, scratch.laneTmp);
    }

    /** {@link DenseOps#distanceSquared} over {@code floats} floats. */
    static double distanceSquared(final MemorySegment as, final MemorySegment bs, final long floats) {
        final Scratch scratch = Scratch.get();
        final int n = (int) floats;
        final float[] a = copy(as, 0, n, scratch);
        final float[] b = copy(bs, 1, n, scratch);
        final int paired = n / (2 * LANES) * (2 * LANES);
        for (int lane = 0; lane < LANES; lane++) {
            float s0 = 0;
            float s1 = 0;
            for (int j = lane; j < paired; j += 2 * LANES) {
                final float e0 = a[j] - b[j];
                final float e1 = a[j + LANES] - b[j + LANES];
                s0 = Fma.fma(e0, e0, s0);
                s1 = Fma.fma(e1, e1, s1);
            }
            for (int j = paired + lane; j < n; j += LANES) {
                final float e0 = a[j] - b[j];
                s0 = Fma.fma(e0, e0, s0);
            }
            scratch.lanes[lane] = s0 + s1;
        }
        return LaneSums.sum(scratch.lanes, 0, scratch.laneTmp);
    }

    /** {@link DenseOps#normSquared} over {@code floats} floats: one accumulator per lane. */
    static double normSquared(final MemorySegment as, final long floats) {
        final Scratch scratch = Scratch.get();
        final int n = (int) floats;
        final float[] a = copy(as, 0, n, scratch);
        for (int lane = 0; lane < LANES; lane++) {
            float s0 = 0;
            for (int j = lane; j < n; j += LANES) {
                s0 = Fma.fma(a[j], a[j], s0);
            }
            scratch.lanes[lane] = s0;
        }
        return LaneSums.sum(scratch.lanes, 0, scratch.laneTmp);
    }

    /** {@link DenseOps#scale}. */
    static void scale(final MemorySegment vs, final float factor, final long floats) {
        final int n = (int) floats;
        final float[] v = copy(vs, 0, n, Scratch.get());
        for (int j = 0; j < n; j++) {
            v[j] *= factor;
        }
        MemorySegment.copy(v, 0, vs, ValueLayout.JAVA_FLOAT, 0, n);
    }

    /** {@link DenseOps#add}. */
    static void add(final MemorySegment as, final MemorySegment vs, final long floats) {
        final Scratch scratch = Scratch.get();
        final int n = (int) floats;
        final float[] a = copy(as, 0, n, scratch);
        final float[] v = copy(vs, 1, n, scratch);
        for (int j = 0; j < n; j++) {
            a[j] += v[j];
        }
        MemorySegment.copy(a, 0, as, ValueLayout.JAVA_FLOAT, 0, n);
    }

    /** The first {@code n} floats of {@code s} in heap slot {@code slot} (past the gradient twins' slots). */
    private static float[] copy(final MemorySegment s, final int slot, final int n, final Scratch scratch) {
        final float[] heap = scratch.heap(FIRST_SLOT + slot, n);
        MemorySegment.copy(s, ValueLayout.JAVA_FLOAT, 0, heap, 0, n);
        return heap;
    }
}
