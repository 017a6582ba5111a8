package org.reluq.kernels.encoder;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.reluq.kernels.codec.MalformedFrameException;

/**
 * The frame around every encoded gradient (docs/wire-format.md has the byte-level specification). All
 * fields are little-endian:
 *
 * <pre>
 *  0  u32  magic 0x47514C52 ("RLQG" in byte order)
 *  4  u8   format version (1)
 *  5  u8   encoder id
 *  6  u16  header bytes (48)
 *  8  u32  dimension d, 1 .. 2^28
 * 12  u32  levels s (0 if the encoder has none)
 * 16  u32  bucket size (0: whole vector)
 * 20  u8   code (encoder specific, 0 if none)
 * 21  u8[3] reserved, zero
 * 24  u64  seed
 * 32  u64  random stream
 * 40  u32  payload bytes
 * 44  u32  CRC32C of bytes 0..43 and of the payload
 * 48       payload
 * </pre>
 */
public final class Frame {

    /** The first four bytes, "RLQG". */
    public static final int MAGIC = 0x47514C52;
    /** The format version this code writes and reads. */
    public static final int VERSION = 1;
    /** Bytes before the payload. */
    public static final int HEADER_BYTES = 48;
    /** The largest dimension a frame may declare (a float32 payload stays below 2^31 bytes). */
    public static final int MAX_DIMENSION = 1 << 28;

    static final int VERSION_OFFSET = 4;
    static final int ENCODER_OFFSET = 5;
    static final int HEADER_BYTES_OFFSET = 6;
    static final int DIMENSION_OFFSET = 8;
    static final int LEVELS_OFFSET = 12;
    static final int BUCKET_OFFSET = 16;
    static final int CODE_OFFSET = 20;
    static final int SEED_OFFSET = 24;
    static final int STREAM_OFFSET = 32;
    static final int PAYLOAD_BYTES_OFFSET = 40;
    static final int CRC_OFFSET = 44;

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /** The header fields of a frame. */
    public record Header(int encoderId, int dimension, int levels, int bucket, int code, long seed, long stream,
                         int payloadBytes) {
    }

    private Frame() {
    }

    /** Writes the header (without the CRC) at {@code offset}. */
    static void writeHeader(final MutableDirectBuffer dst, final int offset, final Header h) {
        dst.putInt(offset, MAGIC, LE);
        dst.putByte(offset + VERSION_OFFSET, (byte) VERSION);
        dst.putByte(offset + ENCODER_OFFSET, (byte) h.encoderId());
        dst.putShort(offset + HEADER_BYTES_OFFSET, (short) HEADER_BYTES, LE);
        dst.putInt(offset + DIMENSION_OFFSET, h.dimension(), LE);
        dst.putInt(offset + LEVELS_OFFSET, h.levels(), LE);
        dst.putInt(offset + BUCKET_OFFSET, h.bucket(), LE);
        dst.putByte(offset + CODE_OFFSET, (byte) h.code());
        dst.putByte(offset + CODE_OFFSET + 1, (byte) 0);
        dst.putShort(offset + CODE_OFFSET + 2, (short) 0, LE);
        dst.putLong(offset + SEED_OFFSET, h.seed(), LE);
        dst.putLong(offset + STREAM_OFFSET, h.stream(), LE);
        dst.putInt(offset + PAYLOAD_BYTES_OFFSET, h.payloadBytes(), LE);
    }

    /** Writes the CRC32C of a frame whose header and payload are in place; returns the frame's length. */
    static int seal(final MutableDirectBuffer dst, final int offset, final int payloadBytes) {
        dst.putInt(offset + CRC_OFFSET, crc(BufferSegments.of(dst), offset, payloadBytes), LE);
        return HEADER_BYTES + payloadBytes;
    }

    private static int crc(final MemorySegment frame, final int offset, final int payloadBytes) {
        final CRC32C crc = new CRC32C();
        crc.update(frame.asSlice(offset, CRC_OFFSET).asByteBuffer());
        crc.update(frame.asSlice(offset + HEADER_BYTES, payloadBytes).asByteBuffer());
        return (int) crc.getValue();
    }

    /**
     * Reads and checks the header of the frame at {@code src[offset, offset + length)}: the fields as
     * {@link #readHeader}, that the payload fills exactly the rest, and the CRC.
     *
     * @throws MalformedFrameException naming the first field at fault
     */
    public static Header read(final DirectBuffer src, final int offset, final int length) {
        if (offset < 0 || length < 0 || offset > src.capacity() - length) {
            throw new MalformedFrameException("frame of " + length + " bytes at offset " + offset
                    + " lies outside a buffer of " + src.capacity());
        }
        if (length < HEADER_BYTES) {
            throw new MalformedFrameException("frame of " + length + " bytes is shorter than its " + HEADER_BYTES
                    + "-byte header");
        }
        final Header header = readHeader(src, offset);
        if (header.payloadBytes() != length - HEADER_BYTES) {
            throw new MalformedFrameException("payload length " + Integer.toUnsignedString(header.payloadBytes())
                    + " disagrees with the frame's " + length + " bytes (header " + HEADER_BYTES + ")");
        }
        final int stored = src.getInt(offset + CRC_OFFSET, LE);
        final int computed = crc(BufferSegments.of(src), offset, header.payloadBytes());
        if (stored != computed) {
            throw new MalformedFrameException(String.format("CRC32C mismatch: frame says 0x%08X, content gives 0x%08X",
                    stored, computed));
        }
        return header;
    }

    /**
     * Reads the header at {@code src[offset, offset + 48)} and checks what it can say alone: magic, version, header
     * size, reserved bytes and the dimension's range (not the payload or the CRC, which {@link #read} checks).
     *
     * @throws MalformedFrameException naming the first field at fault, or if the buffer ends within the header
     */
    public static Header readHeader(final DirectBuffer src, final int offset) {
        if (offset < 0 || offset > src.capacity() - HEADER_BYTES) {
            throw new MalformedFrameException("a " + HEADER_BYTES + "-byte header at offset " + offset
                    + " lies outside a buffer of " + src.capacity());
        }
        final int magic = src.getInt(offset, LE);
        if (magic != MAGIC) {
            throw new MalformedFrameException(String.format("bad magic 0x%08X (expected 0x%08X, \"RLQG\")", magic,
                    MAGIC));
        }
        final int version = src.getByte(offset + VERSION_OFFSET) & 0xFF;
        if (version != VERSION) {
            throw new MalformedFrameException("format version " + version + " is not supported (this reads "
                    + VERSION + ")");
        }
        final int headerBytes = src.getShort(offset + HEADER_BYTES_OFFSET, LE) & 0xFFFF;
        if (headerBytes != HEADER_BYTES) {
            throw new MalformedFrameException("header size " + headerBytes + " is not " + HEADER_BYTES);
        }
        if (src.getByte(offset + CODE_OFFSET + 1) != 0 || src.getShort(offset + CODE_OFFSET + 2, LE) != 0) {
            throw new MalformedFrameException("reserved header bytes 21..23 are not zero");
        }
        final int dimension = src.getInt(offset + DIMENSION_OFFSET, LE);
        if (dimension < 1 || dimension > MAX_DIMENSION) {
            throw new MalformedFrameException("dimension " + Integer.toUnsignedString(dimension)
                    + " is outside [1, " + MAX_DIMENSION + "]");
        }
        return new Header(src.getByte(offset + ENCODER_OFFSET) & 0xFF, dimension, src.getInt(offset + LEVELS_OFFSET, LE),
                src.getInt(offset + BUCKET_OFFSET, LE), src.getByte(offset + CODE_OFFSET) & 0xFF,
                src.getLong(offset + SEED_OFFSET, LE), src.getLong(offset + STREAM_OFFSET, LE),
                src.getInt(offset + PAYLOAD_BYTES_OFFSET, LE));
    }

    /**
     * Checks that a header read by {@link #read} is this encoder's with these parameters, for dimension d.
     *
     * @throws MalformedFrameException naming the field that differs
     */
    static void expect(final Header h, final int encoderId, final int levels, final int bucket, final int code,
                       final int dimension) {
        if (h.encoderId() != encoderId) {
            throw new MalformedFrameException("frame of encoder " + h.encoderId() + " given to encoder " + encoderId);
        }
        if (h.dimension() != dimension) {
            throw new MalformedFrameException("frame of dimension " + h.dimension() + " given for dimension " + dimension);
        }
        if (h.levels() != levels || h.bucket() != bucket || h.code() != code) {
            throw new MalformedFrameException("frame parameters (s=" + Integer.toUnsignedString(h.levels())
                    + ", bucket=" + Integer.toUnsignedString(h.bucket()) + ", code=" + h.code()
                    + ") differ from this encoder's (s=" + levels + ", bucket=" + bucket + ", code=" + code + ")");
        }
    }

    /** Checks that dst has {@code bytes} bytes from offset; names the shortfall. */
    static void requireCapacity(final MutableDirectBuffer dst, final int offset, final long bytes) {
        if (offset < 0 || offset > dst.capacity() || dst.capacity() - offset < bytes) {
            throw new IllegalArgumentException("frame needs up to " + bytes + " bytes at offset " + offset
                    + ", the buffer has " + dst.capacity());
        }
    }

    /** Checks that a vector to encode is not longer than a frame allows. */
    static int requireDimension(final int d) {
        if (d > MAX_DIMENSION) {
            throw new IllegalArgumentException("dimension " + d + " exceeds the frame limit " + MAX_DIMENSION);
        }
        return d;
    }
}
