package org.reluq.cluster;

import io.aeron.Publication;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Sends cluster messages on one Aeron publication as chunks of at most {@link #MAX_CHUNK_BYTES} (Aeron takes one
 * message of at most an eighth of its term), each behind its own {@link Message} header; the body is offered from
 * where it lies (Aeron's two-buffer offer), so nothing is copied. One thread per outbox; several outboxes (a
 * heartbeat thread's, say) may share a publication, which Aeron makes safe.
 */
final class Outbox {

    /** The largest chunk body: 1 MiB, well under the 2 MiB message limit of the default 16 MiB term. */
    static final int MAX_CHUNK_BYTES = 1 << 20;

    private final Publication publication;
    private final int sender;
    private final UnsafeBuffer header = new UnsafeBuffer(new byte[Message.HEADER_BYTES]);
    private final int chunkBytes;
    private final IdleStrategy idle = Pacing.newIdleStrategy();
    private final long blockedTimeoutNanos;
    private long runId;

    /**
     * @param sender              this process's sender field: a worker index or {@link Message#MASTER}
     * @param blockedTimeoutNanos how long one chunk may wait for room (back pressure, no receiver) before the send
     *                            fails
     */
    Outbox(final Publication publication, final int sender, final long runId, final long blockedTimeoutNanos) {
        this.publication = publication;
        this.sender = sender;
        this.runId = runId;
        this.chunkBytes = Math.min(MAX_CHUNK_BYTES, publication.maxMessageLength() - Message.HEADER_BYTES);
        this.blockedTimeoutNanos = blockedTimeoutNanos;
    }

    /** Stamps later messages with this run id. */
    void runId(final long id) {
        this.runId = id;
    }

    /**
     * Sends {@code body[offset, offset + length)} as one message, waiting for room as long as the blocked timeout.
     *
     * @throws ClusterFailure if a chunk found no room in time or the publication was closed
     */
    void send(final MessageType type, final long round, final DirectBuffer body, final int offset, final int length) {
        final int count = Math.max(1, (length + chunkBytes - 1) / chunkBytes);
        for (int chunk = 0; chunk < count; chunk++) {
            final int at = chunk * chunkBytes;
            final int bytes = Math.min(chunkBytes, length - at);
            stamp(type, round, chunk, count, length, body, offset + at, bytes);
            final long start = System.nanoTime();
            idle.reset();
            while (!offer(body, offset + at, bytes)) {
                if (System.nanoTime() - start > blockedTimeoutNanos) {
                    throw new ClusterFailure(String.format("cannot send %s of round %d: %s for %.1f s (%s)", type,
                            round, publication.isConnected() ? "back-pressured" : "no receiver connected",
                            blockedTimeoutNanos / 1e9, publication.channel()), ClusterFailure.PEER_LOST);
                }
                idle.idle();
            }
        }
    }

    /** Sends an empty message once if there is room now; returns whether it went. */
    boolean trySend(final MessageType type, final long round) {
        return trySend(type, round, header, 0, 0);
    }

    /** Sends a body of at most one chunk once if there is room now; returns whether it went. */
    boolean trySend(final MessageType type, final long round, final DirectBuffer body, final int offset,
                    final int length) {
        if (length > chunkBytes) {
            throw new IllegalArgumentException("a body of " + length + " bytes needs more than one chunk");
        }
        stamp(type, round, 0, 1, length, body, offset, length);
        return offer(body, offset, length);
    }

    private void stamp(final MessageType type, final long round, final int chunk, final int count, final int total,
                       final DirectBuffer body, final int bodyOffset, final int bodyBytes) {
        Message.writeHeader(header, type, sender, runId, round, chunk, count, total, bodyBytes);
        header.putInt(Message.CRC_OFFSET, Message.crc(header, 0, body, bodyOffset, bodyBytes), Message.LE);
    }

    private boolean offer(final DirectBuffer body, final int offset, final int bytes) {
        final long result = bytes == 0 ? publication.offer(header, 0, Message.HEADER_BYTES)
                : publication.offer(header, 0, Message.HEADER_BYTES, body, offset, bytes);
        if (result > 0) {
            return true;
        }
        if (result == Publication.CLOSED || result == Publication.MAX_POSITION_EXCEEDED) {
            throw new ClusterFailure("publication " + publication.channel() + " is closed", ClusterFailure.PEER_LOST);
        }
        return false;
    }
}
