package org.reluq.cluster;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The body of a GRADIENT message: the loss term and timing of the share, a checksum of the w it was computed at,
 * the worker's carried encoder state when the round is a checkpoint round, and the encoder's frame.
 *
 * <pre>
 *  0  f64  sum of squared residuals of the share
 *  8  u64  nanoseconds the worker spent computing and encoding
 * 16  u32  CRC32C of the w the gradient was computed at
 * 20  u32  flags: 1 the gradient was finite (else no frame: the run diverged), 2 state follows
 * 24  u32  state bytes
 * 28  u32  frame bytes
 * 32  the state's floats, then the frame
 * </pre>
 */
final class GradientBody {

    static final int FIXED_BYTES = 32;
    static final int FINITE = 1;
    static final int HAS_STATE = 2;

    private GradientBody() {
    }

    /** Writes the fixed fields; the state and the frame go at {@link #FIXED_BYTES} and after the state. */
    static void writeFixed(final MutableDirectBuffer dst, final double squares, final long workNanos,
                           final int weightsCrc, final int flags, final int stateBytes, final int frameBytes) {
        dst.putDouble(0, squares, Message.LE);
        dst.putLong(8, workNanos, Message.LE);
        dst.putInt(16, weightsCrc, Message.LE);
        dst.putInt(20, flags, Message.LE);
        dst.putInt(24, stateBytes, Message.LE);
        dst.putInt(28, frameBytes, Message.LE);
    }

    /**
     * A received body's fields, checked against its length and the expected state size.
     *
     * @param squares    sum of squared residuals
     * @param workNanos  worker's compute and encode time
     * @param weightsCrc checksum of the worker's w
     * @param finite     whether the gradient was finite
     * @param hasState   whether state follows
     * @param stateBytes bytes of state
     * @param frameBytes bytes of the frame
     */
    record Fields(double squares, long workNanos, int weightsCrc, boolean finite, boolean hasState, int stateBytes,
                  int frameBytes) {

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
        final int flags = src.getInt(offset + 20, Message.LE);
        final int stateBytes = src.getInt(offset + 24, Message.LE);
        final int frameBytes = src.getInt(offset + 28, Message.LE);
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
        return new Fields(src.getDouble(offset, Message.LE), src.getLong(offset + 8, Message.LE),
                src.getInt(offset + 16, Message.LE), finite, hasState, stateBytes, frameBytes);
    }
}
