package org.reluq.kernels.relu;

import static org.reluq.kernels.simd.Species.FLOAT;
import static org.reluq.kernels.simd.Species.VECTOR_BYTES;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import org.reluq.kernels.memory.OffHeapMatrix;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.simd.Reductions;

/**
 * The forward pass {@code out = max(0, X w)}.
 *
 * <p>Four rows per pass share each load of w, with two accumulators per row: eight independent FMA
 * chains, enough to cover a 4-cycle FMA latency at two FMAs per cycle. Rows are padded with zeros to a
 * whole number of vectors, so there is no tail. Floating-point error: each output is within
 * {@code gamma_d * sum_j |x_ij w_j|} of the exact ReLU of the dot product (float accumulation,
 * {@code gamma_d = d u / (1 - d u)}, {@code u = 2^-24}).
 */
public final class ReluForward {

    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private ReluForward() {
    }

    /**
     * Computes {@code out_i = max(0, <x_i, w>)} for every row.
     *
     * @throws IllegalArgumentException if the shapes disagree
     */
    public static void forward(final OffHeapMatrix x, final OffHeapVector w, final OffHeapVector out) {
        Shapes.requireColumns(x, w, "w");
        Shapes.requireRows(x, out, "out");
        final MemorySegment xs = x.segment();
        final MemorySegment ws = w.segment();
        final MemorySegment os = out.segment();
        final long stride = x.strideBytes();
        final int n = x.rows();
        int i = 0;
        for (; i + 3 < n; i += 4) {
            dots4(xs, i * stride, stride, ws, os, (long) i * Float.BYTES);
        }
        for (; i < n; i++) {
            os.setAtIndex(ValueLayout.JAVA_FLOAT, i, Math.max(0f, dot(xs, i * stride, ws, stride)));
        }
    }

    /** Rows at byte offsets o0, o0 + stride, ...: writes their four ReLU outputs at byte {@code outOffset}. */
    private static void dots4(final MemorySegment xs, final long o0, final long stride, final MemorySegment ws,
                              final MemorySegment os, final long outOffset) {
        final long o1 = o0 + stride;
        final long o2 = o1 + stride;
        final long o3 = o2 + stride;
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
            a00 = FloatVector.fromMemorySegment(FLOAT, xs, o0 + j, NATIVE).fma(w0, a00);
            a01 = FloatVector.fromMemorySegment(FLOAT, xs, o0 + k, NATIVE).fma(w1, a01);
            a10 = FloatVector.fromMemorySegment(FLOAT, xs, o1 + j, NATIVE).fma(w0, a10);
            a11 = FloatVector.fromMemorySegment(FLOAT, xs, o1 + k, NATIVE).fma(w1, a11);
            a20 = FloatVector.fromMemorySegment(FLOAT, xs, o2 + j, NATIVE).fma(w0, a20);
            a21 = FloatVector.fromMemorySegment(FLOAT, xs, o2 + k, NATIVE).fma(w1, a21);
            a30 = FloatVector.fromMemorySegment(FLOAT, xs, o3 + j, NATIVE).fma(w0, a30);
            a31 = FloatVector.fromMemorySegment(FLOAT, xs, o3 + k, NATIVE).fma(w1, a31);
        }
        final FloatVector sums = Reductions.sum4(a00.add(a01), a10.add(a11), a20.add(a21), a30.add(a31));
        os.set(ValueLayout.JAVA_FLOAT, outOffset, Math.max(0f, sums.lane(Reductions.LANE_A)));
        os.set(ValueLayout.JAVA_FLOAT, outOffset + 4, Math.max(0f, sums.lane(Reductions.LANE_B)));
        os.set(ValueLayout.JAVA_FLOAT, outOffset + 8, Math.max(0f, sums.lane(Reductions.LANE_C)));
        os.set(ValueLayout.JAVA_FLOAT, outOffset + 12, Math.max(0f, sums.lane(Reductions.LANE_D)));
    }

    /**
     * The dot product of one padded row (at byte {@code offset}) with w over {@code stride} bytes, with
     * four accumulators. Package-private: the gradient kernel uses it for leftover rows.
     */
    static float dot(final MemorySegment xs, final long offset, final MemorySegment ws, final long stride) {
        FloatVector a0 = FloatVector.zero(FLOAT);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        final long quads = stride - stride % (4 * VECTOR_BYTES);
        long j = 0;
        for (; j < quads; j += 4 * VECTOR_BYTES) {
            a0 = FloatVector.fromMemorySegment(FLOAT, xs, offset + j, NATIVE)
                    .fma(FloatVector.fromMemorySegment(FLOAT, ws, j, NATIVE), a0);
            a1 = FloatVector.fromMemorySegment(FLOAT, xs, offset + j + VECTOR_BYTES, NATIVE)
                    .fma(FloatVector.fromMemorySegment(FLOAT, ws, j + VECTOR_BYTES, NATIVE), a1);
            a2 = FloatVector.fromMemorySegment(FLOAT, xs, offset + j + 2 * VECTOR_BYTES, NATIVE)
                    .fma(FloatVector.fromMemorySegment(FLOAT, ws, j + 2 * VECTOR_BYTES, NATIVE), a2);
            a3 = FloatVector.fromMemorySegment(FLOAT, xs, offset + j + 3 * VECTOR_BYTES, NATIVE)
                    .fma(FloatVector.fromMemorySegment(FLOAT, ws, j + 3 * VECTOR_BYTES, NATIVE), a3);
        }
        for (; j < stride; j += VECTOR_BYTES) {
            a0 = FloatVector.fromMemorySegment(FLOAT, xs, offset + j, NATIVE)
                    .fma(FloatVector.fromMemorySegment(FLOAT, ws, j, NATIVE), a0);
        }
        return Reductions.sum(a0.add(a1).add(a2.add(a3)));
    }
}
