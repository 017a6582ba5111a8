package org.reluq.kernels.random;

import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import org.reluq.kernels.simd.Species;

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
 * <p>The vector path keeps one block per 64-bit lane: Philox's 32 x 32 -> 64-bit products are exact in
 * a long lane. Words 0,1 and 2,3 of each block are paired into longs and zipped, so that reinterpreted as
 * ints they lie in coordinate order.
 */
public final class Dithers {

    /** Coordinates per call of {@link #fillChunk}: a multiple of 4 blocks times every lane count. */
    public static final int CHUNK = 256;

    private static final long M0 = 0xD2511F53L;
    private static final long M1 = 0xCD9E8D57L;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;
    private static final long LOW32 = 0xFFFF_FFFFL;
    private static final float TWO_TO_MINUS_24 = 0x1.0p-24f;

    private static final VectorSpecies<Float> FLOAT = Species.FLOAT;
    private static final VectorSpecies<Long> LONG = VectorSpecies.of(long.class, FLOAT.vectorShape());
    private static final int BLOCKS_PER_VECTOR = LONG.length();
    private static final VectorShuffle<Long> ZIP_LOW = VectorShuffle.makeZip(LONG, 0);
    private static final VectorShuffle<Long> ZIP_HIGH = VectorShuffle.makeZip(LONG, 1);
    private static final LongVector IOTA = LongVector.zero(LONG).addIndex(1);

    static {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalStateException("Dithers' vector path assumes a little-endian platform");
        }
    }

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
     * Writes the dithers of coordinates {@code [first, first + CHUNK)} to {@code out[0 .. CHUNK)}.
     *
     * @param first a multiple of 4 (whole Philox blocks), at most 2^33 - CHUNK
     */
    public static void fillChunk(final long seed, final long stream, final long first, final float[] out) {
        if ((first & 3) != 0 || first < 0 || first > (1L << 33) - CHUNK || out.length < CHUNK) {
            throw new IllegalArgumentException("dither chunk at " + first + " into " + out.length
                    + " floats: first must be a non-negative multiple of 4 below 2^33 - " + CHUNK
                    + " and out must hold " + CHUNK);
        }
        final int k0 = (int) seed;
        final int k1 = (int) (seed >>> 32);
        final LongVector c1 = LongVector.broadcast(LONG, stream & LOW32);
        final LongVector c2 = LongVector.broadcast(LONG, RandomStream.DITHER.id());
        final LongVector c3 = LongVector.broadcast(LONG, stream >>> 32);
        final long firstBlock = first >>> 2;
        // one block per lane, ten rounds; written in one method because a vector passed to a method C2
        // does not inline is boxed on the heap
        for (int b = 0; b < CHUNK / 4; b += BLOCKS_PER_VECTOR) {
            LongVector x0 = IOTA.add(firstBlock + b);
            LongVector x1 = c1;
            LongVector x2 = c2;
            LongVector x3 = c3;
            int key0 = k0;
            int key1 = k1;
            for (int round = 0; round < 10; round++) {
                if (round > 0) {
                    key0 += W0;
                    key1 += W1;
                }
                final LongVector p0 = x0.mul(M0);
                final LongVector p1 = x2.mul(M1);
                x0 = p1.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, x1)
                        .lanewise(VectorOperators.XOR, key0 & LOW32);
                x2 = p0.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, x3)
                        .lanewise(VectorOperators.XOR, key1 & LOW32);
                x1 = p1.and(LOW32);
                x3 = p0.and(LOW32);
            }
            final LongVector words01 = x0.or(x1.lanewise(VectorOperators.LSHL, 32));
            final LongVector words23 = x2.or(x3.lanewise(VectorOperators.LSHL, 32));
            // zipped pairs reinterpreted as ints are words 0, 1, 2, 3 of block 0, then of block 1, ...
            final int at = 4 * b;
            ((FloatVector) words01.rearrange(ZIP_LOW, words23).reinterpretAsInts()
                    .lanewise(VectorOperators.LSHR, 8).convert(VectorOperators.I2F, 0))
                    .mul(TWO_TO_MINUS_24).intoArray(out, at);
            ((FloatVector) words01.rearrange(ZIP_HIGH, words23).reinterpretAsInts()
                    .lanewise(VectorOperators.LSHR, 8).convert(VectorOperators.I2F, 0))
                    .mul(TWO_TO_MINUS_24).intoArray(out, at + FLOAT.length());
        }
    }
}
