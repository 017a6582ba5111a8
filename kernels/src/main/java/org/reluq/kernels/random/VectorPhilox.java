package org.reluq.kernels.random;

import java.nio.ByteOrder;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import org.reluq.kernels.simd.Species;

/**
 * Philox4x32-10 on vectors: the words of {@link #BLOCKS} consecutive blocks per call, the same bits as
 * {@link Philox4x32#block(long, RandomStream, long, int, int[])} one block at a time, for consecutive blocks
 * or any {@link #BLOCKS} counters.
 *
 * <p>One block per 64-bit lane, so Philox's 32 x 32 -> 64-bit products are exact in a lane. Four vectors of
 * blocks go through the rounds side by side: one alone is a chain of dependent multiplies and runs at the
 * multiplier's latency, four keep the vector units busy. Words 0,1 and 2,3 of each block are paired into
 * longs and zipped, so that reinterpreted as ints they lie in block order (word 0..3 of the first block,
 * then of the next).
 */
final class VectorPhilox {

    static final VectorSpecies<Long> LONG = Species.LONG;
    static final VectorSpecies<Integer> INT = Species.INT;

    /** Blocks per call: four vectors of one block per long lane. */
    static final int BLOCKS = GaussianWorkspace.BLOCKS;

    /** Words per call, four per block. */
    static final int WORDS = GaussianWorkspace.WORDS;

    private static final long M0 = 0xD2511F53L;
    private static final long M1 = 0xCD9E8D57L;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;
    private static final long LOW32 = 0xFFFF_FFFFL;
    private static final int LANES = LONG.length();
    private static final int INTS = INT.length();
    private static final VectorShuffle<Long> ZIP_LOW = VectorShuffle.makeZip(LONG, 0);
    private static final VectorShuffle<Long> ZIP_HIGH = VectorShuffle.makeZip(LONG, 1);
    private static final LongVector IOTA = LongVector.zero(LONG).addIndex(1);
    /** Sub-counters of the first draw of every element. */
    private static final long[] ZEROS = new long[BLOCKS];

    static {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalStateException("VectorPhilox assumes a little-endian platform");
        }
    }

    private VectorPhilox() {
    }

    /**
     * The words of blocks {@code first .. first + BLOCKS - 1} with counter
     * {@code (block low, block high, stream, 0)} and key {@code (seed low, seed high)}, written to
     * {@code out[0 .. WORDS)} in block order; {@code counters} is scratch of {@link #BLOCKS} longs.
     */
    static void blocks(final long seed, final long first, final int stream, final long[] counters, final int[] out) {
        IOTA.add(first).intoArray(counters, 0);
        IOTA.add(first + LANES).intoArray(counters, LANES);
        IOTA.add(first + 2 * LANES).intoArray(counters, 2 * LANES);
        IOTA.add(first + 3 * LANES).intoArray(counters, 3 * LANES);
        blocks(seed, stream, counters, ZEROS, out);
    }

    /**
     * The words of {@link #BLOCKS} blocks of any counters: block b has counter
     * {@code (index[b] low, index[b] high, stream, sub[b])} (sub[b] below 2^32) and key
     * {@code (seed low, seed high)}; written to {@code out[0 .. WORDS)} in block order.
     */
    static void blocks(final long seed, final int stream, final long[] index, final long[] sub, final int[] out) {
        final int k0 = (int) seed;
        final int k1 = (int) (seed >>> 32);
        final LongVector counter2 = LongVector.broadcast(LONG, stream & LOW32);
        final LongVector blockA = LongVector.fromArray(LONG, index, 0);
        final LongVector blockB = LongVector.fromArray(LONG, index, LANES);
        final LongVector blockC = LongVector.fromArray(LONG, index, 2 * LANES);
        final LongVector blockD = LongVector.fromArray(LONG, index, 3 * LANES);
        LongVector a0 = blockA.and(LOW32);
        LongVector b0 = blockB.and(LOW32);
        LongVector c0 = blockC.and(LOW32);
        LongVector d0 = blockD.and(LOW32);
        LongVector a1 = blockA.lanewise(VectorOperators.LSHR, 32);
        LongVector b1 = blockB.lanewise(VectorOperators.LSHR, 32);
        LongVector c1 = blockC.lanewise(VectorOperators.LSHR, 32);
        LongVector d1 = blockD.lanewise(VectorOperators.LSHR, 32);
        LongVector a2 = counter2;
        LongVector b2 = counter2;
        LongVector c2 = counter2;
        LongVector d2 = counter2;
        LongVector a3 = LongVector.fromArray(LONG, sub, 0);
        LongVector b3 = LongVector.fromArray(LONG, sub, LANES);
        LongVector c3 = LongVector.fromArray(LONG, sub, 2 * LANES);
        LongVector d3 = LongVector.fromArray(LONG, sub, 3 * LANES);
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
        // words 0|1 and 2|3 of each block as longs, zipped: as ints, words 0, 1, 2, 3 of a block, then the next
        LongVector words01 = a0.or(a1.lanewise(VectorOperators.LSHL, 32));
        LongVector words23 = a2.or(a3.lanewise(VectorOperators.LSHL, 32));
        words01.rearrange(ZIP_LOW, words23).reinterpretAsInts().intoArray(out, 0);
        words01.rearrange(ZIP_HIGH, words23).reinterpretAsInts().intoArray(out, INTS);
        words01 = b0.or(b1.lanewise(VectorOperators.LSHL, 32));
        words23 = b2.or(b3.lanewise(VectorOperators.LSHL, 32));
        words01.rearrange(ZIP_LOW, words23).reinterpretAsInts().intoArray(out, 2 * INTS);
        words01.rearrange(ZIP_HIGH, words23).reinterpretAsInts().intoArray(out, 3 * INTS);
        words01 = c0.or(c1.lanewise(VectorOperators.LSHL, 32));
        words23 = c2.or(c3.lanewise(VectorOperators.LSHL, 32));
        words01.rearrange(ZIP_LOW, words23).reinterpretAsInts().intoArray(out, 4 * INTS);
        words01.rearrange(ZIP_HIGH, words23).reinterpretAsInts().intoArray(out, 5 * INTS);
        words01 = d0.or(d1.lanewise(VectorOperators.LSHL, 32));
        words23 = d2.or(d3.lanewise(VectorOperators.LSHL, 32));
        words01.rearrange(ZIP_LOW, words23).reinterpretAsInts().intoArray(out, 6 * INTS);
        words01.rearrange(ZIP_HIGH, words23).reinterpretAsInts().intoArray(out, 7 * INTS);
    }
}
