package org.reluq.kernels.relu;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.reluq.kernels.internal.Padded;
import org.reluq.kernels.internal.Scratch;
import org.reluq.kernels.memory.OffHeapMatrix;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.warmup.KernelFamily;

/**
 * The forward pass {@code out = max(0, X w)}.
 *
 * <p>Eight rows per pass when rows are short (at most 4 KiB) or vectors 128-bit, else four ({@link RowBlocks}),
 * share each load of w: eight
 * independent FMA chains, enough to cover a 4-cycle FMA latency at two FMAs per cycle. Rows are padded
 * with zeros to a whole number of vectors, so there is no tail within a row. Floating-point error: each
 * output is within {@code gamma_d * sum_j |x_ij w_j|} of the exact ReLU of the dot product (float
 * accumulation, {@code gamma_d = d u / (1 - d u)}, {@code u = 2^-24}). The row dots are those of
 * {@link KernelFamily#GRADIENT}: on vectors, or the scalar twins with the same bits.
 */
public final class ReluForward {

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
        final MemorySegment ws = Padded.of(w);
        final MemorySegment os = out.segment();
        final long stride = x.strideBytes();
        final int n = x.rows();
        final Scratch scratch = Scratch.get();
        final boolean vector = KernelFamily.GRADIENT.vector();
        if (!vector) {
            ScalarRowDots.begin(ws, stride, scratch);
        }
        int i = 0;
        if (RowBlocks.eight(stride)) {
            for (; i + 7 < n; i += 8) {
                final long o = i * stride;
                if (vector) {
                    RowDots.dots8(xs, o, o + stride, o + 2 * stride, o + 3 * stride, o + 4 * stride, o + 5 * stride,
                            o + 6 * stride, o + 7 * stride, ws, stride, scratch);
                } else {
                    ScalarRowDots.dots8(xs, o, o + stride, o + 2 * stride, o + 3 * stride, o + 4 * stride,
                            o + 5 * stride, o + 6 * stride, o + 7 * stride, stride, scratch);
                }
                for (int r = 0; r < 8; r++) {
                    os.setAtIndex(ValueLayout.JAVA_FLOAT, i + r, Math.max(0f, scratch.sums[r]));
                }
            }
        }
        // blocks of four; the last one to three rows make a block that repeats the last row, its extra results
        // dropped (a one-row kernel would pass a vector to a reduction C2 may not inline: boxing)
        final long last = (n - 1) * stride;
        for (; i < n; i += 4) {
            final long o = i * stride;
            final long o1 = Math.min(o + stride, last);
            final long o2 = Math.min(o + 2 * stride, last);
            final long o3 = Math.min(o + 3 * stride, last);
            if (vector) {
                RowDots.dots4(xs, o, o1, o2, o3, ws, stride, scratch);
            } else {
                ScalarRowDots.dots4(xs, o, o1, o2, o3, stride, scratch);
            }
            for (int r = 0; r < 4 && i + r < n; r++) {
                os.setAtIndex(ValueLayout.JAVA_FLOAT, i + r, Math.max(0f, scratch.sums[r]));
            }
        }
    }
}
