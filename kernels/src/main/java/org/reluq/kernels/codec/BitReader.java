package org.reluq.kernels.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * Reads a most-significant-bit-first bit stream (as {@link BitWriter} writes it) from a region of a
 * {@link MemorySegment}, never past the region: asking for bits beyond its end throws
 * {@link MalformedFrameException}, so a truncated or forged stream cannot make a decoder read out of
 * bounds. Not thread-safe; reusable through {@link #reset}.
 */
public final class BitReader {

    private static final ValueLayout.OfLong BIG_ENDIAN_LONG =
            ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private MemorySegment segment;
    private long start;
    private long bitLimit;
    private long position;

    /** An empty reader; {@code reset} points it at bits to read. */
    public BitReader() {
        // nothing to set up until first use
    }

    /** Reads {@code length} bytes of {@code segment} from byte {@code offset}. */
    public BitReader reset(final MemorySegment segment, final long offset, final long length) {
        Regions.require(segment, offset, length, "bit reader");
        this.segment = segment;
        this.start = offset;
        this.bitLimit = 8 * length;
        this.position = 0;
        return this;
    }

    /** Bits left to read. */
    public long remaining() {
        return bitLimit - position;
    }

    /** Bits read so far. */
    public long position() {
        return position;
    }

    /**
     * The next 57 bits without consuming them, left-aligned in a long (bit 63 is the next bit); bits past
     * the end of the region read as 0.
     */
    public long peek() {
        final long byteIndex = position >>> 3;
        final long available = (bitLimit >>> 3) - byteIndex;
        long window;
        if (available >= 8) {
            window = segment.get(BIG_ENDIAN_LONG, start + byteIndex);
        } else {
            window = 0;
            for (int i = 0; i < available; i++) {
                window |= (segment.get(ValueLayout.JAVA_BYTE, start + byteIndex + i) & 0xFFL) << (56 - 8 * i);
            }
        }
        return window << (position & 7);
    }

    /** Consumes {@code count} bits (after a {@link #peek}); throws if the stream has fewer. */
    public void skip(final int count) {
        if (count > remaining()) {
            throw new MalformedFrameException("bit stream ends after " + bitLimit + " bits, needed "
                    + (position + count));
        }
        position += count;
    }

    /** The next {@code count} bits (0 to 57) as an unsigned number. */
    public long read(final int count) {
        if (count == 0) {
            return 0;
        }
        final long bits = peek() >>> (64 - count);
        skip(count);
        return bits;
    }

    /** The next 32 bits as an int. */
    public int readInt() {
        return (int) read(32);
    }
}
