package org.reluq.kernels.simd;

/**
 * A small per-thread float array through which the four-row kernels pass per-row values (the four dot
 * products, the four gradient coefficients) between their methods without allocating: Java has no
 * multiple return values, and a vector returned from a method that is not inlined is boxed.
 */
public final class Scratch {

    /** Index of the four row sums (dot products). */
    public static final int SUMS = 0;

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
