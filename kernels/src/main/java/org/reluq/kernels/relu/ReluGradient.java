package org.reluq.kernels.relu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.reluq.kernels.internal.Padded;
import org.reluq.kernels.internal.Scratch;
import org.reluq.kernels.memory.OffHeapMatrix;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.warmup.KernelFamily;

/**
 * The fused loss-and-gradient kernel of the ReLU least-squares problem:
 * {@code L = 1/(2m) sum_i r_i^2} and {@code g = 1/m sum_i ReLU'(z_i) r_i x_i}, with
 * {@code z_i = <w, x_i>}, {@code r_i = ReLU(z_i) - y_i} and {@code ReLU'(0) = 1/2}.
 *
 * <p>One pass over the rows, eight at a time when rows are short (at most 4 KiB) or vectors 128-bit, else
 * four ({@link RowBlocks}). The rows of a
 * block share each load of w (eight independent FMA chains cover the 4-cycle FMA latency at two FMAs per
 * cycle), and eight short rows keep more cache misses in flight when a mini-batch scatters them. Their
 * coefficients are then folded into g while the rows are still in L1/L2, so X is read from memory once.
 * Only rows whose coefficient is not zero are read a second time: they queue, four at a time, for one fused
 * {@code g += sum c_r x_r} (one load and store of g per four rows). Near a solution about half the rows
 * have z below 0 and a zero coefficient, so this halves the second reads. Mini-batch rows are read in
 * place through their indices, never copied.
 *
 * <p>Floating-point error (float accumulation, {@code u = 2^-24}, {@code gamma_k = k u / (1 - k u)}):
 * each z_i is within {@code gamma_d sum_j |x_ij w_j|} of the exact value; g_j is within
 * {@code sum_i |dc_i| |x_ij| + gamma_m sum_i |c_i x_ij|} where {@code dc_i} is the coefficient's error
 * implied by z_i's (the verify module's {@code ErrorBounds}). The loss is summed in double. Results are
 * bit-identical for the same rows in the same order, whatever the JIT tier.
 */
public final class ReluGradient {

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
        return 0.5 * run(x, y, w, null, 0, x.rows(), 1f / x.rows(), g) / x.rows();
    }

    /** The loss {@code 1/(2n) sum_i (ReLU(<w, x_i>) - y_i)^2} over all rows, without the gradient. */
    public static double loss(final OffHeapMatrix x, final OffHeapVector y, final OffHeapVector w) {
        return 0.5 * run(x, y, w, null, 0, x.rows(), 1f, null) / x.rows();
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
        Shapes.requireColumns(x, g, "g");
        Shapes.requireBatch(rows, offset, count, x.rows());
        return 0.5 * run(x, y, w, rows, offset, count, 1f / count, g) / count;
    }

    /**
     * One share of a mini-batch: {@code g = scale * sum_k ReLU'(z_k) r_k x_k} over the rows
     * {@code rows[offset .. offset + count)}, returning {@code sum_k r_k^2}. With {@code scale = 1/m} the
     * shares of a batch of m rows add up to the batch gradient, and a single share of all m rows gives
     * exactly the bits of {@link #batch}.
     *
     * @throws IllegalArgumentException if shapes disagree, an index is outside [0, n), or scale is not finite
     *                                  and positive
     */
    public static double share(final OffHeapMatrix x, final OffHeapVector y, final OffHeapVector w,
                               final int[] rows, final int offset, final int count, final float scale,
                               final OffHeapVector g) {
        Shapes.requireColumns(x, g, "g");
        Shapes.requireBatch(rows, offset, count, x.rows());
        requireScale(scale);
        return run(x, y, w, rows, offset, count, scale, g);
    }

    /**
     * The rows {@code [from, from + count)} of X: {@code g = scale * sum_i ReLU'(z_i) r_i x_i}, returning
     * {@code sum_i r_i^2}. The blocks of a parallel gradient ({@link ParallelGradient}).
     *
     * @throws IllegalArgumentException if shapes disagree, the range is outside [0, n), or scale is not finite
     *                                  and positive
     */
    public static double rowRange(final OffHeapMatrix x, final OffHeapVector y, final OffHeapVector w,
                                  final int from, final int count, final float scale, final OffHeapVector g) {
        Shapes.requireColumns(x, g, "g");
        if (from < 0 || count < 1 || from > x.rows() - count) {
            throw new IllegalArgumentException("rows [" + from + ", " + from + " + " + count + ") are not within [0, "
                    + x.rows() + ")");
        }
        requireScale(scale);
        return run(x, y, w, null, from, count, scale, g);
    }

    private static void requireScale(final float scale) {
        if (!(scale > 0) || Float.isInfinite(scale)) {
            throw new IllegalArgumentException("gradient scale must be finite and > 0, got " + scale);
        }
    }

    /**
     * Rows {@code rows[offset + k]} (or {@code offset + k} when rows is null) for k in [0, count): g (may be null)
     * becomes scale times the sum of the gradient terms; returns the sum of squared residuals.
     */
    private static double run(final OffHeapMatrix x, final OffHeapVector y, final OffHeapVector w,
                              final int[] rows, final int offset, final int count, final float scale,
                              final OffHeapVector g) {
        return run(x, y, w, rows, offset, count, scale, g, KernelFamily.GRADIENT.vector());
    }

    /** As above, on vectors or in the scalar twins ({@link ScalarRowDots}): the same bits. */
    static double run(final OffHeapMatrix x, final OffHeapVector y, final OffHeapVector w, final int[] rows,
                      final int offset, final int count, final float scale, final OffHeapVector g,
                      final boolean vector) {
        Shapes.requireColumns(x, w, "w");
        Shapes.requireRows(x, y, "y");
        final MemorySegment xs = x.segment();
        final MemorySegment ys = y.segment();
        final MemorySegment ws = Padded.of(w);
        final MemorySegment gs = g == null ? null : Padded.of(g);
        final long stride = x.strideBytes();
        final Scratch scratch = Scratch.get();
        if (vector && gs != null) {
            gs.fill((byte) 0);
        }
        if (!vector) {
            ScalarRowDots.begin(ws, stride, scratch);
        }
        scratch.queued = 0;
        double sum = 0;
        int k = 0;
        if (RowBlocks.eight(stride)) {
            for (; k + 7 < count; k += 8) {
                final int r0 = row(rows, offset, k);
                final int r1 = row(rows, offset, k + 1);
                final int r2 = row(rows, offset, k + 2);
                final int r3 = row(rows, offset, k + 3);
                final int r4 = row(rows, offset, k + 4);
                final int r5 = row(rows, offset, k + 5);
                final int r6 = row(rows, offset, k + 6);
                final int r7 = row(rows, offset, k + 7);
                final long o0 = r0 * stride;
                final long o1 = r1 * stride;
                final long o2 = r2 * stride;
                final long o3 = r3 * stride;
                final long o4 = r4 * stride;
                final long o5 = r5 * stride;
                final long o6 = r6 * stride;
                final long o7 = r7 * stride;
                if (vector) {
                    RowDots.dots8(xs, o0, o1, o2, o3, o4, o5, o6, o7, ws, stride, scratch);
                } else {
                    ScalarRowDots.dots8(xs, o0, o1, o2, o3, o4, o5, o6, o7, stride, scratch);
                }
                sum += settle(scratch, 0, o0, label(ys, r0), scale, xs, gs, stride, vector)
                        + settle(scratch, 1, o1, label(ys, r1), scale, xs, gs, stride, vector)
                        + settle(scratch, 2, o2, label(ys, r2), scale, xs, gs, stride, vector)
                        + settle(scratch, 3, o3, label(ys, r3), scale, xs, gs, stride, vector)
                        + settle(scratch, 4, o4, label(ys, r4), scale, xs, gs, stride, vector)
                        + settle(scratch, 5, o5, label(ys, r5), scale, xs, gs, stride, vector)
                        + settle(scratch, 6, o6, label(ys, r6), scale, xs, gs, stride, vector)
                        + settle(scratch, 7, o7, label(ys, r7), scale, xs, gs, stride, vector);
            }
        }
        // blocks of four; the last one to three rows make a block that repeats the last row, whose extra dot
        // products are dropped (a one-row kernel would pass a vector to a reduction C2 may not inline: boxing)
        final int last = count - 1;
        for (; k < count; k += 4) {
            final int r0 = row(rows, offset, k);
            final int r1 = row(rows, offset, Math.min(k + 1, last));
            final int r2 = row(rows, offset, Math.min(k + 2, last));
            final int r3 = row(rows, offset, Math.min(k + 3, last));
            final long o0 = r0 * stride;
            final long o1 = r1 * stride;
            final long o2 = r2 * stride;
            final long o3 = r3 * stride;
            if (vector) {
                RowDots.dots4(xs, o0, o1, o2, o3, ws, stride, scratch);
            } else {
                ScalarRowDots.dots4(xs, o0, o1, o2, o3, stride, scratch);
            }
            sum += settle(scratch, 0, o0, label(ys, r0), scale, xs, gs, stride, vector)
                    + (k + 1 < count ? settle(scratch, 1, o1, label(ys, r1), scale, xs, gs, stride, vector) : 0)
                    + (k + 2 < count ? settle(scratch, 2, o2, label(ys, r2), scale, xs, gs, stride, vector) : 0)
                    + (k + 3 < count ? settle(scratch, 3, o3, label(ys, r3), scale, xs, gs, stride, vector) : 0);
        }
        if (scratch.queued > 0) {
            // fold the last one to three queued rows; the empty places add 0 times a queued row
            for (int p = scratch.queued; p < 4; p++) {
                scratch.queuedOffsets[p] = scratch.queuedOffsets[0];
                scratch.queuedCoefficients[p] = 0f;
            }
            fold(xs, gs, stride, scratch, vector);
        }
        if (!vector && gs != null) {
            ScalarRowDots.end(gs, stride, scratch);
        }
        return sum;
    }

    private static int row(final int[] rows, final int offset, final int k) {
        return rows == null ? offset + k : rows[offset + k];
    }

    private static float label(final MemorySegment ys, final int i) {
        return ys.getAtIndex(ValueLayout.JAVA_FLOAT, i);
    }

    /**
     * Row r of the block (its dot product in scratch): queues it for the gradient if its coefficient is not
     * zero (most rows with z below 0 have none, so they are never read again), folding four queued rows
     * into g at once; returns its squared residual.
     */
    private static double settle(final Scratch scratch, final int r, final long rowOffset, final float y,
                                 final float scale, final MemorySegment xs, final MemorySegment gs,
                                 final long stride, final boolean vector) {
        final float z = scratch.sums[r];
        if (gs != null) {
            final float c = coefficient(z, y, scale);
            if (c != 0) {
                scratch.queuedOffsets[scratch.queued] = rowOffset;
                scratch.queuedCoefficients[scratch.queued] = c;
                if (++scratch.queued == 4) {
                    fold(xs, gs, stride, scratch, vector);
                    scratch.queued = 0;
                }
            }
        }
        return squaredResidual(z, y);
    }

    private static double squaredResidual(final float z, final float y) {
        final double residual = Math.max(z, 0f) - y;
        return residual * residual;
    }

    /**
     * The gradient coefficient {@code ReLU'(z) (ReLU(z) - y) scale}, with ReLU'(0) = 1/2: the one place the
     * convention is written.
     */
    static float coefficient(final float z, final float y, final float scale) {
        final float r = Math.max(z, 0f) - y;
        if (z > 0) {
            return r * scale;
        }
        return z == 0 ? r * (0.5f * scale) : 0f;
    }

    /** Folds the four queued rows into g, on vectors or in the scalar twin. */
    private static void fold(final MemorySegment xs, final MemorySegment gs, final long stride,
                             final Scratch scratch, final boolean vector) {
        // two methods, so a run on the scalar twins never has C2 compile the vector loop
        if (vector) {
            RowDots.accumulate(xs, gs, stride, scratch);
        } else {
            ScalarRowDots.accumulate(xs, stride, scratch);
        }
    }
}
