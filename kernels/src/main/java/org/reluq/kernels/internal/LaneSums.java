package org.reluq.kernels.internal;

import org.reluq.kernels.simd.Vectorization;

/**
 * {@link Reductions} in scalar code: the same folds of the same lanes in the same order, on float arrays
 * of {@link Vectorization#LANES} lanes, so the scalar twins of the vector kernels give the vector kernels' bits.
 * A rotation by r moves lane {@code (i + r) mod LANES} to lane i; a fold adds a vector and its rotation
 * lane by lane, every lane from the values before the fold. {@code tmp} is scratch of {@code LANES} floats.
 */
public final class LaneSums {

    private static final int LANES = Vectorization.LANES;

    /** Lane of {@link Reductions#sum4}'s result (and of {@link #sum4}'s) that holds the sum of its first argument. */
    public static final int LANE_A = 0;
    /** Lane of the result of {@code sum4} that holds the sum of its second argument. */
    public static final int LANE_B = LANES / 2;
    /** Lane of the result of {@code sum4} that holds the sum of its third argument. */
    public static final int LANE_C = LANES / 4;
    /** Lane of the result of {@code sum4} that holds the sum of its fourth argument. */
    public static final int LANE_D = 3 * LANES / 4;

    private LaneSums() {
    }

    /** {@link Reductions#sum} of the lanes {@code v[from .. from + LANES)} (overwritten). */
    public static float sum(final float[] v, final int from, final float[] tmp) {
        if (LANES == 16) {
            fold(v, from, 8, tmp);
        }
        if (LANES >= 8) {
            fold(v, from, 4, tmp);
        }
        fold(v, from, 2, tmp);
        fold(v, from, 1, tmp);
        return v[from];
    }

    /**
     * {@link Reductions#sum4} of the four vectors {@code v[from + k LANES ..]}, k = 0..3 (overwritten); the
     * sums are then at {@code v[from + LANE_A]} .. {@code v[from + LANE_D]}.
     */
    public static void sum4(final float[] v, final int from, final float[] tmp) {
        final int half = LANES / 2;
        final int quarter = LANES / 4;
        final int a = from;
        final int b = from + LANES;
        final int c = from + 2 * LANES;
        final int d = from + 3 * LANES;
        // step 1: each vector folded by half; ab takes a's lanes below half and b's above, cd likewise
        fold(v, a, half, tmp);
        fold(v, b, half, tmp);
        fold(v, c, half, tmp);
        fold(v, d, half, tmp);
        System.arraycopy(v, b + half, v, a + half, half);
        System.arraycopy(v, c, v, b, half);
        System.arraycopy(v, d + half, v, b + half, half);
        // step 2: even quarters fold ab by a quarter downwards, odd quarters fold cd by a quarter upwards
        for (int i = 0; i < LANES; i++) {
            tmp[i] = (i / quarter) % 2 == 1 ? v[b + i] + v[b + (i + LANES - quarter) % LANES]
                    : v[a + i] + v[a + (i + quarter) % LANES];
        }
        System.arraycopy(tmp, 0, v, a, LANES);
        if (LANES == 16) {
            fold(v, a, 2, tmp);
        }
        if (LANES >= 8) {
            fold(v, a, 1, tmp);
        }
    }

    /** {@code v += rotate(v, by)} on the lanes from {@code from}, each lane from the values before. */
    private static void fold(final float[] v, final int from, final int by, final float[] tmp) {
        for (int i = 0; i < LANES; i++) {
            tmp[i] = v[from + i] + v[from + (i + by) % LANES];
        }
        System.arraycopy(tmp, 0, v, from, LANES);
    }
}
