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
 * {@link Dithers#fillChunk} on vectors: one Philox block per 32-bit lane, its four counter words in four vectors.
 * The low half of each 32 x 32-bit product is an int multiply; the high half comes from two 32 x 32 -> 64-bit
 * multiplies of the even and the odd lanes seen as longs (one {@code vpmuludq} each where both factors are
 * visibly 32-bit), so every lane does useful work: at 256 bits, where x86 has no 64-bit lane multiply, 0.69
 * against 0.46 G dithers/s for one block per long lane (same JMH session; about the same at 128 and 512 bits and
 * without AVX). Two groups of blocks go through the rounds
 * side by side, so that the multiplies of one hide the latency of the other. The words then go from four vectors
 * of one word each to coordinate order by lane shuffles and blends within one vector (C2 compiles no two-vector
 * shuffle without AVX), and become uniforms.
 */
final class DitherVectors {

    private static final int M0 = 0xD2511F53;
    private static final int M1 = 0xCD9E8D57;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;
    private static final long LOW32 = 0xFFFF_FFFFL;
    private static final long HIGH32 = 0xFFFF_FFFF_0000_0000L;
    private static final float TWO_TO_MINUS_24 = 0x1.0p-24f;

    private static final VectorSpecies<Float> FLOAT = Species.FLOAT;
    private static final VectorSpecies<Integer> INT = Species.INT;
    private static final int LANES = INT.length();
    private static final IntVector IOTA = IntVector.zero(INT).addIndex(1);
    // the multipliers as long vectors, not broadcast constants: masked to 32 bits like the other factor, C2 sees a
    // 32 x 32 -> 64-bit product
    private static final LongVector M0_LANES = LongVector.broadcast(Species.LONG, M0 & LOW32);
    private static final LongVector M1_LANES = LongVector.broadcast(Species.LONG, M1 & LOW32);
    /** Output vector q of a group takes word i mod 4 of its block (q LANES + i) / 4 in lane i. */
    private static final VectorShuffle<Integer>[] SPREAD = spreads();
    private static final VectorMask<Integer> WORD1 = VectorMask.fromLong(INT, lanesWhere(1));
    private static final VectorMask<Integer> WORD2 = VectorMask.fromLong(INT, lanesWhere(2));
    private static final VectorMask<Integer> WORD3 = VectorMask.fromLong(INT, lanesWhere(3));
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

    // an array of a generic type: made raw, filled with shuffles of ints only
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static VectorShuffle<Integer>[] spreads() {
        final VectorShuffle<Integer>[] spreads = new VectorShuffle[4];
        for (int q = 0; q < 4; q++) {
            final int first = q * LANES;
            spreads[q] = VectorShuffle.fromOp(INT, i -> (first + i) / 4);
        }
        return spreads;
    }

    private static long lanesWhere(final int word) {
        long bits = 0;
        for (int i = word; i < LANES; i += 4) {
            bits |= 1L << i;
        }
        return bits;
    }

    /** The 32-bit dithers of coordinates {@code [first, first + CHUNK)} into {@code out[offset ..]}; arguments checked. */
    static void fillChunk(final long seed, final long stream, final long first, final float[] out, final int offset,
                          final int[] words) {
        // a block index fits 31 bits: first is below 2^33
        philox(seed, stream, RandomStream.DITHER, (int) (first >>> 2), Dithers.CHUNK / 4, words);
        inOrder(words, out, offset);
    }

    /** The 16-bit dithers of coordinates {@code [first, first + CHUNK)} into {@code out[offset ..]}; arguments checked. */
    static void fillChunk16(final long seed, final long stream, final long first, final float[] out,
                            final int offset, final int[] words) {
        philox(seed, stream, RandomStream.DITHER16, (int) (first / 8), Dithers.CHUNK / 8, words);
        halves(words, out, offset);
    }

    /**
     * Philox blocks {@code firstBlock .. firstBlock + blocks} of a dither stream ({@code blocks} a multiple of
     * 2 LANES), their raw words to {@code raw}: per vector of LANES blocks from block p, word w of every block at
     * {@code raw[4 p + w LANES ..]}.
     */
    private static void philox(final long seed, final long stream, final RandomStream kind, final int firstBlock,
                               final int blocks, final int[] raw) {
        final int k0 = (int) seed;
        final int k1 = (int) (seed >>> 32);
        final IntVector counter1 = IntVector.broadcast(INT, (int) stream);
        final IntVector counter2 = IntVector.broadcast(INT, kind.id());
        final IntVector counter3 = IntVector.broadcast(INT, (int) (stream >>> 32));
        // Written out in one method because a vector passed to a method C2 does not inline is boxed.
        for (int block = 0; block < blocks; block += 2 * LANES) {
            IntVector a0 = IOTA.add(firstBlock + block);
            IntVector b0 = IOTA.add(firstBlock + block + LANES);
            IntVector a1 = counter1;
            IntVector b1 = counter1;
            IntVector a2 = counter2;
            IntVector b2 = counter2;
            IntVector a3 = counter3;
            IntVector b3 = counter3;
            for (int round = 0; round < 10; round++) {
                final int key0 = k0 + round * W0;
                final int key1 = k1 + round * W1;
                // high halves: even lanes' products shifted down, odd lanes' products in place
                final IntVector aHigh0 = a0.reinterpretAsLongs().and(LOW32).mul(M0_LANES.and(LOW32))
                        .lanewise(VectorOperators.LSHR, 32)
                        .or(a0.reinterpretAsLongs().lanewise(VectorOperators.LSHR, 32).mul(M0_LANES.and(LOW32))
                                .and(HIGH32)).reinterpretAsInts();
                final IntVector aHigh2 = a2.reinterpretAsLongs().and(LOW32).mul(M1_LANES.and(LOW32))
                        .lanewise(VectorOperators.LSHR, 32)
                        .or(a2.reinterpretAsLongs().lanewise(VectorOperators.LSHR, 32).mul(M1_LANES.and(LOW32))
                                .and(HIGH32)).reinterpretAsInts();
                final IntVector bHigh0 = b0.reinterpretAsLongs().and(LOW32).mul(M0_LANES.and(LOW32))
                        .lanewise(VectorOperators.LSHR, 32)
                        .or(b0.reinterpretAsLongs().lanewise(VectorOperators.LSHR, 32).mul(M0_LANES.and(LOW32))
                                .and(HIGH32)).reinterpretAsInts();
                final IntVector bHigh2 = b2.reinterpretAsLongs().and(LOW32).mul(M1_LANES.and(LOW32))
                        .lanewise(VectorOperators.LSHR, 32)
                        .or(b2.reinterpretAsLongs().lanewise(VectorOperators.LSHR, 32).mul(M1_LANES.and(LOW32))
                                .and(HIGH32)).reinterpretAsInts();
                final IntVector aLow0 = a0.mul(M0);
                final IntVector aLow2 = a2.mul(M1);
                final IntVector bLow0 = b0.mul(M0);
                final IntVector bLow2 = b2.mul(M1);
                a0 = aHigh2.lanewise(VectorOperators.XOR, a1).lanewise(VectorOperators.XOR, key0);
                a2 = aHigh0.lanewise(VectorOperators.XOR, a3).lanewise(VectorOperators.XOR, key1);
                a1 = aLow2;
                a3 = aLow0;
                b0 = bHigh2.lanewise(VectorOperators.XOR, b1).lanewise(VectorOperators.XOR, key0);
                b2 = bHigh0.lanewise(VectorOperators.XOR, b3).lanewise(VectorOperators.XOR, key1);
                b1 = bLow2;
                b3 = bLow0;
            }
            final int at = 4 * block;
            a0.intoArray(raw, at);
            a1.intoArray(raw, at + LANES);
            a2.intoArray(raw, at + 2 * LANES);
            a3.intoArray(raw, at + 3 * LANES);
            b0.intoArray(raw, at + 4 * LANES);
            b1.intoArray(raw, at + 5 * LANES);
            b2.intoArray(raw, at + 6 * LANES);
            b3.intoArray(raw, at + 7 * LANES);
        }
    }

    /**
     * The 16-bit dithers of {@link Dithers#fillChunk16} from the raw words of {@link #philox}: word w of the vector
     * of blocks from p holds, in its low and high halves, coordinates {@code 128 (p / 16) + 32 w + p mod 16} and
     * 16 further on, each a run of LANES (LANES divides 16). Takes no vector arguments.
     */
    private static void halves(final int[] raw, final float[] out, final int offset) {
        for (int p = 0; p < Dithers.CHUNK / 8; p += LANES) {
            final int base = offset + Dithers.GROUP16 * (p / 16) + p % 16;
            for (int w = 0; w < 4; w++) {
                final IntVector word = IntVector.fromArray(INT, raw, 4 * p + w * LANES);
                unitHalf(word.and(0xFFFF)).intoArray(out, base + 32 * w);
                unitHalf(word.lanewise(VectorOperators.LSHR, 16)).intoArray(out, base + 32 * w + 16);
            }
        }
    }

    /** {@code (2 k + 1) 2^-17} of 16-bit lanes k, as {@link Dithers#half}. */
    private static FloatVector unitHalf(final IntVector k) {
        return k.lanewise(VectorOperators.LSHL, 7).or(Dithers.HALF_STEP_ONE).reinterpretAsFloats().sub(1f);
    }

    /**
     * The raw words of {@link #philox} (per vector of LANES blocks, word 0 of every block, then word 1, 2, 3)
     * become the 32-bit uniforms in coordinate order in {@code out[offset .. offset + CHUNK)}. Takes no vector
     * arguments, so nothing is boxed if C2 does not inline it.
     */
    private static void inOrder(final int[] raw, final float[] out, final int offset) {
        for (int at = 0; at < Dithers.CHUNK; at += 4 * LANES) {
            final IntVector w0 = IntVector.fromArray(INT, raw, at);
            final IntVector w1 = IntVector.fromArray(INT, raw, at + LANES);
            final IntVector w2 = IntVector.fromArray(INT, raw, at + 2 * LANES);
            final IntVector w3 = IntVector.fromArray(INT, raw, at + 3 * LANES);
            for (int q = 0; q < 4; q++) {
                final VectorShuffle<Integer> spread = SPREAD[q];
                final IntVector words = w0.rearrange(spread).blend(w1.rearrange(spread), WORD1)
                        .blend(w2.rearrange(spread), WORD2).blend(w3.rearrange(spread), WORD3)
                        .lanewise(VectorOperators.LSHR, 8);
                final int to = offset + at + q * LANES;
                if (Vectorization.MASKS_AND_CONVERSIONS) {
                    ((FloatVector) words.convert(VectorOperators.I2F, 0)).mul(TWO_TO_MINUS_24).intoArray(out, to);
                } else {
                    // without vector conversions: k = (m << 1) + low bit; m as the float 2^23 + m less 2^23 (exact)
                    words.lanewise(VectorOperators.LSHR, 1).or(TWO_TO_23_BITS).reinterpretAsFloats().sub(TWO_TO_23)
                            .mul(TWO_TO_MINUS_23)
                            .add(words.and(1).neg().and(TWO_TO_MINUS_24_BITS).reinterpretAsFloats())
                            .intoArray(out, to);
                }
            }
        }
    }
}
