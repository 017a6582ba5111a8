package org.reluq.kernels.encoder;

import static org.reluq.kernels.simd.Species.FLOAT;
import static org.reluq.kernels.simd.Species.INT;
import static org.reluq.kernels.simd.Species.LANES;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import org.reluq.kernels.internal.VectorFma;

/**
 * {@link NaturalEncoder}'s codes and decoding on vectors, over the whole vectors of a range, by the integer and float
 * operations of its scalar code (so the same bits); no masks or conversions, so the same code runs on every x86
 * level and on NEON.
 */
final class NaturalVectors {

    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final int ONE_BITS = Float.floatToRawIntBits(1f);

    private NaturalVectors() {
    }

    /**
     * The codes of the whole vectors of coordinates [from, to) of gs, dithers from {@code dithers[0]} for
     * coordinate {@code from}, to byte {@code at + 4 (j - from)} of codes.
     *
     * @return the first coordinate not coded, or -1 if one of them cannot be sent (its exponent reaches 255)
     */
    static int codes(final MemorySegment gs, final int from, final int to, final float[] dithers,
                     final MemorySegment codes, final long at) {
        final int whole = to - (to - from) % LANES;
        IntVector reach = IntVector.zero(INT);
        for (int j = from; j < whole; j += LANES) {
            final IntVector bits = IntVector.fromMemorySegment(INT, gs, 4L * j, NATIVE);
            final FloatVector u = FloatVector.fromArray(FLOAT, dithers, j - from);
            final IntVector magnitude = bits.and(0x7FFF_FFFF);
            final FloatVector fraction = magnitude.and(0x7F_FFFF).or(ONE_BITS).reinterpretAsFloats().sub(1f);
            final IntVector exponent = magnitude.lanewise(VectorOperators.LSHR, 23)
                    .add(u.sub(fraction).reinterpretAsInts().lanewise(VectorOperators.LSHR, 31));
            // exponent + 1 reaches 256 exactly where the exponent reaches 255
            reach = reach.or(exponent.add(1));
            final IntVector sign = bits.lanewise(VectorOperators.LSHR, 31)
                    .and(exponent.neg().lanewise(VectorOperators.LSHR, 31));
            exponent.lanewise(VectorOperators.LSHL, 1).or(sign).intoMemorySegment(codes, at + 4L * (j - from), NATIVE);
        }
        return reach.reduceLanes(VectorOperators.OR) >>> 8 != 0 ? -1 : whole;
    }

    /**
     * {@code acc_j = fma(value(code_j), scale, acc_j)} for the whole vectors of coordinates [from, to), code j at
     * {@code codes[j - from]}.
     *
     * @return the first coordinate not decoded, or -1 if a code is not valid (acc is then partly updated)
     */
    static int decodeAccumulate(final MemorySegment codes, final int from, final int to, final float scale,
                                final MemorySegment as) {
        final FloatVector scaleV = FloatVector.broadcast(FLOAT, scale);
        final int whole = to - (to - from) % LANES;
        IntVector bad = IntVector.zero(INT);
        for (int j = from; j < whole; j += LANES) {
            final IntVector code = IntVector.fromMemorySegment(INT, codes, 4L * (j - from), NATIVE);
            final IntVector exponent = code.lanewise(VectorOperators.LSHR, 1);
            // exponent 255 makes exponent + 1 reach 256; a negative zero (code 1) makes (code ^ 1) - 1 negative
            bad = bad.or(exponent.add(1)).or(code.lanewise(VectorOperators.XOR, 1).sub(1)
                    .lanewise(VectorOperators.LSHR, 31).lanewise(VectorOperators.LSHL, 8));
            final FloatVector value = code.lanewise(VectorOperators.LSHL, 31)
                    .or(exponent.lanewise(VectorOperators.LSHL, 23)).reinterpretAsFloats();
            VectorFma.fma(value, scaleV, FloatVector.fromMemorySegment(FLOAT, as, 4L * j, NATIVE))
                    .intoMemorySegment(as, 4L * j, NATIVE);
        }
        return bad.reduceLanes(VectorOperators.OR) >>> 8 != 0 ? -1 : whole;
    }
}
