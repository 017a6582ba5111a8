package org.reluq.kernels.simd;

import static org.reluq.kernels.simd.Species.LANES;

/**
 * A small per-thread float array through which multi-row kernels pass per-row values (accumulator
 * vectors, their sums, gradient coefficients) between their loop and reduction methods without
 * allocating. Layout: {@code [0, 4 LANES)} four accumulator vectors, then four sums at {@link #SUMS},
 * then four coefficients at {@link #COEFFICIENTS}.
 */
public final class Scratch {

    /** Index of the four row sums. */
    public static final int SUMS = 4 * LANES;

    /** Index of the four gradient coefficients. */
    public static final int COEFFICIENTS = SUMS + 4;

    private static final ThreadLocal<float[]> PER_THREAD = ThreadLocal.withInitial(() -> new float[COEFFICIENTS + 4]);

    private Scratch() {
    }

    /** This thread's scratch array (kernels are not re-entrant on one thread, so one is enough). */
    public static float[] get() {
        return PER_THREAD.get();
    }
}
