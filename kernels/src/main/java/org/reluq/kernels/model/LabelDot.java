package org.reluq.kernels.model;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.reluq.kernels.warmup.KernelFamily;
import org.reluq.kernels.warmup.KernelPath;

/**
 * The planted model's {@code <w*, x_i>} in double precision, in one summation order at every vector width,
 * so the labels are the same bits on every machine.
 *
 * <p>The order (the definition; the verify module's {@code ReferencePlantedModel} writes it as a loop): each
 * product {@code x_j w_j} is exact in double; the products of the columns {@code j = k mod 16} are summed
 * into {@code c_k} by increasing j, and the sixteen sums are folded in halves,
 * {@code t_k = c_k + c_(k+8)}, {@code u_k = t_k + t_(k+4)}, {@code v_k = u_k + u_(k+2)},
 * {@code dot = v_0 + v_1}. On vectors the c_k are sixteen double lanes of running sums: two 8-lane vectors
 * at 512 bits, four 4-lane ones at 256, eight 2-lane ones at 128 ({@code LabelDotVectors}). Multiply then add, never FMA (slow where
 * the hardware has none): the product is exact, so both would agree anyway.
 */
final class LabelDot {

    /** Floats per step of the loop: one of each of the sixteen running sums. */
    static final int STEP = 16;

    private final MemorySegment ws;
    private final double[] wHeap;
    private final float[] row;
    private final int length;

    /**
     * A dot product with w, given as {@code length} doubles both in a segment (for the vectors) and on the
     * heap (for the scalar twin); length is a multiple of {@link #STEP}. Each thread makes its own: it holds
     * the scalar twin's copy of a row.
     */
    LabelDot(final MemorySegment ws, final double[] wHeap, final int length) {
        this.ws = ws;
        this.wHeap = wHeap;
        this.length = length;
        this.row = new float[length];
    }

    /**
     * {@code <w, x>} for the row at byte {@code offset} of {@code xs} ({@code length} floats, zero past the
     * logical columns), on the path {@link KernelFamily#GAUSSIAN} takes now.
     */
    double dot(final MemorySegment xs, final long offset) {
        return dot(xs, offset, KernelFamily.GAUSSIAN.path());
    }

    /** As {@link #dot(MemorySegment, long)} on the given path; both give the same bits. */
    double dot(final MemorySegment xs, final long offset, final KernelPath path) {
        if (path == KernelPath.SCALAR) {
            MemorySegment.copy(xs, ValueLayout.JAVA_FLOAT, offset, row, 0, length);
            return dotScalar(row, wHeap, length);
        }
        return LabelDotVectors.dot(xs, offset, ws, length);
    }

    /**
     * The definition as a loop on heap copies (until C2 has compiled it, a segment access costs a chain of
     * calls): sixteen running sums, folded in halves.
     */
    private static double dotScalar(final float[] x, final double[] w, final int length) {
        double c0 = 0;
        double c1 = 0;
        double c2 = 0;
        double c3 = 0;
        double c4 = 0;
        double c5 = 0;
        double c6 = 0;
        double c7 = 0;
        double c8 = 0;
        double c9 = 0;
        double c10 = 0;
        double c11 = 0;
        double c12 = 0;
        double c13 = 0;
        double c14 = 0;
        double c15 = 0;
        for (int j = 0; j < length; j += STEP) {
            c0 += x[j] * w[j];
            c1 += x[j + 1] * w[j + 1];
            c2 += x[j + 2] * w[j + 2];
            c3 += x[j + 3] * w[j + 3];
            c4 += x[j + 4] * w[j + 4];
            c5 += x[j + 5] * w[j + 5];
            c6 += x[j + 6] * w[j + 6];
            c7 += x[j + 7] * w[j + 7];
            c8 += x[j + 8] * w[j + 8];
            c9 += x[j + 9] * w[j + 9];
            c10 += x[j + 10] * w[j + 10];
            c11 += x[j + 11] * w[j + 11];
            c12 += x[j + 12] * w[j + 12];
            c13 += x[j + 13] * w[j + 13];
            c14 += x[j + 14] * w[j + 14];
            c15 += x[j + 15] * w[j + 15];
        }
        final double u0 = (c0 + c8) + (c4 + c12);
        final double u1 = (c1 + c9) + (c5 + c13);
        final double u2 = (c2 + c10) + (c6 + c14);
        final double u3 = (c3 + c11) + (c7 + c15);
        return (u0 + u2) + (u1 + u3);
    }
}
