package org.reluq.cluster;

import io.aeron.Publication;
import java.util.List;
import org.agrona.DirectBuffer;

/**
 * An allgather worker's sending side: one unicast publication per receiver (the master first, then the peers),
 * each message offered to each from the same buffer (zero copy, the bytes a multi-destination cast would put on
 * the wire). Each receiver paces its own publication, so a slow peer holds back only the frames meant for it
 * until its window fills.
 */
final class Fanout {

    private final List<Publication> publications;
    private final List<Outbox> outboxes;

    Fanout(final List<Publication> publications, final int sender, final long runId, final long blockedTimeoutNanos) {
        this.publications = List.copyOf(publications);
        this.outboxes = publications.stream().map(p -> new Outbox(p, sender, runId, blockedTimeoutNanos)).toList();
    }

    /** Sends the message to every receiver. */
    void send(final MessageType type, final long round, final DirectBuffer body, final int offset, final int length) {
        for (final Outbox outbox : outboxes) {
            outbox.send(type, round, body, offset, length);
        }
    }

    /** Sends the message to the master only. */
    void sendToMaster(final MessageType type, final long round, final DirectBuffer body, final int offset,
                      final int length) {
        outboxes.getFirst().send(type, round, body, offset, length);
    }

    /** Whether every receiver is connected. */
    boolean connected() {
        for (final Publication publication : publications) {
            if (!publication.isConnected()) {
                return false;
            }
        }
        return true;
    }
}
