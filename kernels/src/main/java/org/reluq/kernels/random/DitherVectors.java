package org.reluq.kernels.random;

import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import org.reluq.kernels.simd.Species;
import org.reluq.kernels.simd.Vectorization;

/**
 * {@link Dithers#fillChunk} on vectors: one Philox block per 64-bit lane, since Philox's 32 x 32 -> 64-bit
 * products are exact in a long lane. Four vectors of blocks go through the rounds side by side, so that the
 * multiplies of one hide the latency of the others. Words 0,1 and 2,3 of each block are paired into longs and
 * zipped, so that reinterpreted as ints they lie in coordinate order.
 */
final class DitherVectors {

    private static final long M0 = 0xD2511F53L;
    private static final long M1 = 0xCD9E8D57L;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;
    private static final long LOW32 = 0xFFFF_FFFFL;
    private static final float TWO_TO_MINUS_24 = 0x1.0p-24f;

    private static final VectorSpecies<Float> FLOAT = Species.FLOAT;
    private static final VectorSpecies<Long> LONG = Species.LONG;
    private static final int BLOCKS_PER_VECTOR = LONG.length();
    private static final int INTS = 2 * BLOCKS_PER_VECTOR;
    /** Two blocks per vector (128 bits), where the loop shapes differ (measured: DitherBenchmark). */
    private static final boolean PAIRS = BLOCKS_PER_VECTOR == 2;
    private static final int GROUPS = 4;
    private static final VectorShuffle<Long> ZIP_LOW = VectorShuffle.makeZip(LONG, 0);
    private static final VectorShuffle<Long> ZIP_HIGH = VectorShuffle.makeZip(LONG, 1);
    private static final LongVector IOTA = LongVector.zero(LONG).addIndex(1);
    // Philox's multipliers as vectors, not broadcast constants: at 128 bits, with both factors masked to 32 bits, C2
    // multiplies with one vpmuludq (1.6 times the dithers per second there); at 256 bits it was 1.6 times slower
    private static final LongVector M0_LANES = LongVector.broadcast(LONG, M0);
    private static final LongVector M1_LANES = LongVector.broadcast(LONG, M1);
    private static final VectorShuffle<Integer> ROTATE_HALF = VectorShuffle.iota(Species.INT, 2, 1, true);
    private static final VectorMask<Integer> UPPER_HALF = VectorMask.fromLong(Species.INT, 0b1100);
    private static final int TWO_TO_23_BITS = Float.floatToRawIntBits(0x1.0p23f);
    private static final float TWO_TO_23 = 0x1.0p23f;
    private static final float TWO_TO_MINUS_23 = 0x1.0p-23f;
    private static final int TWO_TO_MINUS_24_BITS = Float.floatToRawIntBits(0x1.0p-24f);

    static {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new IllegalStateException("the dithers' vector path assumes a little-endian platform");
        }
    }

    private DitherVectors() {
    }

    /** The dithers of coordinates {@code [first, first + CHUNK)} into {@code out[offset ..]}; arguments checked. */
    static void fillChunk(final long seed, final long stream, final long first, final float[] out, final int offset) {
        final int k0 = (int) seed;
        final int k1 = (int) (seed >>> 32);
        final LongVector counter1 = LongVector.broadcast(LONG, stream & LOW32);
        final LongVector counter2 = LongVector.broadcast(LONG, RandomStream.DITHER.id());
        final LongVector counter3 = LongVector.broadcast(LONG, stream >>> 32);
        final long firstBlock = first >>> 2;
        // Four independent groups of blocks per pass (a, b, c, d): one group alone is a chain of dependent
        // multiplies and runs at the multiplier's latency; four keep the vector units busy (1.6x faster here).
        // Written out in one method because a vector passed to a method C2 does not inline is boxed.
        for (int block = 0; block < Dithers.CHUNK / 4; block += GROUPS * BLOCKS_PER_VECTOR) {
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
                final LongVector ap0 = PAIRS ? a0.and(LOW32).mul(M0_LANES.and(LOW32)) : a0.and(LOW32).mul(M0);
                final LongVector ap1 = PAIRS ? a2.and(LOW32).mul(M1_LANES.and(LOW32)) : a2.and(LOW32).mul(M1);
                final LongVector bp0 = PAIRS ? b0.and(LOW32).mul(M0_LANES.and(LOW32)) : b0.and(LOW32).mul(M0);
                final LongVector bp1 = PAIRS ? b2.and(LOW32).mul(M1_LANES.and(LOW32)) : b2.and(LOW32).mul(M1);
                final LongVector cp0 = PAIRS ? c0.and(LOW32).mul(M0_LANES.and(LOW32)) : c0.and(LOW32).mul(M0);
                final LongVector cp1 = PAIRS ? c2.and(LOW32).mul(M1_LANES.and(LOW32)) : c2.and(LOW32).mul(M1);
                final LongVector dp0 = PAIRS ? d0.and(LOW32).mul(M0_LANES.and(LOW32)) : d0.and(LOW32).mul(M0);
                final LongVector dp1 = PAIRS ? d2.and(LOW32).mul(M1_LANES.and(LOW32)) : d2.and(LOW32).mul(M1);
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
            if (PAIRS) {
                // 128 bits: the words of each block, paired into longs as (0, 1) and (2, 3), go out as raw bits and
                // the pass below puts them in order (C2 compiles no two-lane long shuffle to vector code)
                a0.or(a1.lanewise(VectorOperators.LSHL, 32)).reinterpretAsFloats().intoArray(out, coordinate);
                a2.or(a3.lanewise(VectorOperators.LSHL, 32)).reinterpretAsFloats().intoArray(out, coordinate + INTS);
                b0.or(b1.lanewise(VectorOperators.LSHL, 32)).reinterpretAsFloats().intoArray(out, coordinate + 2 * INTS);
                b2.or(b3.lanewise(VectorOperators.LSHL, 32)).reinterpretAsFloats().intoArray(out, coordinate + 3 * INTS);
                c0.or(c1.lanewise(VectorOperators.LSHL, 32)).reinterpretAsFloats().intoArray(out, coordinate + 4 * INTS);
                c2.or(c3.lanewise(VectorOperators.LSHL, 32)).reinterpretAsFloats().intoArray(out, coordinate + 5 * INTS);
                d0.or(d1.lanewise(VectorOperators.LSHL, 32)).reinterpretAsFloats().intoArray(out, coordinate + 6 * INTS);
                d2.or(d3.lanewise(VectorOperators.LSHL, 32)).reinterpretAsFloats().intoArray(out, coordinate + 7 * INTS);
            } else {
                // zipped pairs reinterpreted as ints are words 0, 1, 2, 3 of block 0, then of block 1, ...
                LongVector words01;
                LongVector words23;
                words01 = a0.or(a1.lanewise(VectorOperators.LSHL, 32));
                words23 = a2.or(a3.lanewise(VectorOperators.LSHL, 32));
                ((FloatVector) words01.rearrange(ZIP_LOW, words23).reinterpretAsInts()
                        .lanewise(VectorOperators.LSHR, 8).convert(VectorOperators.I2F, 0)).mul(TWO_TO_MINUS_24)
                        .intoArray(out, coordinate);
                ((FloatVector) words01.rearrange(ZIP_HIGH, words23).reinterpretAsInts()
                        .lanewise(VectorOperators.LSHR, 8).convert(VectorOperators.I2F, 0)).mul(TWO_TO_MINUS_24)
                        .intoArray(out, coordinate + INTS);
                words01 = b0.or(b1.lanewise(VectorOperators.LSHL, 32));
                words23 = b2.or(b3.lanewise(VectorOperators.LSHL, 32));
                ((FloatVector) words01.rearrange(ZIP_LOW, words23).reinterpretAsInts()
                        .lanewise(VectorOperators.LSHR, 8).convert(VectorOperators.I2F, 0)).mul(TWO_TO_MINUS_24)
                        .intoArray(out, coordinate + 2 * INTS);
                ((FloatVector) words01.rearrange(ZIP_HIGH, words23).reinterpretAsInts()
                        .lanewise(VectorOperators.LSHR, 8).convert(VectorOperators.I2F, 0)).mul(TWO_TO_MINUS_24)
                        .intoArray(out, coordinate + 2 * INTS + INTS);
                words01 = c0.or(c1.lanewise(VectorOperators.LSHL, 32));
                words23 = c2.or(c3.lanewise(VectorOperators.LSHL, 32));
                ((FloatVector) words01.rearrange(ZIP_LOW, words23).reinterpretAsInts()
                        .lanewise(VectorOperators.LSHR, 8).convert(VectorOperators.I2F, 0)).mul(TWO_TO_MINUS_24)
                        .intoArray(out, coordinate + 4 * INTS);
                ((FloatVector) words01.rearrange(ZIP_HIGH, words23).reinterpretAsInts()
                        .lanewise(VectorOperators.LSHR, 8).convert(VectorOperators.I2F, 0)).mul(TWO_TO_MINUS_24)
                        .intoArray(out, coordinate + 4 * INTS + INTS);
                words01 = d0.or(d1.lanewise(VectorOperators.LSHL, 32));
                words23 = d2.or(d3.lanewise(VectorOperators.LSHL, 32));
                ((FloatVector) words01.rearrange(ZIP_LOW, words23).reinterpretAsInts()
                        .lanewise(VectorOperators.LSHR, 8).convert(VectorOperators.I2F, 0)).mul(TWO_TO_MINUS_24)
                        .intoArray(out, coordinate + 6 * INTS);
                ((FloatVector) words01.rearrange(ZIP_HIGH, words23).reinterpretAsInts()
                        .lanewise(VectorOperators.LSHR, 8).convert(VectorOperators.I2F, 0)).mul(TWO_TO_MINUS_24)
                        .intoArray(out, coordinate + 6 * INTS + INTS);
            }
        }
        if (PAIRS) {
            inOrder(out, offset);
        }
    }

    /**
     * At two long lanes, the raw words {@link #fillChunk} left in {@code out[offset .. offset + CHUNK)} (words 0,1 of
     * a vector's two blocks, then their words 2,3) become the uniforms in coordinate order: a long zip done as an
     * int rotation and a blend. Takes no vector arguments, so nothing is boxed if C2 does not inline it.
     */
    private static void inOrder(final float[] out, final int offset) {
        for (int at = offset; at < offset + Dithers.CHUNK; at += 2 * INTS) {
            final IntVector words01 = FloatVector.fromArray(FLOAT, out, at).reinterpretAsInts();
            final IntVector words23 = FloatVector.fromArray(FLOAT, out, at + INTS).reinterpretAsInts();
            final IntVector low = words01.blend(words23.rearrange(ROTATE_HALF), UPPER_HALF)
                    .lanewise(VectorOperators.LSHR, 8);
            final IntVector high = words01.rearrange(ROTATE_HALF).blend(words23, UPPER_HALF)
                    .lanewise(VectorOperators.LSHR, 8);
            if (Vectorization.MASKS_AND_CONVERSIONS) {
                ((FloatVector) low.convert(VectorOperators.I2F, 0)).mul(TWO_TO_MINUS_24).intoArray(out, at);
                ((FloatVector) high.convert(VectorOperators.I2F, 0)).mul(TWO_TO_MINUS_24).intoArray(out, at + INTS);
            } else {
                // without vector conversions: k = (m << 1) + low bit; m as the float 2^23 + m less 2^23 (exact)
                low.lanewise(VectorOperators.LSHR, 1).or(TWO_TO_23_BITS).reinterpretAsFloats().sub(TWO_TO_23)
                        .mul(TWO_TO_MINUS_23).add(low.and(1).neg().and(TWO_TO_MINUS_24_BITS).reinterpretAsFloats())
                        .intoArray(out, at);
                high.lanewise(VectorOperators.LSHR, 1).or(TWO_TO_23_BITS).reinterpretAsFloats().sub(TWO_TO_23)
                        .mul(TWO_TO_MINUS_23).add(high.and(1).neg().and(TWO_TO_MINUS_24_BITS).reinterpretAsFloats())
                        .intoArray(out, at + INTS);
            }
        }
    }
}
