package org.reluq.cluster;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The body of a GRADIENT message: the loss term and timing of the share, a checksum of the w it was computed at,
 * the worker's carried encoder state when the round is a checkpoint round, and the encoder's frame.
 *
 * <pre>
 *  0  f64  sum of squared residuals of the share
 *  8  u64  nanoseconds the worker spent on the gradient
 * 16  u64  nanoseconds the worker spent encoding it
 * 24  u32  CRC32C of the w the gradient was computed at
 * 28  u32  flags: 1 the gradient was finite (else no frame: the run diverged), 2 state follows
 * 32  u32  state bytes
 * 36  u32  frame bytes
 * 40  the state's floats, then the frame
 * </pre>
 */
final class GradientBody {

    static final int FIXED_BYTES = 40;
    static final int FINITE = 1;
    static final int HAS_STATE = 2;

    private GradientBody() {
    }

    /** Writes the fixed fields; the state and the frame go at {@link #FIXED_BYTES} and after the state. */
    static void writeFixed(final MutableDirectBuffer dst, final double squares, final long computeNanos,
                           final long encodeNanos, final int weightsCrc, final int flags, final int stateBytes,
                           final int frameBytes) {
        dst.putDouble(0, squares, Message.LE);
        dst.putLong(8, computeNanos, Message.LE);
        dst.putLong(16, encodeNanos, Message.LE);
        dst.putInt(24, weightsCrc, Message.LE);
        dst.putInt(28, flags, Message.LE);
        dst.putInt(32, stateBytes, Message.LE);
        dst.putInt(36, frameBytes, Message.LE);
    }

    /**
     * A received body's fields, checked against its length and the expected state size.
     *
     * @param squares      sum of squared residuals
     * @param computeNanos worker's gradient time
     * @param encodeNanos  worker's encoding time
     * @param weightsCrc   checksum of the worker's w
     * @param finite       whether the gradient was finite
     * @param hasState     whether state follows
     * @param stateBytes   bytes of state
     * @param frameBytes   bytes of the frame
     */
    record Fields(double squares, long computeNanos, long encodeNanos, int weightsCrc, boolean finite,
                  boolean hasState, int stateBytes, int frameBytes) {

        /** Where the frame starts in the body. */
        int frameOffset() {
            return FIXED_BYTES + stateBytes;
        }
    }

    /**
     * Reads and checks the fixed fields of {@code src[offset, offset + length)}.
     *
     * @param carriedBytes the state size this run's encoder carries
     * @throws IllegalArgumentException naming the inconsistent field
     */
    static Fields read(final DirectBuffer src, final int offset, final int length, final int carriedBytes) {
        if (length < FIXED_BYTES) {
            throw new IllegalArgumentException("gradient body of " + length + " bytes is shorter than "
                    + FIXED_BYTES);
        }
        final int flags = src.getInt(offset + 28, Message.LE);
        final int stateBytes = src.getInt(offset + 32, Message.LE);
        final int frameBytes = src.getInt(offset + 36, Message.LE);
        final boolean finite = (flags & FINITE) != 0;
        final boolean hasState = (flags & HAS_STATE) != 0;
        if ((flags & ~(FINITE | HAS_STATE)) != 0) {
            throw new IllegalArgumentException("gradient body has unknown flags 0x" + Integer.toHexString(flags));
        }
        if (stateBytes != (hasState ? carriedBytes : 0)) {
            throw new IllegalArgumentException("gradient body carries " + stateBytes + " bytes of state, expected "
                    + (hasState ? carriedBytes : 0));
        }
        if (frameBytes < 0 || (long) FIXED_BYTES + stateBytes + frameBytes != length || (!finite && frameBytes != 0)) {
            throw new IllegalArgumentException("gradient body of " + length + " bytes does not hold its " + stateBytes
                    + " bytes of state and " + frameBytes + " bytes of frame");
        }
        final long computeNanos = src.getLong(offset + 8, Message.LE);
        final long encodeNanos = src.getLong(offset + 16, Message.LE);
        if (computeNanos < 0 || encodeNanos < 0) {
            throw new IllegalArgumentException("gradient body has negative times " + computeNanos + " and "
                    + encodeNanos + " ns");
        }
        return new Fields(src.getDouble(offset, Message.LE), computeNanos, encodeNanos,
                src.getInt(offset + 24, Message.LE), finite, hasState, stateBytes, frameBytes);
    }
}
