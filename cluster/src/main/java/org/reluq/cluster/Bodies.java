package org.reluq.cluster;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.reluq.kernels.encoder.BufferSegments;
import org.reluq.kernels.memory.OffHeapVector;

/** Reading and writing the fields of message bodies: floats of vectors, short strings, checksums. */
final class Bodies {

    private static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED
            .withOrder(ByteOrder.LITTLE_ENDIAN);

    /** The longest string a body carries (host names, endpoints). */
    static final int MAX_STRING_BYTES = 255;

    private Bodies() {
    }

    /** Copies v's floats to {@code dst[offset ..]}; returns the bytes written. */
    static int putVector(final MutableDirectBuffer dst, final int offset, final OffHeapVector v) {
        final long bytes = (long) v.length() * Float.BYTES;
        MemorySegment.copy(v.segment(), 0, BufferSegments.of(dst), offset, bytes);
        return (int) bytes;
    }

    /** Copies {@code v.length()} floats from {@code src[offset ..]} into v. */
    static void getVector(final DirectBuffer src, final int offset, final OffHeapVector v) {
        MemorySegment.copy(BufferSegments.of(src), offset, v.segment(), 0, (long) v.length() * Float.BYTES);
    }

    /** Writes the floats little-endian at {@code dst[offset ..]}. */
    static void putFloats(final MutableDirectBuffer dst, final int offset, final float[] values) {
        MemorySegment.copy(values, 0, BufferSegments.of(dst), FLOAT_LE, offset, values.length);
    }

    /** Reads {@code values.length} little-endian floats from {@code src[offset ..]}. */
    static void getFloats(final DirectBuffer src, final int offset, final float[] values) {
        MemorySegment.copy(BufferSegments.of(src), FLOAT_LE, offset, values, 0, values.length);
    }

    /** The CRC32C of {@code src[offset, offset + length)}. */
    static int checksum(final DirectBuffer src, final int offset, final int length) {
        final CRC32C crc = new CRC32C();
        crc.update(BufferSegments.of(src).asSlice(offset, length).asByteBuffer());
        return (int) crc.getValue();
    }

    /** The CRC32C of v's floats: a cheap check that two processes hold the same bits. */
    static int checksum(final OffHeapVector v) {
        final CRC32C crc = new CRC32C();
        crc.update(v.segment().asByteBuffer());
        return (int) crc.getValue();
    }

    /** Writes a u8 length and the UTF-8 bytes; returns the bytes written. */
    static int putString(final MutableDirectBuffer dst, final int offset, final String value) {
        final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_STRING_BYTES) {
            throw new IllegalArgumentException("'" + value + "' is longer than " + MAX_STRING_BYTES + " bytes");
        }
        dst.putByte(offset, (byte) bytes.length);
        dst.putBytes(offset + 1, bytes);
        return 1 + bytes.length;
    }

    /** Reads a string written by {@link #putString}, checking it lies within {@code limit}. */
    static String getString(final DirectBuffer src, final int offset, final int limit) {
        if (offset >= limit) {
            throw new IllegalArgumentException("string field lies past the end of its body");
        }
        final int length = src.getByte(offset) & 0xFF;
        if (offset + 1 + length > limit) {
            throw new IllegalArgumentException("string of " + length + " bytes runs past the end of its body");
        }
        final byte[] bytes = new byte[length];
        src.getBytes(offset + 1, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
