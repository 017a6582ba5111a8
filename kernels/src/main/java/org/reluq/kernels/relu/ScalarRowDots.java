package org.reluq.kernels.relu;

import static org.reluq.kernels.simd.Vectorization.LANES;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.reluq.kernels.simd.Fma;
import org.reluq.kernels.internal.LaneSums;
import org.reluq.kernels.internal.Scratch;

/**
 * The scalar twins of {@link RowDots} and of the gradient's fold: the same products and sums in the same
 * order as the vector code at {@code LANES} lanes (a lane's FMA chain, then {@link LaneSums}), so they give
 * its bits, for the time before C2 has compiled the vector kernels. They work on heap copies (w and g for a
 * whole call, each block's rows as it comes): until C2 has compiled them, every segment access would cost
 * a chain of calls, a bulk copy one. Each lane's chain runs over the row with a stride of {@code LANES}
 * floats, eight chains side by side to cover the FMA latency.
 */
final class ScalarRowDots {

    /** Heap slots: w, g, then the rows of a block. */
    static final int W = 0;
    static final int G = 1;
    private static final int ROW = 2;

    private ScalarRowDots() {
    }

    /** Copies w into its heap slot for the call's dot products; the gradient's heap copy starts at zero. */
    static void begin(final MemorySegment ws, final long stride, final Scratch scratch) {
        final int floats = (int) (stride / Float.BYTES);
        MemorySegment.copy(ws, ValueLayout.JAVA_FLOAT, 0, scratch.heap(W, floats), 0, floats);
        java.util.Arrays.fill(scratch.heap(G, floats), 0, floats, 0f);
    }

    /** Copies the gradient's heap copy into {@code gs}. */
    static void end(final MemorySegment gs, final long stride, final Scratch scratch) {
        final int floats = (int) (stride / Float.BYTES);
        MemorySegment.copy(scratch.heap(G, floats), 0, gs, ValueLayout.JAVA_FLOAT, 0, floats);
    }

    private static float[] row(final MemorySegment xs, final long offset, final int slot, final int floats,
                               final Scratch scratch) {
        final float[] row = scratch.heap(ROW + slot, floats);
        MemorySegment.copy(xs, ValueLayout.JAVA_FLOAT, offset, row, 0, floats);
        return row;
    }

    /** {@link RowDots#dots4}: two chains per row, over a row's even and odd vectors. */
    static void dots4(final MemorySegment xs, final long o0, final long o1, final long o2, final long o3,
                      final long stride, final Scratch scratch) {
        final int floats = (int) (stride / Float.BYTES);
        final float[] w = scratch.heap(W, floats);
        final float[] x0 = row(xs, o0, 0, floats, scratch);
        final float[] x1 = row(xs, o1, 1, floats, scratch);
        final float[] x2 = row(xs, o2, 2, floats, scratch);
        final float[] x3 = row(xs, o3, 3, floats, scratch);
        final float[] lanes = scratch.lanes;
        for (int lane = 0; lane < LANES; lane++) {
            float a00 = 0;
            float a01 = 0;
            float a10 = 0;
            float a11 = 0;
            float a20 = 0;
            float a21 = 0;
            float a30 = 0;
            float a31 = 0;
            for (int e = lane; e < floats; e += 2 * LANES) {
                final int o = e + LANES;
                a00 = Fma.fma(w[e], x0[e], a00);
                a01 = Fma.fma(w[o], x0[o], a01);
                a10 = Fma.fma(w[e], x1[e], a10);
                a11 = Fma.fma(w[o], x1[o], a11);
                a20 = Fma.fma(w[e], x2[e], a20);
                a21 = Fma.fma(w[o], x2[o], a21);
                a30 = Fma.fma(w[e], x3[e], a30);
                a31 = Fma.fma(w[o], x3[o], a31);
            }
            lanes[lane] = a00 + a01;
            lanes[LANES + lane] = a10 + a11;
            lanes[2 * LANES + lane] = a20 + a21;
            lanes[3 * LANES + lane] = a30 + a31;
        }
        LaneSums.sum4(lanes, 0, scratch.laneTmp);
        copySums(lanes, 0, scratch.sums, 0);
    }

    /** {@link RowDots#dots8}: one chain per row. */
    static void dots8(final MemorySegment xs, final long o0, final long o1, final long o2, final long o3,
                      final long o4, final long o5, final long o6, final long o7, final long stride,
                      final Scratch scratch) {
        final int floats = (int) (stride / Float.BYTES);
        final float[] w = scratch.heap(W, floats);
        final float[] x0 = row(xs, o0, 0, floats, scratch);
        final float[] x1 = row(xs, o1, 1, floats, scratch);
        final float[] x2 = row(xs, o2, 2, floats, scratch);
        final float[] x3 = row(xs, o3, 3, floats, scratch);
        final float[] x4 = row(xs, o4, 4, floats, scratch);
        final float[] x5 = row(xs, o5, 5, floats, scratch);
        final float[] x6 = row(xs, o6, 6, floats, scratch);
        final float[] x7 = row(xs, o7, 7, floats, scratch);
        final float[] lanes = scratch.lanes;
        for (int lane = 0; lane < LANES; lane++) {
            float a0 = 0;
            float a1 = 0;
            float a2 = 0;
            float a3 = 0;
            float a4 = 0;
            float a5 = 0;
            float a6 = 0;
            float a7 = 0;
            for (int e = lane; e < floats; e += LANES) {
                final float we = w[e];
                a0 = Fma.fma(we, x0[e], a0);
                a1 = Fma.fma(we, x1[e], a1);
                a2 = Fma.fma(we, x2[e], a2);
                a3 = Fma.fma(we, x3[e], a3);
                a4 = Fma.fma(we, x4[e], a4);
                a5 = Fma.fma(we, x5[e], a5);
                a6 = Fma.fma(we, x6[e], a6);
                a7 = Fma.fma(we, x7[e], a7);
            }
            lanes[lane] = a0;
            lanes[LANES + lane] = a1;
            lanes[2 * LANES + lane] = a2;
            lanes[3 * LANES + lane] = a3;
            lanes[4 * LANES + lane] = a4;
            lanes[5 * LANES + lane] = a5;
            lanes[6 * LANES + lane] = a6;
            lanes[7 * LANES + lane] = a7;
        }
        LaneSums.sum4(lanes, 0, scratch.laneTmp);
        LaneSums.sum4(lanes, 4 * LANES, scratch.laneTmp);
        copySums(lanes, 0, scratch.sums, 0);
        copySums(lanes, 4 * LANES, scratch.sums, 4);
    }

    /** The four sums that {@link LaneSums#sum4} left at {@code lanes[from ..]} into {@code sums[to .. to + 4)}. */
    private static void copySums(final float[] lanes, final int from, final float[] sums, final int to) {
        sums[to] = lanes[from + LaneSums.LANE_A];
        sums[to + 1] = lanes[from + LaneSums.LANE_B];
        sums[to + 2] = lanes[from + LaneSums.LANE_C];
        sums[to + 3] = lanes[from + LaneSums.LANE_D];
    }

    /**
     * The gradient's fold of four queued rows into the heap copy of g,
     * {@code g += (c0 x0 + c2 x2) + (c1 x1 + c3 x3)} element by element.
     */
    static void accumulate(final MemorySegment xs, final long stride, final Scratch scratch) {
        final int floats = (int) (stride / Float.BYTES);
        final float[] g = scratch.heap(G, floats);
        final float[] x0 = row(xs, scratch.queuedOffsets[0], 0, floats, scratch);
        final float[] x1 = row(xs, scratch.queuedOffsets[1], 1, floats, scratch);
        final float[] x2 = row(xs, scratch.queuedOffsets[2], 2, floats, scratch);
        final float[] x3 = row(xs, scratch.queuedOffsets[3], 3, floats, scratch);
        final float c0 = scratch.queuedCoefficients[0];
        final float c1 = scratch.queuedCoefficients[1];
        final float c2 = scratch.queuedCoefficients[2];
        final float c3 = scratch.queuedCoefficients[3];
        for (int j = 0; j < floats; j++) {
            final float even = Fma.fma(c2, x2[j], c0 * x0[j]);
            final float odd = Fma.fma(c3, x3[j], c1 * x1[j]);
            g[j] = even + odd + g[j];
        }
    }
}
