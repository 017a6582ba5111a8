package org.reluq.kernels.relu;

import static org.reluq.kernels.simd.Species.FLOAT;
import static org.reluq.kernels.simd.Species.VECTOR_BYTES;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import org.reluq.kernels.memory.OffHeapMatrix;
import org.reluq.kernels.memory.OffHeapVector;

/**
 * The fused loss-and-gradient kernel of the ReLU least-squares problem:
 * {@code L = 1/(2m) sum_i r_i^2} and {@code g = 1/m sum_i ReLU'(z_i) r_i x_i}, with
 * {@code z_i = <w, x_i>}, {@code r_i = ReLU(z_i) - y_i} and {@code ReLU'(0) = 1/2}.
 *
 * <p>One pass over the rows, four at a time: the four dot products share each load of w (eight
 * independent FMA chains cover the FMA latency), then the four coefficients are folded into g while
 * the rows are still in L1/L2, loading and storing g once per block. X is therefore read from memory
 * once. A block whose four coefficients are all zero (every z below 0, or an exact fit) skips the second
 * half. Rows of a mini-batch are read in place through their indices, never copied.
 *
 * <p>Floating-point error (float accumulation, {@code u = 2^-24}, {@code gamma_k = k u / (1 - k u)}):
 * each z_i is within {@code gamma_d sum_j |x_ij w_j|} of the exact value; g_j is within
 * {@code sum_i |dc_i| |x_ij| + gamma_m sum_i |c_i x_ij|} where {@code dc_i} is the coefficient's error
 * implied by z_i's (see the verify module's bound). The loss is summed in double.
 */
public final class ReluGradient {

    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private ReluGradient() {
    }

    /**
     * Gradient and loss over all n rows (scale 1/n).
     *
     * @param x the design matrix, n x d
     * @param y the labels, length n
     * @param w the point, length d
     * @param g output: the gradient, length d (overwritten)
     * @return the loss {@code 1/(2n) sum_i r_i^2}
     */
    public static double full(final OffHeapMatrix x, final OffHeapVector y, final OffHeapVector w,
                              final OffHeapVector g) {
        Shapes.requireColumns(x, g, "g");
        return fullPass(x, y, w, g);
    }

    /** The loss {@code 1/(2n) sum_i (ReLU(<w, x_i>) - y_i)^2} over all rows, without the gradient. */
    public static double loss(final OffHeapMatrix x, final OffHeapVector y, final OffHeapVector w) {
        return fullPass(x, y, w, null);
    }

    /**
     * Gradient and loss over the mini-batch {@code rows[offset .. offset + count)} (scale 1/count). Row
     * indices may repeat (sampling with replacement); each occurrence counts.
     *
     * @return the mini-batch loss {@code 1/(2 count) sum r_i^2}
     * @throws IllegalArgumentException if shapes disagree or an index is outside [0, n)
     */
    public static double batch(final OffHeapMatrix x, final OffHeapVector y, final OffHeapVector w,
                               final int[] rows, final int offset, final int count, final OffHeapVector g) {
        Shapes.requireColumns(x, w, "w");
        Shapes.requireColumns(x, g, "g");
        Shapes.requireRows(x, y, "y");
        Shapes.requireBatch(rows, offset, count, x.rows());
        final MemorySegment xs = x.segment();
        final MemorySegment ys = y.segment();
        final MemorySegment ws = w.segment();
        final MemorySegment gs = g.segment();
        final long stride = x.strideBytes();
        final float scale = 1f / count;
        gs.fill((byte) 0);
        double sum = 0;
        final int end = offset + count;
        int k = offset;
        for (; k + 3 < end; k += 4) {
            final int r0 = rows[k];
            final int r1 = rows[k + 1];
            final int r2 = rows[k + 2];
            final int r3 = rows[k + 3];
            sum += block4(xs, r0 * stride, r1 * stride, r2 * stride, r3 * stride,
                    label(ys, r0), label(ys, r1), label(ys, r2), label(ys, r3), ws, gs, stride, scale);
        }
        for (; k < end; k++) {
            sum += block1(xs, rows[k] * stride, label(ys, rows[k]), ws, gs, stride, scale);
        }
        return 0.5 * sum / count;
    }

    private static double fullPass(final OffHeapMatrix x, final OffHeapVector y, final OffHeapVector w,
                                   final OffHeapVector g) {
        Shapes.requireColumns(x, w, "w");
        Shapes.requireRows(x, y, "y");
        final MemorySegment xs = x.segment();
        final MemorySegment ys = y.segment();
        final MemorySegment ws = w.segment();
        final MemorySegment gs = g == null ? null : g.segment();
        final long stride = x.strideBytes();
        final int n = x.rows();
        final float scale = 1f / n;
        if (gs != null) {
            gs.fill((byte) 0);
        }
        double sum = 0;
        int i = 0;
        for (; i + 3 < n; i += 4) {
            final long o = i * stride;
            sum += block4(xs, o, o + stride, o + 2 * stride, o + 3 * stride,
                    label(ys, i), label(ys, i + 1), label(ys, i + 2), label(ys, i + 3), ws, gs, stride, scale);
        }
        for (; i < n; i++) {
            sum += block1(xs, i * stride, label(ys, i), ws, gs, stride, scale);
        }
        return 0.5 * sum / n;
    }

    private static float label(final MemorySegment ys, final int i) {
        return ys.getAtIndex(ValueLayout.JAVA_FLOAT, i);
    }

    /**
     * The gradient coefficient {@code ReLU'(z) (ReLU(z) - y) scale}, with ReLU'(0) = 1/2: the one place the
     * convention is written, shared by every kernel.
     */
    static float coefficient(final float z, final float y, final float scale) {
        final float r = Math.max(z, 0f) - y;
        if (z > 0) {
            return r * scale;
        }
        return z == 0 ? r * (0.5f * scale) : 0f;
    }

    private static double squaredResidual(final float z, final float y) {
        final double r = Math.max(z, 0f) - y;
        return r * r;
    }

    /** Four rows at byte offsets o0..o3; accumulates into g unless g is null; returns sum of r^2. */
    private static double block4(final MemorySegment xs, final long o0, final long o1, final long o2, final long o3,
                                 final float y0, final float y1, final float y2, final float y3,
                                 final MemorySegment ws, final MemorySegment gs, final long stride,
                                 final float scale) {
        FloatVector a00 = FloatVector.zero(FLOAT);
        FloatVector a01 = a00;
        FloatVector a10 = a00;
        FloatVector a11 = a00;
        FloatVector a20 = a00;
        FloatVector a21 = a00;
        FloatVector a30 = a00;
        FloatVector a31 = a00;
        final long pairs = stride - stride % (2 * VECTOR_BYTES);
        long j = 0;
        for (; j < pairs; j += 2 * VECTOR_BYTES) {
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
        if (j < stride) {
            final FloatVector w0 = FloatVector.fromMemorySegment(FLOAT, ws, j, NATIVE);
            a00 = FloatVector.fromMemorySegment(FLOAT, xs, o0 + j, NATIVE).fma(w0, a00);
            a10 = FloatVector.fromMemorySegment(FLOAT, xs, o1 + j, NATIVE).fma(w0, a10);
            a20 = FloatVector.fromMemorySegment(FLOAT, xs, o2 + j, NATIVE).fma(w0, a20);
            a30 = FloatVector.fromMemorySegment(FLOAT, xs, o3 + j, NATIVE).fma(w0, a30);
        }
        final float z0 = a00.add(a01).reduceLanes(VectorOperators.ADD);
        final float z1 = a10.add(a11).reduceLanes(VectorOperators.ADD);
        final float z2 = a20.add(a21).reduceLanes(VectorOperators.ADD);
        final float z3 = a30.add(a31).reduceLanes(VectorOperators.ADD);
        if (gs != null) {
            final float c0 = coefficient(z0, y0, scale);
            final float c1 = coefficient(z1, y1, scale);
            final float c2 = coefficient(z2, y2, scale);
            final float c3 = coefficient(z3, y3, scale);
            if (c0 != 0 || c1 != 0 || c2 != 0 || c3 != 0) {
                accumulate4(xs, o0, o1, o2, o3, c0, c1, c2, c3, gs, stride);
            }
        }
        return squaredResidual(z0, y0) + squaredResidual(z1, y1) + squaredResidual(z2, y2) + squaredResidual(z3, y3);
    }

    /** {@code g += c0 x0 + c1 x1 + c2 x2 + c3 x3}: one load and one store of g per four rows. */
    private static void accumulate4(final MemorySegment xs, final long o0, final long o1, final long o2,
                                    final long o3, final float c0, final float c1, final float c2, final float c3,
                                    final MemorySegment gs, final long stride) {
        final FloatVector b0 = FloatVector.broadcast(FLOAT, c0);
        final FloatVector b1 = FloatVector.broadcast(FLOAT, c1);
        final FloatVector b2 = FloatVector.broadcast(FLOAT, c2);
        final FloatVector b3 = FloatVector.broadcast(FLOAT, c3);
        for (long j = 0; j < stride; j += VECTOR_BYTES) {
            FloatVector acc = FloatVector.fromMemorySegment(FLOAT, gs, j, NATIVE);
            acc = FloatVector.fromMemorySegment(FLOAT, xs, o0 + j, NATIVE).fma(b0, acc);
            acc = FloatVector.fromMemorySegment(FLOAT, xs, o1 + j, NATIVE).fma(b1, acc);
            acc = FloatVector.fromMemorySegment(FLOAT, xs, o2 + j, NATIVE).fma(b2, acc);
            acc = FloatVector.fromMemorySegment(FLOAT, xs, o3 + j, NATIVE).fma(b3, acc);
            acc.intoMemorySegment(gs, j, NATIVE);
        }
    }

    private static double block1(final MemorySegment xs, final long o, final float y, final MemorySegment ws,
                                 final MemorySegment gs, final long stride, final float scale) {
        final float z = ReluForward.dot(xs, o, ws, stride);
        if (gs != null) {
            final float c = coefficient(z, y, scale);
            if (c != 0) {
                final FloatVector b = FloatVector.broadcast(FLOAT, c);
                for (long j = 0; j < stride; j += VECTOR_BYTES) {
                    FloatVector.fromMemorySegment(FLOAT, xs, o + j, NATIVE)
                            .fma(b, FloatVector.fromMemorySegment(FLOAT, gs, j, NATIVE))
                            .intoMemorySegment(gs, j, NATIVE);
                }
            }
        }
        return squaredResidual(z, y);
    }
}
