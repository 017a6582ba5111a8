package org.reluq.kernels.random;

import org.reluq.kernels.warmup.KernelFamily;
/**
 * The uniform dithers of stochastic rounding: {@code u_j} in [0, 1), a pure function of
 * (seed, dither stream, coordinate j), computed by Philox4x32-10 on 4-, 8- or 16-lane vectors or one
 * block at a time, with identical bits.
 *
 * <p>Definition (also in docs/wire-format.md): coordinate j takes word {@code j mod 4} of the Philox
 * block with key {@code (seed low, seed high)} and counter
 * {@code (j / 4, stream low, RandomStream.DITHER, stream high)}, and {@code u_j = (word >>> 8) 2^-24}.
 * The dither stream is a 64-bit number the caller chooses, e.g. worker and round, so that every
 * quantization draws fresh dithers and a receiver could recompute them.
 *
 * <p>{@link #fillChunk} runs on the path of {@link KernelFamily#QUANTIZE}: {@link DitherVectors}, or four
 * interleaved Philox blocks at a time in scalar code.
 */
public final class Dithers {

    /** Coordinates per call of {@link #fillChunk}: whole passes of four groups of blocks at every lane count. */
    public static final int CHUNK = 256;

    private static final int BLOCKS_PER_CALL = 4;

    /** The Philox words of scratch {@link #fillChunk} needs on the scalar path. */
    public static final int WORDS = 4 * BLOCKS_PER_CALL;

    private Dithers() {
    }

    /**
     * The dither of coordinate {@code j}, one block at a time (the scalar path; allocates four words).
     *
     * @param j a coordinate in [0, 2^33)
     */
    public static float at(final long seed, final long stream, final long j) {
        if (j < 0 || j >= 1L << 33) {
            throw new IllegalArgumentException("dither coordinate " + j + " is outside [0, 2^33)");
        }
        final int[] words = new int[4];
        final long block = j >>> 2;
        Philox4x32.block((int) block, (int) stream, RandomStream.DITHER.id(), (int) (stream >>> 32),
                (int) seed, (int) (seed >>> 32), words);
        return Philox4x32.uniform(words[(int) (j & 3)]);
    }

    /**
     * Writes the dithers of coordinates {@code [first, first + CHUNK)} to {@code out[offset .. offset + CHUNK)}.
     *
     * @param first a multiple of 4 (whole Philox blocks), at most 2^33 - CHUNK
     * @param words the caller's scratch, at least {@value #WORDS} ints (used on the scalar path)
     */
    public static void fillChunk(final long seed, final long stream, final long first, final float[] out,
                                 final int offset, final int[] words) {
        if (words.length < WORDS) {
            throw new IllegalArgumentException("dither scratch of " + words.length + " words, needs " + WORDS);
        }
        if ((first & 3) != 0 || first < 0 || first > (1L << 33) - CHUNK || offset < 0 || offset > out.length - CHUNK) {
            throw new IllegalArgumentException("dither chunk at " + first + " into " + out.length
                    + " floats from " + offset + ": first must be a non-negative multiple of 4 below 2^33 - " + CHUNK
                    + " and out must hold " + CHUNK + " floats from " + offset);
        }
        if (KernelFamily.QUANTIZE.vector()) {
            DitherVectors.fillChunk(seed, stream, first, out, offset);
        } else {
            fillChunkScalar(seed, stream, first, out, offset, words);
        }
    }

    /** {@link #fillChunk} four Philox blocks at a time, interleaved. */
    private static void fillChunkScalar(final long seed, final long stream, final long first, final float[] out,
                                        final int offset, final int[] words) {
        // counter (block, stream low, DITHER, stream high) is Philox4x32's (index low, index high, stream, sub)
        final long index = first >>> 2 | stream << 32;
        final int sub = (int) (stream >>> 32);
        for (int k = 0; k < CHUNK; k += 4 * BLOCKS_PER_CALL) {
            Philox4x32.blocks4(seed, RandomStream.DITHER, index + k / 4, sub, words);
            for (int i = 0; i < 4 * BLOCKS_PER_CALL; i++) {
                out[offset + k + i] = Philox4x32.uniform(words[i]);
            }
        }
    }
}
