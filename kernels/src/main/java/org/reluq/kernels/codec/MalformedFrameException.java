package org.reluq.kernels.codec;

/**
 * An encoded gradient that cannot be decoded: truncated, corrupted, forged, or made for another
 * dimension, encoder or format version. The message names the field and the value at fault. Decoders
 * throw it before writing anything outside their outputs, and never read outside the frame.
 */
public final class MalformedFrameException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A frame rejected for the given reason. */
    public MalformedFrameException(final String message) {
        super(message);
    }
}
