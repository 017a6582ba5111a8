package org.reluq.cluster;

import java.nio.ByteOrder;
import java.util.zip.CRC32C;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.reluq.kernels.encoder.BufferSegments;

/**
 * The cluster message header (docs/cluster-protocol.md): 48 little-endian bytes before each chunk of a body.
 *
 * <pre>
 *  0  u32  magic 0x43514C52 ("RLQC")
 *  4  u8   version (1)
 *  5  u8   type ({@link MessageType} ordinal)
 *  6  u16  sender: worker index, or 0xFFFF the master, 0xFFFE a worker not yet assigned
 *  8  u64  run id (0 in HELLO)
 * 16  u64  round
 * 24  u32  chunk index
 * 28  u32  chunk count
 * 32  u32  the whole body's length
 * 36  u32  this chunk's body length
 * 40  u32  CRC32C of bytes 0..39 and of this chunk's body
 * 44  u32  reserved, 0
 * </pre>
 */
final class Message {

    static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    static final int MAGIC = 0x43514C52;
    static final int VERSION = 2;
    static final int HEADER_BYTES = 48;
    static final int MASTER = 0xFFFF;
    static final int UNASSIGNED = 0xFFFE;

    static final int VERSION_OFFSET = 4;
    static final int TYPE_OFFSET = 5;
    static final int SENDER_OFFSET = 6;
    static final int RUN_OFFSET = 8;
    static final int ROUND_OFFSET = 16;
    static final int CHUNK_INDEX_OFFSET = 24;
    static final int CHUNK_COUNT_OFFSET = 28;
    static final int TOTAL_OFFSET = 32;
    static final int BODY_OFFSET = 36;
    static final int CRC_OFFSET = 40;
    static final int RESERVED_OFFSET = 44;

    private Message() {
    }

    /** Writes a header without its CRC (see {@link #crc}). */
    static void writeHeader(final MutableDirectBuffer dst, final MessageType type, final int sender, final long runId,
                            final long round, final int chunkIndex, final int chunkCount, final int totalBytes,
                            final int bodyBytes) {
        dst.putInt(0, MAGIC, LE);
        dst.putByte(VERSION_OFFSET, (byte) VERSION);
        dst.putByte(TYPE_OFFSET, (byte) type.ordinal());
        dst.putShort(SENDER_OFFSET, (short) sender, LE);
        dst.putLong(RUN_OFFSET, runId, LE);
        dst.putLong(ROUND_OFFSET, round, LE);
        dst.putInt(CHUNK_INDEX_OFFSET, chunkIndex, LE);
        dst.putInt(CHUNK_COUNT_OFFSET, chunkCount, LE);
        dst.putInt(TOTAL_OFFSET, totalBytes, LE);
        dst.putInt(BODY_OFFSET, bodyBytes, LE);
        dst.putInt(CRC_OFFSET, 0, LE);
        dst.putInt(RESERVED_OFFSET, 0, LE);
    }

    /** The CRC32C of the header at {@code header[headerOffset ..]} (bytes 0..39) and of the body chunk. */
    static int crc(final DirectBuffer header, final int headerOffset, final DirectBuffer body, final int bodyOffset,
                   final int bodyBytes) {
        final CRC32C crc = new CRC32C();
        crc.update(BufferSegments.of(header).asSlice(headerOffset, CRC_OFFSET).asByteBuffer());
        if (bodyBytes > 0) {
            crc.update(BufferSegments.of(body).asSlice(bodyOffset, bodyBytes).asByteBuffer());
        }
        return (int) crc.getValue();
    }
}
