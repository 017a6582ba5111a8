package org.reluq.kernels.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Writes a bit stream into a region of a {@link MemorySegment}, most significant bit first: the first bit
 * is bit 7 of the first byte. Bits collect in a 64-bit register and go to memory a byte at a time. Not
 * thread-safe; reusable through {@link #reset}.
 */
public final class BitWriter {

    private MemorySegment segment;
    private long start;
    private long limit;
    private long at;
    private long register;
    private int pending;

    /** An empty writer; {@code reset} points it at memory to write. */
    public BitWriter() {
        // nothing to set up until first use
    }

    /** Writes into {@code segment} from byte {@code offset} up to byte {@code offset + capacity}. */
    public BitWriter reset(final MemorySegment segment, final long offset, final long capacity) {
        Regions.require(segment, offset, capacity, "bit writer");
        this.segment = segment;
        this.start = offset;
        this.limit = offset + capacity;
        this.at = offset;
        this.register = 0;
        this.pending = 0;
        return this;
    }

    /**
     * Appends the low {@code count} bits of {@code bits}, most significant first.
     *
     * @param count 0 to 57
     * @throws IllegalStateException if the region is full
     */
    public void write(final long bits, final int count) {
        if (count == 0) {
            return;
        }
        register = register << count | bits & (-1L >>> (64 - count));
        pending += count;
        while (pending >= 8) {
            pending -= 8;
            put((byte) (register >>> pending));
        }
    }

    /** Appends the 32 bits of {@code value}, most significant first. */
    public void writeInt(final int value) {
        write(value >>> 16, 16);
        write(value & 0xFFFF, 16);
    }

    private void put(final byte b) {
        if (at >= limit) {
            throw new IllegalStateException("bit stream overflows its " + (limit - start) + " bytes");
        }
        segment.set(ValueLayout.JAVA_BYTE, at++, b);
    }

    /** Writes the last partial byte (zero bits after the stream) and returns the bytes written. */
    public long finish() {
        if (pending > 0) {
            put((byte) (register << (8 - pending)));
            pending = 0;
        }
        return at - start;
    }

    /** Bits written so far. */
    public long bitsWritten() {
        return 8 * (at - start) + pending;
    }
}
