package org.reluq.kernels.quant;

import static org.reluq.kernels.simd.Species.FLOAT;
import static org.reluq.kernels.simd.Species.INT;
import static org.reluq.kernels.simd.Species.LANES;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import org.reluq.kernels.internal.VectorFma;
import org.reluq.kernels.simd.Vectorization;

/**
 * {@link Qsgd}'s passes on vectors, over whole vectors of a range; {@code Qsgd} does the rest one coordinate at a
 * time by the same float operations, so the codes and sums are the same bits on either path. Where C2 compiles no
 * masks or int-float conversions to vector code ({@link Vectorization#MASKS_AND_CONVERSIONS}) the code compares by
 * sign bits and converts exactly on the bits instead.
 */
final class QsgdVectors {

    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final float TWO_TO_23 = 0x1.0p23f;
    private static final int TWO_TO_23_BITS = Float.floatToRawIntBits(TWO_TO_23);
    private static final int ONE_BITS = Float.floatToRawIntBits(1f);

    private QsgdVectors() {
    }

    /**
     * Steps 3 and 4 of the definition for one vector of coordinates x with dithers u: their codes
     * {@code level << 1 | sign}, given the bucket's {@code pre}, {@code s / (norm pre)} and s.
     */
    static IntVector codes(final FloatVector x, final FloatVector u, final FloatVector pre, final FloatVector inv,
                           final IntVector maxLevel) {
        final FloatVector r = x.abs().mul(pre).mul(inv);
        if (Vectorization.MASKS_AND_CONVERSIONS) {
            // conversions for the floor, sign bits for the comparisons (as the scalar code: no mask registers, which
            // cost more than the shifts at 256 bits and below)
            final IntVector floor = (IntVector) r.convert(VectorOperators.F2I, 0);
            final FloatVector fraction = r.sub((FloatVector) floor.convert(VectorOperators.I2F, 0));
            final IntVector level = floor.add(signBits(u.sub(fraction))).min(maxLevel);
            final IntVector negative = signBits(x).and(signBits(level.neg()));
            return level.lanewise(VectorOperators.LSHL, 1).or(negative);
        }
        // without masks and conversions, as the scalar code does it: r is below 2^16, so 2^23 + r rounds r to an
        // integer n held in the mantissa, and floor(r) is n, or n - 1 where n > r; a < b is the sign of a - b
        final FloatVector biased = r.add(TWO_TO_23);
        final FloatVector rounded = biased.sub(TWO_TO_23);
        final IntVector above = signBits(r.sub(rounded));
        final IntVector floor = biased.reinterpretAsInts().sub(TWO_TO_23_BITS).sub(above);
        final FloatVector fraction = r.sub(rounded.sub(above.neg().and(ONE_BITS).reinterpretAsFloats()));
        final IntVector level = floor.add(signBits(u.sub(fraction))).min(maxLevel);
        final IntVector negative = signBits(x).and(signBits(level.neg()));
        return level.lanewise(VectorOperators.LSHL, 1).or(negative);
    }

    /**
     * {@link #codes(FloatVector, FloatVector, FloatVector, FloatVector, IntVector)} for exponential levels, as
     * {@code Qsgd}'s scalar code does it, on the bits of r: below 1 the fraction is r and the floor level 0, else
     * the floor level is r's exponent + 1 and the fraction r's fraction bits.
     */
    static IntVector expCodes(final FloatVector x, final FloatVector u, final FloatVector pre, final FloatVector inv,
                              final IntVector maxLevel) {
        final IntVector bits = x.abs().mul(pre).mul(inv).reinterpretAsInts();
        final IntVector exponent = bits.lanewise(VectorOperators.LSHR, 23);
        final IntVector big = exponent.neg().add(126).lanewise(VectorOperators.ASHR, 31);
        final IntVector floor = exponent.sub(126).and(big);
        final IntVector fractionBits = bits.and(0x007F_FFFF).or(ONE_BITS).reinterpretAsFloats().sub(1f)
                .reinterpretAsInts();
        final FloatVector fraction = fractionBits.and(big).or(bits.and(big.not())).reinterpretAsFloats();
        final IntVector level = floor.add(signBits(u.sub(fraction))).min(maxLevel);
        final IntVector negative = signBits(x).and(signBits(level.neg()));
        return level.lanewise(VectorOperators.LSHL, 1).or(negative);
    }

    /** 1 in the lanes whose sign bit is set, else 0. */
    private static IntVector signBits(final FloatVector v) {
        return v.reinterpretAsInts().lanewise(VectorOperators.LSHR, 31);
    }

    private static IntVector signBits(final IntVector v) {
        return v.lanewise(VectorOperators.LSHR, 31);
    }

    /**
     * The codes of the whole vectors of coordinates from {@code from} on, below {@code to}, all in one bucket,
     * their dithers in {@code dithers} from coordinate {@code chunk}; the code of j goes to byte
     * {@code base + 4 j}.
     *
     * @return the first coordinate not coded
     */
    static int codes(final MemorySegment vs, final float[] dithers, final int chunk, final int from, final int to,
                     final float pre, final float inv, final int s, final MemorySegment codes, final long base) {
        final FloatVector preV = FloatVector.broadcast(FLOAT, pre);
        final FloatVector invV = FloatVector.broadcast(FLOAT, inv);
        final IntVector maxLevel = IntVector.broadcast(INT, s);
        final int whole = to - (to - from) % LANES;
        for (int j = from; j < whole; j += LANES) {
            final FloatVector x = FloatVector.fromMemorySegment(FLOAT, vs, 4L * j, NATIVE);
            final FloatVector u = FloatVector.fromArray(FLOAT, dithers, j - chunk);
            codes(x, u, preV, invV, maxLevel).intoMemorySegment(codes, base + 4L * j, NATIVE);
        }
        return whole;
    }

    /**
     * {@link #codes(MemorySegment, float[], int, int, int, float, float, int, MemorySegment, long)} for exponential
     * levels. A method of its own, not a branch in that loop: a vector call that C2 compiled as never taken is not
     * inlined once it is (its site is not hot enough), and its vectors are then boxed on every call (measured: 30 KB a
     * frame at d = 5000, and 167 KB for the other spacing after a switch).
     */
    static int expCodes(final MemorySegment vs, final float[] dithers, final int chunk, final int from, final int to,
                        final float pre, final float inv, final int s, final MemorySegment codes, final long base) {
        final FloatVector preV = FloatVector.broadcast(FLOAT, pre);
        final FloatVector invV = FloatVector.broadcast(FLOAT, inv);
        final IntVector maxLevel = IntVector.broadcast(INT, s);
        final int whole = to - (to - from) % LANES;
        for (int j = from; j < whole; j += LANES) {
            final FloatVector x = FloatVector.fromMemorySegment(FLOAT, vs, 4L * j, NATIVE);
            final FloatVector u = FloatVector.fromArray(FLOAT, dithers, j - chunk);
            expCodes(x, u, preV, invV, maxLevel).intoMemorySegment(codes, base + 4L * j, NATIVE);
        }
        return whole;
    }

    /**
     * {@code acc_j = fma(signedLevel_j, unit, acc_j)} for the whole vectors of coordinates from {@code start} on,
     * below {@code end}, their codes at byte {@code base + 4 j}.
     *
     * @return the first coordinate not decoded, or -1 if a code's level exceeds s or a code is 1 (a sign on level
     *         0); acc is then partly updated
     */
    static int decodeAccumulate(final MemorySegment codes, final long base, final int start, final int end,
                                final int s, final boolean exp, final float unit, final MemorySegment as) {
        final FloatVector unitV = FloatVector.broadcast(FLOAT, unit);
        final int whole = end - (end - start) % LANES;
        if (exp || !Vectorization.MASKS_AND_CONVERSIONS) {
            // bad codes leave a sign bit, checked once after the loop: a level above s makes s - level negative, and
            // code 1 is the one whose low bit (shifted to the top) meets level - 1 = -1
            IntVector bad = IntVector.zero(INT);
            for (int j = start; j < whole; j += LANES) {
                final IntVector code = IntVector.fromMemorySegment(INT, codes, base + 4L * j, NATIVE);
                final IntVector level = code.lanewise(VectorOperators.LSHR, 1);
                bad = bad.or(badSignBits(code, level, s));
                // uniform: the level in the mantissa of 2^23 less 2^23 (exact below 2^23); exponential: 2^(level - 1)
                // made from its exponent bits; either with its sign where the level is not 0 (+0.0 where it is)
                final IntVector nonzero = level.neg().lanewise(VectorOperators.ASHR, 31);
                final IntVector magnitude = exp ? level.add(126).lanewise(VectorOperators.LSHL, 23).and(nonzero)
                        : level.or(TWO_TO_23_BITS).reinterpretAsFloats().sub(TWO_TO_23).reinterpretAsInts();
                final IntVector sign = code.lanewise(VectorOperators.LSHL, 31).and(nonzero);
                VectorFma.fma(magnitude.or(sign).reinterpretAsFloats(), unitV,
                        FloatVector.fromMemorySegment(FLOAT, as, 4L * j, NATIVE)).intoMemorySegment(as, 4L * j, NATIVE);
            }
            return bad.reduceLanes(VectorOperators.OR) < 0 ? -1 : whole;
        }
        // with masks, one compare and a test a vector (a mask carried through the loop, or the sign-bit arithmetic,
        // measured slower at 512 bits): flipping the low bit (the code's sign) maps the valid codes {0} and
        // [2, 2s + 1] onto [1, 2s + 1] and code 1 onto 0, so (code ^ 1) - 1 is above 2s, unsigned, exactly for the bad
        // ones
        final IntVector limit = IntVector.broadcast(INT, s << 1);
        for (int j = start; j < whole; j += LANES) {
            final IntVector code = IntVector.fromMemorySegment(INT, codes, base + 4L * j, NATIVE);
            if (code.lanewise(VectorOperators.XOR, 1).sub(1).compare(VectorOperators.UGT, limit).anyTrue()) {
                return -1;
            }
            VectorFma.fma(signedLevels(code, code.lanewise(VectorOperators.LSHR, 1)), unitV,
                    FloatVector.fromMemorySegment(FLOAT, as, 4L * j, NATIVE)).intoMemorySegment(as, 4L * j, NATIVE);
        }
        return whole;
    }

    /** Negative in the lanes whose code has a level above s or is 1 (a sign on level 0). */
    private static IntVector badSignBits(final IntVector code, final IntVector level, final int s) {
        return level.neg().add(s).or(code.lanewise(VectorOperators.LSHL, 31).and(level.sub(1)));
    }

    /**
     * {@link MaxMagnitude#bitsOf} over {@code count} floats (a multiple of 4 LANES): four accumulators, since a max
     * has the latency of an add and the loads are the limit.
     */
    static int maxMagnitudeBits(final MemorySegment s, final long offset, final int count) {
        IntVector m0 = IntVector.zero(INT);
        IntVector m1 = m0;
        IntVector m2 = m0;
        IntVector m3 = m0;
        for (int k = 0; k < count; k += 4 * LANES) {
            final long at = offset + 4L * k;
            m0 = m0.max(IntVector.fromMemorySegment(INT, s, at, NATIVE).and(MaxMagnitude.MAGNITUDE));
            m1 = m1.max(IntVector.fromMemorySegment(INT, s, at + 4L * LANES, NATIVE).and(MaxMagnitude.MAGNITUDE));
            m2 = m2.max(IntVector.fromMemorySegment(INT, s, at + 8L * LANES, NATIVE).and(MaxMagnitude.MAGNITUDE));
            m3 = m3.max(IntVector.fromMemorySegment(INT, s, at + 12L * LANES, NATIVE).and(MaxMagnitude.MAGNITUDE));
        }
        return m0.max(m1).max(m2.max(m3)).reduceLanes(VectorOperators.MAX);
    }

    /** The signed levels {@code sign ? -level : level} of a vector of codes, as floats (exact: levels fit 16 bits). */
    private static FloatVector signedLevels(final IntVector code, final IntVector level) {
        final VectorMask<Integer> negative = code.and(1).compare(VectorOperators.NE, 0);
        return (FloatVector) level.lanewise(VectorOperators.NEG, negative).convert(VectorOperators.I2F, 0);
    }
}
