package org.reluq.kernels.random;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.reluq.kernels.simd.Vectorization;

/**
 * The scratch memory of {@link Gaussian#fill(long, RandomStream, long, long, MemorySegment, long,
 * GaussianWorkspace)}: Philox words, gather indices, the queue of draws for the slow path and one step's
 * output for a partial last step. One per thread that generates, owned and closed by the caller; confined
 * to the thread that made it.
 */
public final class GaussianWorkspace implements AutoCloseable {

    private static final int LANES = Vectorization.LANES;
    /**
     * Philox blocks per step of the vector generator ({@code VectorPhilox}): four vectors of one block per long
     * lane, half as many lanes as ints; defined here, where the scalar path can read it without the Vector API.
     */
    static final int BLOCKS = 4 * (LANES / 2);
    /** Philox words per step, four per block. */
    static final int WORDS = 4 * BLOCKS;

    private final Arena arena = Arena.ofConfined();
    private final int[] words = new int[WORDS];
    private final int[] layers = new int[LANES];
    private final int[] draws = new int[WORDS];
    /** Slow draws: a batch, and room for one more step's. */
    private final int[] slowWord = new int[BLOCKS + WORDS];
    private final int[] slowOffset = new int[BLOCKS + WORDS];
    private final long[] counters = new long[BLOCKS];
    private final long[] slowBlock = new long[BLOCKS];
    private final long[] slowSub = new long[BLOCKS];
    private final int[] slowResult = new int[BLOCKS];
    private final float[] slowX = new float[LANES];
    private final int[] slowV = new int[LANES];
    private final int[] block = new int[4];
    private final MemorySegment tail = arena.allocate((long) WORDS * Float.BYTES, 64);

    /** A workspace for the calling thread; close it to free its off-heap memory. */
    public GaussianWorkspace() {
        // the arrays and the tail segment above are the workspace
    }

    int[] words() {
        return words;
    }

    /** One step's draws as float bits, before they are copied out. */
    int[] draws() {
        return draws;
    }

    int[] layers() {
        return layers;
    }

    int[] slowResult() {
        return slowResult;
    }

    float[] slowX() {
        return slowX;
    }

    int[] slowV() {
        return slowV;
    }

    int[] slowOffset() {
        return slowOffset;
    }

    long[] counters() {
        return counters;
    }

    long[] slowBlock() {
        return slowBlock;
    }

    long[] slowSub() {
        return slowSub;
    }

    int[] slowWord() {
        return slowWord;
    }

    int[] block() {
        return block;
    }

    MemorySegment tail() {
        return tail;
    }

    /** Off-heap room for {@code count} floats, freed with the workspace. */
    MemorySegment scratch(final int count) {
        return arena.allocate((long) count * Float.BYTES, 64);
    }

    /** Frees the off-heap scratch. */
    @Override
    public void close() {
        arena.close();
    }
}
