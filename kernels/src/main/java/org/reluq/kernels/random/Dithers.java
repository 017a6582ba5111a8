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
 * a long lane. Four vectors of blocks go through the rounds side by side, so that the multiplies of one
 * hide the latency of the others. Words 0,1 and 2,3 of each block are paired into longs and zipped, so that reinterpreted as
 * ints they lie in coordinate order.
 */
public final class Dithers {

    /** Coordinates per call of {@link #fillChunk}: whole passes of four groups of blocks at every lane count. */
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
    private static final int GROUPS = 4;
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
        fillChunk(seed, stream, first, out, 0);
    }

    /**
     * Writes the dithers of coordinates {@code [first, first + CHUNK)} to {@code out[offset .. offset + CHUNK)}.
     *
     * @param first a multiple of 4 (whole Philox blocks), at most 2^33 - CHUNK
     */
    public static void fillChunk(final long seed, final long stream, final long first, final float[] out,
                                 final int offset) {
        if ((first & 3) != 0 || first < 0 || first > (1L << 33) - CHUNK || offset < 0 || offset > out.length - CHUNK) {
            throw new IllegalArgumentException("dither chunk at " + first + " into " + out.length
                    + " floats from " + offset + ": first must be a non-negative multiple of 4 below 2^33 - " + CHUNK
                    + " and out must hold " + CHUNK + " floats from " + offset);
        }
        final int k0 = (int) seed;
        final int k1 = (int) (seed >>> 32);
        final LongVector counter1 = LongVector.broadcast(LONG, stream & LOW32);
        final LongVector counter2 = LongVector.broadcast(LONG, RandomStream.DITHER.id());
        final LongVector counter3 = LongVector.broadcast(LONG, stream >>> 32);
        final long firstBlock = first >>> 2;
        // Four independent groups of blocks per pass (a, b, c, d): one group alone is a chain of dependent
        // multiplies and runs at the multiplier's latency; four keep the vector units busy (1.6x faster here).
        // Written out in one method because a vector passed to a method C2 does not inline is boxed.
        for (int block = 0; block < CHUNK / 4; block += GROUPS * BLOCKS_PER_VECTOR) {
            final long at = firstBlock + block;
            LongVector a0 = IOTA.add(at);
            LongVector b0 = IOTA.add(at + BLOCKS_PER_VECTOR);
            LongVector c0 = IOTA.add(at + 2 * BLOCKS_PER_VECTOR);
            LongVector d0 = IOTA.add(at + 3 * BLOCKS_PER_VECTOR);
            LongVector a1 = counter1;
            LongVector b1 = counter1;
            LongVector c1 = counter1;
            LongVector d1 = counter1;
            LongVector a2 = counter2;
            LongVector b2 = counter2;
            LongVector c2 = counter2;
            LongVector d2 = counter2;
            LongVector a3 = counter3;
            LongVector b3 = counter3;
            LongVector c3 = counter3;
            LongVector d3 = counter3;
            for (int round = 0; round < 10; round++) {
                final long key0 = (k0 + round * W0) & LOW32;
                final long key1 = (k1 + round * W1) & LOW32;
                final LongVector ap0 = a0.mul(M0);
                final LongVector ap1 = a2.mul(M1);
                final LongVector bp0 = b0.mul(M0);
                final LongVector bp1 = b2.mul(M1);
                final LongVector cp0 = c0.mul(M0);
                final LongVector cp1 = c2.mul(M1);
                final LongVector dp0 = d0.mul(M0);
                final LongVector dp1 = d2.mul(M1);
                a0 = ap1.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, a1).lanewise(VectorOperators.XOR, key0);
                a2 = ap0.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, a3).lanewise(VectorOperators.XOR, key1);
                a1 = ap1.and(LOW32);
                a3 = ap0.and(LOW32);
                b0 = bp1.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, b1).lanewise(VectorOperators.XOR, key0);
                b2 = bp0.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, b3).lanewise(VectorOperators.XOR, key1);
                b1 = bp1.and(LOW32);
                b3 = bp0.and(LOW32);
                c0 = cp1.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, c1).lanewise(VectorOperators.XOR, key0);
                c2 = cp0.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, c3).lanewise(VectorOperators.XOR, key1);
                c1 = cp1.and(LOW32);
                c3 = cp0.and(LOW32);
                d0 = dp1.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, d1).lanewise(VectorOperators.XOR, key0);
                d2 = dp0.lanewise(VectorOperators.LSHR, 32).lanewise(VectorOperators.XOR, d3).lanewise(VectorOperators.XOR, key1);
                d1 = dp1.and(LOW32);
                d3 = dp0.and(LOW32);
            }
            final int coordinate = offset + 4 * block;
            // zipped pairs reinterpreted as ints are words 0, 1, 2, 3 of block 0, then of block 1, ...
            LongVector words01 = a0.or(a1.lanewise(VectorOperators.LSHL, 32));
            LongVector words23 = a2.or(a3.lanewise(VectorOperators.LSHL, 32));
            ((FloatVector) words01.rearrange(ZIP_LOW, words23).reinterpretAsInts()
                    .lanewise(VectorOperators.LSHR, 8).convert(VectorOperators.I2F, 0)).mul(TWO_TO_MINUS_24)
                    .intoArray(out, coordinate);
            ((FloatVector) words01.rearrange(ZIP_HIGH, words23).reinterpretAsInts()
                    .lanewise(VectorOperators.LSHR, 8).convert(VectorOperators.I2F, 0)).mul(TWO_TO_MINUS_24)
                    .intoArray(out, coordinate + FLOAT.length());
            words01 = b0.or(b1.lanewise(VectorOperators.LSHL, 32));
            words23 = b2.or(b3.lanewise(VectorOperators.LSHL, 32));
            ((FloatVector) words01.rearrange(ZIP_LOW, words23).reinterpretAsInts()
                    .lanewise(VectorOperators.LSHR, 8).convert(VectorOperators.I2F, 0)).mul(TWO_TO_MINUS_24)
                    .intoArray(out, coordinate + 4 * BLOCKS_PER_VECTOR);
            ((FloatVector) words01.rearrange(ZIP_HIGH, words23).reinterpretAsInts()
                    .lanewise(VectorOperators.LSHR, 8).convert(VectorOperators.I2F, 0)).mul(TWO_TO_MINUS_24)
                    .intoArray(out, coordinate + 4 * BLOCKS_PER_VECTOR + FLOAT.length());
            words01 = c0.or(c1.lanewise(VectorOperators.LSHL, 32));
            words23 = c2.or(c3.lanewise(VectorOperators.LSHL, 32));
            ((FloatVector) words01.rearrange(ZIP_LOW, words23).reinterpretAsInts()
                    .lanewise(VectorOperators.LSHR, 8).convert(VectorOperators.I2F, 0)).mul(TWO_TO_MINUS_24)
                    .intoArray(out, coordinate + 8 * BLOCKS_PER_VECTOR);
            ((FloatVector) words01.rearrange(ZIP_HIGH, words23).reinterpretAsInts()
                    .lanewise(VectorOperators.LSHR, 8).convert(VectorOperators.I2F, 0)).mul(TWO_TO_MINUS_24)
                    .intoArray(out, coordinate + 8 * BLOCKS_PER_VECTOR + FLOAT.length());
            words01 = d0.or(d1.lanewise(VectorOperators.LSHL, 32));
            words23 = d2.or(d3.lanewise(VectorOperators.LSHL, 32));
            ((FloatVector) words01.rearrange(ZIP_LOW, words23).reinterpretAsInts()
                    .lanewise(VectorOperators.LSHR, 8).convert(VectorOperators.I2F, 0)).mul(TWO_TO_MINUS_24)
                    .intoArray(out, coordinate + 12 * BLOCKS_PER_VECTOR);
            ((FloatVector) words01.rearrange(ZIP_HIGH, words23).reinterpretAsInts()
                    .lanewise(VectorOperators.LSHR, 8).convert(VectorOperators.I2F, 0)).mul(TWO_TO_MINUS_24)
                    .intoArray(out, coordinate + 12 * BLOCKS_PER_VECTOR + FLOAT.length());
        }
    }
}
