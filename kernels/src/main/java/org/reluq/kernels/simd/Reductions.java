package org.reluq.kernels.simd;

import static org.reluq.kernels.simd.Species.FLOAT;
import static org.reluq.kernels.simd.Species.LANES;

import jdk.incubator.vector.FloatVector;
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
 * <p>Kernels with several rows in flight store their accumulators to a {@link Scratch} array and call
 * {@link #sumRows}: reducing four vectors inline would make the kernel's IR too large for C2 to inline
 * everything, and a vector passed to a method that is not inlined is boxed on the heap.
 */
public final class Reductions {

    private static final VectorShuffle<Float> BY_8 = rotation(8);
    private static final VectorShuffle<Float> BY_4 = rotation(4);
    private static final VectorShuffle<Float> BY_2 = rotation(2);
    private static final VectorShuffle<Float> BY_1 = rotation(1);

    static {
        if (LANES != 4 && LANES != 8 && LANES != 16) {
            throw new IllegalStateException("Reductions supports 4, 8 or 16 float lanes, species has " + LANES);
        }
    }

    private Reductions() {
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
     * For each of {@code rows} vectors stored at {@code scratch[r * LANES]}, writes its lane sum to
     * {@code scratch[Scratch.SUMS + r]}.
     */
    public static void sumRows(final float[] scratch, final int rows) {
        for (int r = 0; r < rows; r++) {
            scratch[Scratch.SUMS + r] = sumStored(scratch, r * LANES);
        }
    }

    /**
     * The lanes of a vector stored at {@code s[b .. b + LANES)} summed in exactly the order of
     * {@link #sum}: straight-line scalar code, cheaper than reloading the vector for a chain of permutes.
     */
    static float sumStored(final float[] s, final int b) {
        if (LANES == 16) {
            final float t0 = s[b] + s[b + 8];
            final float t1 = s[b + 1] + s[b + 9];
            final float t2 = s[b + 2] + s[b + 10];
            final float t3 = s[b + 3] + s[b + 11];
            final float t4 = s[b + 4] + s[b + 12];
            final float t5 = s[b + 5] + s[b + 13];
            final float t6 = s[b + 6] + s[b + 14];
            final float t7 = s[b + 7] + s[b + 15];
            return ((t0 + t4) + (t2 + t6)) + ((t1 + t5) + (t3 + t7));
        }
        if (LANES == 8) {
            final float t0 = s[b] + s[b + 4];
            final float t1 = s[b + 1] + s[b + 5];
            final float t2 = s[b + 2] + s[b + 6];
            final float t3 = s[b + 3] + s[b + 7];
            return (t0 + t2) + (t1 + t3);
        }
        return (s[b] + s[b + 2]) + (s[b + 1] + s[b + 3]);
    }
}
