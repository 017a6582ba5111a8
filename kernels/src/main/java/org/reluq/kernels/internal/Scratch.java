package org.reluq.kernels.internal;

import org.reluq.kernels.simd.Vectorization;

/**
 * Per-thread working storage of the row-block kernels: the dot products of a block, and the queue of
 * rows waiting to be folded into the gradient (their byte offsets and coefficients). It lets the kernels
 * pass several values between methods without allocating: Java has no multiple return values, and a
 * vector returned from a method that is not inlined is boxed.
 */
public final class Scratch {

    private static final ThreadLocal<Scratch> PER_THREAD = ThreadLocal.withInitial(Scratch::new);

    /** The dot products of the current block (four or eight rows). */
    public final float[] sums = new float[8];

    /** Byte offsets of the queued rows. */
    public final long[] queuedOffsets = new long[4];

    /** Gradient coefficients of the queued rows. */
    public final float[] queuedCoefficients = new float[4];

    /** Lanes of eight vectors, for the scalar twins' emulated lane sums. */
    public final float[] lanes = new float[8 * Vectorization.LANES];

    /** One vector's lanes, scratch of the emulated lane sums. */
    public final float[] laneTmp = new float[Vectorization.LANES];

    /** How many rows are queued, 0 to 3 between calls to the kernel's queue. */
    public int queued;

    /** Heap copies for the scalar twins, which read arrays: segment accesses cost calls until C2 compiles them. */
    private final float[][] heap = new float[HEAP_SLOTS][0];

    /** Slots of {@link #heap(int, int)}. */
    public static final int HEAP_SLOTS = 13;

    private Scratch() {
    }

    /**
     * A heap array of at least {@code length} floats for slot {@code slot} (grown when too short; contents
     * unspecified).
     */
    public float[] heap(final int slot, final int length) {
        if (heap[slot].length < length) {
            heap[slot] = new float[length];
        }
        return heap[slot];
    }

    /** This thread's scratch (kernels are not re-entrant on one thread, so one is enough). */
    public static Scratch get() {
        return PER_THREAD.get();
    }
}
