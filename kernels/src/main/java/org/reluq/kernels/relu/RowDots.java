package org.reluq.kernels.relu;

import static org.reluq.kernels.simd.Species.FLOAT;
import static org.reluq.kernels.simd.Species.VECTOR_BYTES;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import org.reluq.kernels.simd.Fma;
import org.reluq.kernels.internal.LaneSums;
import org.reluq.kernels.internal.Reductions;
import org.reluq.kernels.internal.Scratch;
import org.reluq.kernels.internal.VectorFma;

/**
 * The vector code of the row kernels: dot products of padded matrix rows with w, shared by the forward and
 * gradient kernels, and the gradient's fold of queued rows into g. Rows are padded to a multiple of two
 * vectors, so the loops have no tail.
 *
 * <p>Every FMA ({@link Fma}: fused where the hardware has it) is written {@code VectorFma.fma(w, x, acc)}, the loaded
 * row as the second multiplicand: C2 then folds the load into the FMA's memory operand. Written with w
 * second (the same bits), C2 loads every
 * row vector of its unrolled loop into a register first and spills accumulators to the stack; an 8-row
 * pass over 64 scattered rows of d = 1024 took 7.6 µs that way against 5.9 µs (a plain read: 5.3 µs).
 */
final class RowDots {

    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private RowDots() {
    }

    /**
     * Dot products of the rows at byte offsets o0..o3 with w, stored to {@code scratch.sums}.
     * The four rows share each load of w; two accumulators per row make eight independent FMA chains,
     * enough to cover a 4-cycle FMA latency at two FMAs per cycle.
     */
    static void dots4(final MemorySegment xs, final long o0, final long o1, final long o2, final long o3,
                      final MemorySegment ws, final long stride, final Scratch scratch) {
        FloatVector a00 = FloatVector.zero(FLOAT);
        FloatVector a01 = a00;
        FloatVector a10 = a00;
        FloatVector a11 = a00;
        FloatVector a20 = a00;
        FloatVector a21 = a00;
        FloatVector a30 = a00;
        FloatVector a31 = a00;
        for (long j = 0; j < stride; j += 2 * VECTOR_BYTES) {
            final long k = j + VECTOR_BYTES;
            final FloatVector w0 = FloatVector.fromMemorySegment(FLOAT, ws, j, NATIVE);
            final FloatVector w1 = FloatVector.fromMemorySegment(FLOAT, ws, k, NATIVE);
            a00 = VectorFma.fma(w0, FloatVector.fromMemorySegment(FLOAT, xs, o0 + j, NATIVE), a00);
            a01 = VectorFma.fma(w1, FloatVector.fromMemorySegment(FLOAT, xs, o0 + k, NATIVE), a01);
            a10 = VectorFma.fma(w0, FloatVector.fromMemorySegment(FLOAT, xs, o1 + j, NATIVE), a10);
            a11 = VectorFma.fma(w1, FloatVector.fromMemorySegment(FLOAT, xs, o1 + k, NATIVE), a11);
            a20 = VectorFma.fma(w0, FloatVector.fromMemorySegment(FLOAT, xs, o2 + j, NATIVE), a20);
            a21 = VectorFma.fma(w1, FloatVector.fromMemorySegment(FLOAT, xs, o2 + k, NATIVE), a21);
            a30 = VectorFma.fma(w0, FloatVector.fromMemorySegment(FLOAT, xs, o3 + j, NATIVE), a30);
            a31 = VectorFma.fma(w1, FloatVector.fromMemorySegment(FLOAT, xs, o3 + k, NATIVE), a31);
        }
        final FloatVector sums = Reductions.sum4(a00.add(a01), a10.add(a11), a20.add(a21), a30.add(a31));
        scratch.sums[0] = sums.lane(LaneSums.LANE_A);
        scratch.sums[1] = sums.lane(LaneSums.LANE_B);
        scratch.sums[2] = sums.lane(LaneSums.LANE_C);
        scratch.sums[3] = sums.lane(LaneSums.LANE_D);
    }

    /**
     * Dot products of the rows at byte offsets o0..o7 with w, stored to {@code scratch.sums[0..7]}: one
     * accumulator per row (eight independent FMA chains) and one load of w per eight rows. Eight rows keep
     * twice as many cache misses in flight as {@link #dots4}, which is what a pass over scattered short rows
     * waits on.
     */
    static void dots8(final MemorySegment xs, final long o0, final long o1, final long o2, final long o3,
                      final long o4, final long o5, final long o6, final long o7, final MemorySegment ws,
                      final long stride, final Scratch scratch) {
        FloatVector a0 = FloatVector.zero(FLOAT);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        FloatVector a6 = a0;
        FloatVector a7 = a0;
        for (long j = 0; j < stride; j += VECTOR_BYTES) {
            final FloatVector w = FloatVector.fromMemorySegment(FLOAT, ws, j, NATIVE);
            a0 = VectorFma.fma(w, FloatVector.fromMemorySegment(FLOAT, xs, o0 + j, NATIVE), a0);
            a1 = VectorFma.fma(w, FloatVector.fromMemorySegment(FLOAT, xs, o1 + j, NATIVE), a1);
            a2 = VectorFma.fma(w, FloatVector.fromMemorySegment(FLOAT, xs, o2 + j, NATIVE), a2);
            a3 = VectorFma.fma(w, FloatVector.fromMemorySegment(FLOAT, xs, o3 + j, NATIVE), a3);
            a4 = VectorFma.fma(w, FloatVector.fromMemorySegment(FLOAT, xs, o4 + j, NATIVE), a4);
            a5 = VectorFma.fma(w, FloatVector.fromMemorySegment(FLOAT, xs, o5 + j, NATIVE), a5);
            a6 = VectorFma.fma(w, FloatVector.fromMemorySegment(FLOAT, xs, o6 + j, NATIVE), a6);
            a7 = VectorFma.fma(w, FloatVector.fromMemorySegment(FLOAT, xs, o7 + j, NATIVE), a7);
        }
        final FloatVector low = Reductions.sum4(a0, a1, a2, a3);
        final FloatVector high = Reductions.sum4(a4, a5, a6, a7);
        scratch.sums[0] = low.lane(LaneSums.LANE_A);
        scratch.sums[1] = low.lane(LaneSums.LANE_B);
        scratch.sums[2] = low.lane(LaneSums.LANE_C);
        scratch.sums[3] = low.lane(LaneSums.LANE_D);
        scratch.sums[4] = high.lane(LaneSums.LANE_A);
        scratch.sums[5] = high.lane(LaneSums.LANE_B);
        scratch.sums[6] = high.lane(LaneSums.LANE_C);
        scratch.sums[7] = high.lane(LaneSums.LANE_D);
    }

    /**
     * {@code g += (c0 x0 + c2 x2) + (c1 x1 + c3 x3)} with the queued rows and coefficients, while the rows
     * are still in cache: two independent FMA chains, one load and one store of g per four rows.
     */
    static void accumulate(final MemorySegment xs, final MemorySegment gs, final long stride,
                                   final Scratch scratch) {
        final long o0 = scratch.queuedOffsets[0];
        final long o1 = scratch.queuedOffsets[1];
        final long o2 = scratch.queuedOffsets[2];
        final long o3 = scratch.queuedOffsets[3];
        final FloatVector c0 = FloatVector.broadcast(FLOAT, scratch.queuedCoefficients[0]);
        final FloatVector c1 = FloatVector.broadcast(FLOAT, scratch.queuedCoefficients[1]);
        final FloatVector c2 = FloatVector.broadcast(FLOAT, scratch.queuedCoefficients[2]);
        final FloatVector c3 = FloatVector.broadcast(FLOAT, scratch.queuedCoefficients[3]);
        for (long j = 0; j < stride; j += VECTOR_BYTES) {
            final FloatVector even = VectorFma.fma(c2, FloatVector.fromMemorySegment(FLOAT, xs, o2 + j, NATIVE),
                    c0.mul(FloatVector.fromMemorySegment(FLOAT, xs, o0 + j, NATIVE)));
            final FloatVector odd = VectorFma.fma(c3, FloatVector.fromMemorySegment(FLOAT, xs, o3 + j, NATIVE),
                    c1.mul(FloatVector.fromMemorySegment(FLOAT, xs, o1 + j, NATIVE)));
            even.add(odd).add(FloatVector.fromMemorySegment(FLOAT, gs, j, NATIVE)).intoMemorySegment(gs, j, NATIVE);
        }
    }
}
