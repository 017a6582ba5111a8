package org.reluq.verify;

import java.util.Arrays;

/**
 * The 16-bit formats from their definitions, independent of the kernels' bit tricks: every finite fp16 value
 * built from sign, exponent and fraction, and the nearest one to a float found by search (ties to the even
 * fraction); bf16's nearest value chosen between the two bf16 values that bracket the float.
 */
final class ReferenceHalf {

    /** The 63 488 finite fp16 values' bits, ordered by value (negatives descending to -0, then +0 up). */
    private static final short[] FP16_BITS;
    private static final double[] FP16_VALUES;

    static {
        final int positives = 0x7C00; // exponents 0..30, every fraction
        FP16_BITS = new short[2 * positives];
        FP16_VALUES = new double[2 * positives];
        for (int k = 0; k < positives; k++) {
            final double magnitude = fp16Value(k);
            FP16_BITS[positives - 1 - k] = (short) (0x8000 | k);
            FP16_VALUES[positives - 1 - k] = -magnitude;
            FP16_BITS[positives + k] = (short) k;
            FP16_VALUES[positives + k] = magnitude;
        }
    }

    private ReferenceHalf() {
    }

    /** The magnitude of the fp16 bits k (sign bit clear): subnormal below exponent 1. */
    static double fp16Value(final int k) {
        final int exponent = k >>> 10;
        final int fraction = k & 0x3FF;
        return exponent == 0 ? Math.scalb((double) fraction, -24) : Math.scalb(1024.0 + fraction, exponent - 25);
    }

    /** fp16 of x, nearest with ties to even, or -1 (as an int) when x lies beyond the largest finite value's rounding. */
    static int fp16(final float x) {
        if (Math.abs((double) x) >= 65520.0) { // 65504 + half its spacing of 32 rounds to infinity
            return -1;
        }
        int at = Arrays.binarySearch(FP16_VALUES, x);
        if (at >= 0) {
            // an exact value; +0 and -0 compare equal, so pick by the float's sign
            return x == 0 ? (Float.floatToRawIntBits(x) < 0 ? 0x8000 : 0) : FP16_BITS[at] & 0xFFFF;
        }
        final int above = -at - 1;
        if (above == 0 || above == FP16_VALUES.length) {
            // beyond ±65504 but below the rounding threshold: the largest finite value of that sign
            return FP16_BITS[above == 0 ? 0 : above - 1] & 0xFFFF;
        }
        final double low = FP16_VALUES[above - 1];
        final double high = FP16_VALUES[above];
        final double dl = x - low;
        final double dh = high - x;
        final int chosen;
        if (dl < dh) {
            chosen = above - 1;
        } else if (dh < dl) {
            chosen = above;
        } else {
            chosen = (FP16_BITS[above - 1] & 1) == 0 ? above - 1 : above;
        }
        final int bits = FP16_BITS[chosen] & 0xFFFF;
        // a value rounding to zero keeps the float's sign
        return (bits & 0x7FFF) == 0 ? (x < 0 ? 0x8000 : 0) : bits;
    }

    /** bf16 of x, nearest with ties to even, or -1 when it rounds to infinity. */
    static int bf16(final float x) {
        final int bits = Float.floatToRawIntBits(x);
        final int truncated = bits & 0xFFFF0000;
        final double low = Float.intBitsToFloat(truncated);
        final int upBits = truncated + 0x10000; // the next bf16 away from zero
        final double high = (upBits & 0x7F800000) == 0x7F800000 ? Math.copySign(Math.scalb(1.0, 128), x)
                : Float.intBitsToFloat(upBits);
        final double dl = Math.abs(x - low);
        final double dh = Math.abs(high - x);
        final int chosen = dl < dh ? truncated : dh < dl ? upBits : (truncated >>> 16 & 1) == 0 ? truncated : upBits;
        if ((chosen & 0x7F800000) == 0x7F800000) {
            return -1;
        }
        return chosen >>> 16;
    }

    /** The float of bf16 bits. */
    static float bf16Value(final int bits) {
        return Float.intBitsToFloat(bits << 16);
    }

    /** The float of fp16 bits. */
    static float fp16ValueOf(final int bits) {
        final double magnitude = fp16Value(bits & 0x7FFF);
        return (float) ((bits & 0x8000) != 0 ? -magnitude : magnitude);
    }
}
