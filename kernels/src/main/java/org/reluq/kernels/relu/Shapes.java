package org.reluq.kernels.relu;

import org.reluq.kernels.memory.OffHeapMatrix;
import org.reluq.kernels.memory.OffHeapVector;

/** Argument checks shared by the kernels: every message names the offending sizes. */
final class Shapes {

    private Shapes() {
    }

    static void requireLength(final String what, final OffHeapVector v, final int expected, final String against) {
        if (v.length() != expected) {
            throw new IllegalArgumentException(
                    what + " has length " + v.length() + " but " + against + " is " + expected);
        }
    }

    static void requireColumns(final OffHeapMatrix x, final OffHeapVector w, final String what) {
        requireLength(what, w, x.cols(), "X has " + x.rows() + "x" + x.cols() + " so its column count");
    }

    static void requireRows(final OffHeapMatrix x, final OffHeapVector v, final String what) {
        requireLength(what, v, x.rows(), "X has " + x.rows() + "x" + x.cols() + " so its row count");
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
