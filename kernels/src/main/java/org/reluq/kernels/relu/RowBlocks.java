package org.reluq.kernels.relu;

import org.reluq.kernels.simd.Vectorization;

/** How many rows one pass of the row kernels (forward and gradient, vectors and twins alike) takes. */
final class RowBlocks {

    /**
     * Rows of at most this many bytes (d up to 1024) are best taken eight at a time ({@code RowDots.dots8}): eight
     * short rows keep more misses in flight, and in the gradient their 32 KiB stay in L1 until folded into g.
     * Longer rows go four at a time at 256 and 512 bits: eight rows of 8 or 32 KiB measured slower there (AVX2,
     * 4096 x 8192: 8.7-9.1 ms against 6.0-6.3 ms).
     */
    static final long EIGHT_ROW_STRIDE = 4096;

    private RowBlocks() {
    }

    /**
     * Whether rows of {@code stride} bytes go eight at a time: short rows at every width, and every row at 128 bits,
     * where four rows' two accumulators each left the gradient of 4096 x 8192 at 9.5 ms against 8.0 ms (BLAS 12 ms).
     */
    static boolean eight(final long stride) {
        return stride <= EIGHT_ROW_STRIDE || Vectorization.LANES == 4;
    }
}
