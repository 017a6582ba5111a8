package org.reluq.kernels.internal;

import static org.reluq.kernels.simd.Species.FLOAT;
import static org.reluq.kernels.simd.Species.LANES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;

/**
 * Horizontal sums whose bits never depend on the JIT.
 *
 * <p>{@code reduceLanes(ADD)} leaves the order of a float reduction unspecified, and C2's intrinsic does
 * use a different order than the interpreter, so the same call can return different bits before and after
 * compilation; that would break bit-identical runs across threads and batch layouts. These sums fold the
 * lanes in half log2(lanes) times in a fixed order: exact data movement and IEEE adds, identical in every
 * tier. {@code LANES} is a constant, so C2 keeps only the branch for the running width.
 *
 * <p>Kernels with four rows in flight use {@link #sum4}, which folds the four accumulators together and
 * needs half the permutes: four separate sums made the kernels' IR too large for C2 to inline them all,
 * and a vector passed to a method that is not inlined is boxed on the heap (the verify module's
 * {@code KernelAllocationTest} guards this).
 */
public final class Reductions {

    private static final VectorShuffle<Float> BY_8 = rotation(8);
    private static final VectorShuffle<Float> BY_4 = rotation(4);
    private static final VectorShuffle<Float> BY_2 = rotation(2);
    private static final VectorShuffle<Float> BY_1 = rotation(1);
    private static final VectorShuffle<Float> BY_HALF = rotation(LANES / 2);
    private static final VectorShuffle<Float> BY_QUARTER = rotation(LANES / 4);
    private static final VectorShuffle<Float> BY_MINUS_QUARTER = rotation(LANES - LANES / 4);
    private static final VectorMask<Float> UPPER_HALF = VectorMask.fromLong(FLOAT, lanesWhere(2, 1));
    private static final VectorMask<Float> ODD_QUARTERS = VectorMask.fromLong(FLOAT, lanesWhere(4, 1));


    static {
        if (LANES != 4 && LANES != 8 && LANES != 16) {
            throw new IllegalStateException("Reductions supports 4, 8 or 16 float lanes, species has " + LANES);
        }
    }

    private Reductions() {
    }

    /** Mask bits of the lanes whose part, of {@code parts} equal parts, is odd (1 = upper half or odd quarters). */
    private static long lanesWhere(final int parts, final int parity) {
        long bits = 0;
        for (int lane = 0; lane < LANES; lane++) {
            if ((lane / (LANES / parts)) % 2 == parity) {
                bits |= 1L << lane;
            }
        }
        return bits;
    }

    private static VectorShuffle<Float> rotation(final int by) {
        return VectorShuffle.iota(FLOAT, by % LANES, 1, true);
    }

    /** The sum of the lanes of {@code v}, in a fixed order. */
    public static float sum(FloatVector v) {
        if (LANES == 16) {
            v = v.add(v.rearrange(BY_8));
        }
        if (LANES >= 8) {
            v = v.add(v.rearrange(BY_4));
        }
        v = v.add(v.rearrange(BY_2));
        return v.add(v.rearrange(BY_1)).lane(0);
    }

    /**
     * The lane sums of four vectors at once, in a fixed order, at lanes {@link LaneSums#LANE_A} ..
     * {@link LaneSums#LANE_D} of the result: the vectors are folded pairwise into one (a and b share a vector after one step,
     * then all four after two), so four sums cost half the permutes of four {@link #sum} calls.
     */
    public static FloatVector sum4(final FloatVector a, final FloatVector b, final FloatVector c,
                                   final FloatVector d) {
        // step 1: each half of ab holds the pairwise sums of a (low) and b (high); likewise cd
        final FloatVector ab = a.add(a.rearrange(BY_HALF)).blend(b.add(b.rearrange(BY_HALF)), UPPER_HALF);
        final FloatVector cd = c.add(c.rearrange(BY_HALF)).blend(d.add(d.rearrange(BY_HALF)), UPPER_HALF);
        // step 2: quarters hold a, c, b, d: ab folds downwards, cd upwards, odd quarters come from cd
        FloatVector v = ab.add(ab.rearrange(BY_QUARTER)).blend(cd.add(cd.rearrange(BY_MINUS_QUARTER)), ODD_QUARTERS);
        // the rest folds every quarter in place
        if (LANES == 16) {
            v = v.add(v.rearrange(BY_2));
        }
        if (LANES >= 8) {
            v = v.add(v.rearrange(BY_1));
        }
        return v;
    }
}
