package org.reluq.kernels.encoder;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.reluq.kernels.codec.MalformedFrameException;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.parallel.KernelPool;
import org.reluq.kernels.simd.Fma;

/**
 * The 16-bit baselines: {@code fp16} (IEEE 754 binary16, encoder id 3) and {@code bf16} (bfloat16, the top half
 * of a binary32, encoder id 4). The payload is the d values as little-endian u16, each the float rounded to
 * nearest, ties to even. Encoding refuses NaN, infinities and values that round to infinity (beyond 65504 in
 * fp16, beyond about 3.3895e38 in bf16), naming the first; decoding refuses any u16 whose exponent bits are all
 * ones. Decode-and-accumulate computes {@code acc_j = fma(value_j, scale, acc_j)} as {@link Fma} decides.
 *
 * <p>The error is deterministic, not random: for entries in the format's normal range (fp16 from 2^-14, bf16
 * from 2^-126) each value is within a relative 2^-11 (fp16) or 2^-8 (bf16) of the float, so
 * {@link #varianceFactor} is the square of that; smaller entries round with an absolute error of at most half
 * their format's spacing (fp16 flushes magnitudes below 2^-25 to zero).
 */
public final class HalfEncoder extends FramedEncoder<FramedEncoder.EmptyState> {

    /** The two 16-bit formats. */
    public enum Format {
        /** IEEE 754 binary16: 5 exponent bits, 10 fraction bits. */
        FP16(3, "fp16", 0x7C00, 0x1.0p-22),
        /** bfloat16: 8 exponent bits, 7 fraction bits. */
        BF16(4, "bf16", 0x7F80, 0x1.0p-16);

        final int id;
        final String spec;
        /** The exponent bits: all ones is infinity or NaN. */
        final int exponentMask;
        final double relativeSquaredError;

        Format(final int id, final String spec, final int exponentMask, final double relativeSquaredError) {
            this.id = id;
            this.spec = spec;
            this.exponentMask = exponentMask;
            this.relativeSquaredError = relativeSquaredError;
        }

        /** The format's bits of x, rounded to nearest, ties to even (x finite). */
        public short round(final float x) {
            if (this == FP16) {
                return Float.floatToFloat16(x);
            }
            final int bits = Float.floatToRawIntBits(x);
            return (short) ((bits + 0x7FFF + (bits >>> 16 & 1)) >>> 16);
        }

        /** The float a format's bits stand for. */
        public float value(final short bits) {
            return this == FP16 ? Float.float16ToFloat(bits) : Float.intBitsToFloat(bits << 16);
        }

        /** Whether the bits are infinity or NaN. */
        public boolean nonFinite(final short bits) {
            return (bits & exponentMask) == exponentMask;
        }
    }

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final Format format;

    /** The encoder of a format ({@code Encoders.parse("fp16")} or {@code "bf16"} gives one). */
    public HalfEncoder(final Format format) {
        super(EmptyState.class);
        this.format = format;
    }

    @Override
    public int id() {
        return format.id;
    }

    @Override
    public String spec() {
        return format.spec;
    }

    @Override
    public boolean unbiased() {
        return false;
    }

    @Override
    public double varianceFactor(final int d) {
        return format.relativeSquaredError;
    }

    @Override
    protected long maxPayloadBytes(final int d) {
        return 2L * d;
    }

    @Override
    protected EmptyState createState(final int d) {
        return new EmptyState(this, d);
    }

    @Override
    protected int encodePayload(final OffHeapVector g, final long seed, final long stream, final EmptyState state,
                                final MemorySegment payload, final KernelPool pool) {
        final int d = g.length();
        final MemorySegment gs = g.segment();
        for (int j = 0; j < d; j++) {
            final float x = gs.getAtIndex(ValueLayout.JAVA_FLOAT, j);
            if (!Float.isFinite(x)) {
                throw notFinite(j, x);
            }
            final short bits = format.round(x);
            if (format.nonFinite(bits)) {
                throw new IllegalArgumentException("gradient entry " + j + " = " + x + " rounds to infinity in "
                        + format.spec + " (largest finite " + format.value((short) (format.exponentMask - 1)) + ")");
            }
            payload.set(U16, 2L * j, bits);
        }
        return 2 * d;
    }

    @Override
    protected void decodePayload(final Frame.Header header, final MemorySegment payload, final float scale,
                                 final EmptyState state, final OffHeapVector acc) {
        final int d = acc.length();
        if (payload.byteSize() != 2L * d) {
            throw new MalformedFrameException(format.spec + " payload of " + payload.byteSize()
                    + " bytes for dimension " + d + " (needs " + 2L * d + ")");
        }
        // checked whole before acc changes, so a bad frame leaves acc as it was
        for (int j = 0; j < d; j++) {
            if (format.nonFinite(payload.get(U16, 2L * j))) {
                throw new MalformedFrameException(format.spec + " payload entry " + j + " (0x"
                        + Integer.toHexString(payload.get(U16, 2L * j) & 0xFFFF) + ") is not finite");
            }
        }
        final MemorySegment as = acc.segment();
        for (int j = 0; j < d; j++) {
            as.setAtIndex(ValueLayout.JAVA_FLOAT, j, Fma.fma(format.value(payload.get(U16, 2L * j)), scale,
                    as.getAtIndex(ValueLayout.JAVA_FLOAT, j)));
        }
    }

    /** A stream of each value's sign and exponent bits (6 in fp16, 9 in bf16); the fraction bits verbatim. */
    @Override
    protected void tallyPayload(final Frame.Header header, final MemorySegment payload, final EmptyState state,
                                final SymbolTally tally) {
        final int fraction = Integer.numberOfTrailingZeros(format.exponentMask);
        final SymbolTally.Stream exponents = tally.stream(format.spec + " sign and exponent");
        final int d = state.dimension();
        for (int j = 0; j < d; j++) {
            exponents.add((payload.get(U16, 2L * j) & 0xFFFF) >>> fraction);
        }
        tally.verbatim((double) fraction * d);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof HalfEncoder other && other.format == format;
    }

    @Override
    public int hashCode() {
        return format.id;
    }
}
