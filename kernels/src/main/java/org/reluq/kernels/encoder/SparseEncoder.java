package org.reluq.kernels.encoder;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.reluq.kernels.codec.MalformedFrameException;

/**
 * What {@code topk} and {@code randk} share: k kept coordinates, which go in the header's levels field, and the
 * count a frame of dimension d carries, {@code min(k, d)}.
 *
 * @param <S> the state type
 */
abstract sealed class SparseEncoder<S extends FramedEncoder.State> extends FramedEncoder<S>
        permits TopKEncoder, RandKEncoder {

    static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** The largest k: a frame's dimension limit. */
    static final int MAX_K = Frame.MAX_DIMENSION;

    /** The k of the spec. */
    final int k;

    SparseEncoder(final Class<S> stateType, final int k, final String name) {
        super(stateType);
        if (k < 1 || k > MAX_K) {
            throw new IllegalArgumentException(name + " k=" + k + " is outside [1, " + MAX_K + "]");
        }
        this.k = k;
    }

    /** The coordinates a frame of dimension d keeps. */
    final int kept(final int d) {
        return Math.min(k, d);
    }

    @Override
    protected final int levelsField() {
        return k;
    }

    /** A kept value read from the payload: finite, or the frame is malformed. */
    static float value(final MemorySegment payload, final long at, final int i) {
        final float value = payload.get(FLOAT_LE, at);
        if (!Float.isFinite(value)) {
            throw new MalformedFrameException("kept value " + i + " is " + value + ", not finite");
        }
        return value;
    }

    @Override
    public final boolean equals(final Object o) {
        return o != null && o.getClass() == getClass() && ((SparseEncoder<?>) o).k == k;
    }

    @Override
    public final int hashCode() {
        return id() * 31 + k;
    }
}
