package org.reluq.kernels.random;

import org.reluq.kernels.warmup.KernelFamily;

/**
 * The uniform dithers of stochastic rounding: {@code u_j} in (0, 1), a pure function of (seed, dither stream,
 * coordinate j), computed by Philox4x32-10 on 4-, 8- or 16-lane vectors or four blocks at a time in scalar code,
 * with identical bits. Two widths (also in docs/wire-format.md, section 4); the dither stream is a 64-bit number
 * the caller chooses, e.g. worker and round, so that every quantization draws fresh dithers and a receiver could
 * recompute them.
 *
 * <ul>
 *   <li><b>32-bit</b> ({@link #fillChunk}): coordinate j takes word {@code j mod 4} of the block with key
 *       {@code (seed low, seed high)} and counter {@code (j / 4, stream low, RandomStream.DITHER, stream high)},
 *       and {@code u_j = (word >>> 8) 2^-24}. Rounding with it has {@code E[level] - r} in {@code [0, 2^-24)}.
 *   <li><b>16-bit</b> ({@link #fillChunk16}): eight dithers per block, half the Philox work. Coordinate
 *       {@code j = 128 g + 32 w + 16 h + b} ({@code b < 16, h < 2, w < 4}) takes half h (0: the low 16 bits) of
 *       word w of the block with counter {@code (16 g + b, stream low, RandomStream.DITHER16, stream high)}, and
 *       {@code u_j = (2 k + 1) 2^-17} for that half k: the half-step offset centres the 2^16 values in their
 *       cells, so rounding has {@code |E[level] - r| <= 2^-17} and a mean bias of 0 over fractions, where
 *       {@code k 2^-16} would be biased up by up to 2^-16. The order lets a vector of up to 16 lanes hold one
 *       word of up to 16 consecutive blocks and store each half as consecutive coordinates, with no shuffle.
 * </ul>
 *
 * <p>Both run on the path of {@link KernelFamily#QUANTIZE}: {@link DitherVectors}, or four interleaved Philox
 * blocks at a time in scalar code.
 */
public final class Dithers {

    /** Coordinates per call of {@link #fillChunk} and {@link #fillChunk16}. */
    public static final int CHUNK = 256;

    /** The coordinates of one group of 16 blocks of 16-bit dithers. */
    static final int GROUP16 = 128;

    private static final int BLOCKS_PER_CALL = 4;

    /** The ints of scratch {@link #fillChunk} and {@link #fillChunk16} need: the Philox words of a chunk. */
    public static final int WORDS = CHUNK;

    private Dithers() {
    }

    /**
     * The 32-bit dither of coordinate {@code j}, one block at a time (allocates four words).
     *
     * @param j a coordinate in [0, 2^33)
     */
    public static float at(final long seed, final long stream, final long j) {
        requireCoordinate(j);
        final int[] words = new int[4];
        Philox4x32.block((int) (j >>> 2), (int) stream, RandomStream.DITHER.id(), (int) (stream >>> 32),
                (int) seed, (int) (seed >>> 32), words);
        return Philox4x32.uniform(words[(int) (j & 3)]);
    }

    /**
     * The 16-bit dither of coordinate {@code j}, one block at a time (allocates four words).
     *
     * @param j a coordinate in [0, 2^33)
     */
    public static float at16(final long seed, final long stream, final long j) {
        requireCoordinate(j);
        final int[] words = new int[4];
        final int c = (int) (j % GROUP16);
        final long block = j / GROUP16 * 16 + c % 16;
        Philox4x32.block((int) block, (int) stream, RandomStream.DITHER16.id(), (int) (stream >>> 32),
                (int) seed, (int) (seed >>> 32), words);
        final int word = words[c / 32];
        return half((c / 16 % 2 == 0 ? word : word >>> 16) & 0xFFFF);
    }

    /** {@code (2 k + 1) 2^-17} for a 16-bit k: 1 + that in the float's bits, less 1 (exact: 17 significant bits). */
    static float half(final int k) {
        return Float.intBitsToFloat(k << 7 | HALF_STEP_ONE) - 1f;
    }

    /** The bits of {@code 1 + 2^-17}: the half step below the 16 bits a half puts at 2^-16 .. 2^-1. */
    static final int HALF_STEP_ONE = Float.floatToRawIntBits(1f) | 1 << 6;

    private static void requireCoordinate(final long j) {
        if (j < 0 || j >= 1L << 33) {
            throw new IllegalArgumentException("dither coordinate " + j + " is outside [0, 2^33)");
        }
    }

    /**
     * Writes the 32-bit dithers of coordinates {@code [first, first + CHUNK)} to {@code out[offset .. offset + CHUNK)}.
     *
     * @param first a multiple of 4 (whole Philox blocks), at most 2^33 - CHUNK
     * @param words the caller's scratch, at least {@value #WORDS} ints
     */
    public static void fillChunk(final long seed, final long stream, final long first, final float[] out,
                                 final int offset, final int[] words) {
        requireChunk(first, 4, out, offset, words);
        if (KernelFamily.QUANTIZE.vector()) {
            DitherVectors.fillChunk(seed, stream, first, out, offset, words);
        } else {
            fillChunkScalar(seed, stream, first, out, offset, words);
        }
    }

    /**
     * Writes the 16-bit dithers of coordinates {@code [first, first + CHUNK)} to {@code out[offset .. offset + CHUNK)}.
     *
     * @param first a multiple of 128 (whole groups of 16 blocks), at most 2^33 - CHUNK
     * @param words the caller's scratch, at least {@value #WORDS} ints
     */
    public static void fillChunk16(final long seed, final long stream, final long first, final float[] out,
                                   final int offset, final int[] words) {
        requireChunk(first, GROUP16, out, offset, words);
        if (KernelFamily.QUANTIZE.vector()) {
            DitherVectors.fillChunk16(seed, stream, first, out, offset, words);
        } else {
            fillChunk16Scalar(seed, stream, first, out, offset, words);
        }
    }

    private static void requireChunk(final long first, final int multiple, final float[] out, final int offset,
                                     final int[] words) {
        if (words.length < WORDS) {
            throw new IllegalArgumentException("dither scratch of " + words.length + " words, needs " + WORDS);
        }
        if (first % multiple != 0 || first < 0 || first > (1L << 33) - CHUNK || offset < 0
                || offset > out.length - CHUNK) {
            throw new IllegalArgumentException("dither chunk at " + first + " into " + out.length
                    + " floats from " + offset + ": first must be a non-negative multiple of " + multiple
                    + " below 2^33 - " + CHUNK + " and out must hold " + CHUNK + " floats from " + offset);
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

    /** {@link #fillChunk16} four Philox blocks at a time, interleaved; block i's word w is {@code words[4 i + w]}. */
    private static void fillChunk16Scalar(final long seed, final long stream, final long first, final float[] out,
                                          final int offset, final int[] words) {
        final long index = first / 8 | stream << 32;
        final int sub = (int) (stream >>> 32);
        for (int p = 0; p < CHUNK / 8; p += BLOCKS_PER_CALL) {
            Philox4x32.blocks4(seed, RandomStream.DITHER16, index + p, sub, words);
            for (int i = 0; i < BLOCKS_PER_CALL; i++) {
                final int block = p + i;
                final int base = offset + GROUP16 * (block / 16) + block % 16;
                for (int w = 0; w < 4; w++) {
                    final int word = words[4 * i + w];
                    out[base + 32 * w] = half(word & 0xFFFF);
                    out[base + 32 * w + 16] = half(word >>> 16);
                }
            }
        }
    }
}
