package org.reluq.kernels.relu;

import org.reluq.kernels.memory.OffHeapMatrix;
import org.reluq.kernels.memory.OffHeapVector;

/** Argument checks shared by the kernels: every message names the offending sizes. */
final class Shapes {

    private Shapes() {
    }

    static void requireColumns(final OffHeapMatrix x, final OffHeapVector w, final String what) {
        if (w.length() != x.cols()) {
            throw mismatch(what, w, x, "columns", x.cols());
        }
    }

    static void requireRows(final OffHeapMatrix x, final OffHeapVector v, final String what) {
        if (v.length() != x.rows()) {
            throw mismatch(what, v, x, "rows", x.rows());
        }
    }

    /** Built only on failure: the checks themselves must not allocate. */
    private static IllegalArgumentException mismatch(final String what, final OffHeapVector v, final OffHeapMatrix x,
                                                     final String dimension, final int expected) {
        return new IllegalArgumentException(what + " has length " + v.length() + " but X is " + x.rows() + "x"
                + x.cols() + ", so it needs " + expected + " (its " + dimension + ")");
    }

    static void requireBatch(final int[] rows, final int offset, final int count, final int n) {
        if (count < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + count);
        }
        if (offset < 0 || offset > rows.length - count) {
            throw new IllegalArgumentException("batch [" + offset + ", " + offset + " + " + count
                    + ") is outside the index array of length " + rows.length);
        }
        for (int k = offset; k < offset + count; k++) {
            if (rows[k] < 0 || rows[k] >= n) {
                throw new IllegalArgumentException(
                        "row index rows[" + k + "] = " + rows[k] + " is outside [0, " + n + ")");
            }
        }
    }
}
