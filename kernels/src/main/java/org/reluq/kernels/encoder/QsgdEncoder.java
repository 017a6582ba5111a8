package org.reluq.kernels.encoder;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.reluq.kernels.codec.MalformedFrameException;
import org.reluq.kernels.quant.QsgdParams;

/**
 * What the QSGD encoders ({@code qsgd}, encoder id 2) share: the parameters, which go in the header's
 * levels and bucket fields, the code byte that tells the payload formats apart, and per-thread scratch.
 */
abstract sealed class QsgdEncoder implements Encoder permits QsgdPackedEncoder, QsgdEliasEncoder {

    /** Encoder id in the frame. */
    static final int ID = 2;

    static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static final ThreadLocal<float[][]> NORMS = ThreadLocal.withInitial(() -> new float[1][]);
    private static final ThreadLocal<MemorySegment[]> CODES = ThreadLocal.withInitial(() -> new MemorySegment[1]);

    final QsgdParams params;
    /** The header's code byte. */
    final int code;
    /** The code's name in the spec. */
    private final String codeName;

    QsgdEncoder(final QsgdParams params, final int code, final String codeName) {
        this.params = params;
        this.code = code;
        this.codeName = codeName;
    }

    @Override
    public final int id() {
        return ID;
    }

    @Override
    public final double varianceFactor(final int d) {
        return params.varianceFactor(d);
    }

    @Override
    public final String spec() {
        return "qsgd:s=" + params.levels() + ",bucket=" + (params.bucket() == 0 ? "none" : params.bucket())
                + ",code=" + codeName;
    }

    @Override
    public final boolean equals(final Object o) {
        return o instanceof QsgdEncoder other && other.getClass() == getClass() && other.params.equals(params);
    }

    @Override
    public final int hashCode() {
        return params.hashCode() * 31 + code;
    }

    @Override
    public final String toString() {
        return spec();
    }

    /** This thread's norms buffer, at least {@code count} floats (grown, never shrunk). */
    static float[] norms(final int count) {
        final float[][] holder = NORMS.get();
        if (holder[0] == null || holder[0].length < count) {
            holder[0] = new float[Math.max(count, 16)];
        }
        return holder[0];
    }

    /** This thread's int32 code buffer, at least {@code count} codes (grown, never shrunk). */
    static MemorySegment codes(final int count) {
        final MemorySegment[] holder = CODES.get();
        if (holder[0] == null || holder[0].byteSize() < 4L * count) {
            holder[0] = Arena.ofAuto().allocate(4L * Math.max(count, 1024), 64);
        }
        return holder[0];
    }

    /** A decoded norm, rejecting negative and non-finite values as a malformed frame. */
    static float checkNorm(final float norm, final int bucket) {
        if (!(norm >= 0) || Float.isInfinite(norm)) {
            throw new MalformedFrameException("norm " + norm + " of bucket " + bucket
                    + " is not a finite non-negative float");
        }
        return norm;
    }
}
