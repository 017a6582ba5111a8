package org.reluq.cluster;

import io.aeron.ControlledFragmentAssembler;
import io.aeron.Subscription;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.Header;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Receives cluster messages from one Aeron subscription, treating every one as untrusted: checks the header (magic,
 * version, type, lengths, CRC32C, run id, sender), asks the {@link Receiver} whether to take it now, reassembles
 * chunked bodies per sender and hands over whole bodies. Anything that fails a check is dropped and counted in
 * {@link #rejections()}, never delivered. One thread polls; the body buffer of a sender is reused by its next
 * message, so a receiver that keeps a body answers {@link Admission#HOLD} for that sender until it is done with it.
 * Bodies are delivered at offset 0 of that buffer. Empty messages (heartbeats, sent by another thread and so possibly
 * between two chunks of a body) are delivered without disturbing a body being assembled.
 */
final class Inbox implements AutoCloseable {

    /** Decides about, and takes, whole messages. */
    interface Receiver {

        /**
         * Called for each message (for a chunked one, at its first chunk) whose header checked out; a held
         * message is offered again, so this may see it more than once.
         */
        Admission admit(MessageType type, int sender, long round, int totalBytes);

        /** A whole body, valid until this sender's next message is taken. */
        void onMessage(MessageType type, int sender, long round, DirectBuffer body, int offset, int length);
    }

    /** The part of a chunked message received so far from one sender. */
    private static final class Assembly {
        final UnsafeBuffer buffer;
        MessageType type;
        long round;
        int chunkCount;
        int nextChunk;
        int total;
        int filled;

        Assembly(final UnsafeBuffer buffer) {
            this.buffer = buffer;
        }

        boolean active() {
            return type != null;
        }

        void reset() {
            type = null;
        }
    }

    private final Subscription subscription;
    private final Receiver receiver;
    private final Rejections rejections = new Rejections();
    private final ControlledFragmentAssembler assembler = new ControlledFragmentAssembler(this::onFragment);
    private final UnsafeBuffer header = new UnsafeBuffer(new byte[Message.HEADER_BYTES]);
    private final Arena arena = Arena.ofShared();
    private Assembly[] assemblies;
    private long runId;
    private int workers;
    private int maxBodyBytes;

    /**
     * @param runId        this run's id, or 0 before it is known (then only the id 0 of a HELLO or any id of a
     *                     WELCOME passes; see {@link #expect})
     * @param workers      K, or 0 before it is known (then only the master and unassigned senders pass)
     * @param maxBodyBytes the largest whole body taken
     */
    Inbox(final Subscription subscription, final Receiver receiver, final long runId, final int workers,
          final int maxBodyBytes) {
        this.subscription = subscription;
        this.receiver = receiver;
        expect(runId, workers, maxBodyBytes);
    }

    /**
     * Sets the run id, K and the largest body once they are known; bodies' buffers are made anew as senders first
     * send (the old ones stay allocated until {@link #close}: this happens once a run).
     */
    void expect(final long runId, final int workers, final int maxBodyBytes) {
        this.runId = runId;
        this.workers = workers;
        this.maxBodyBytes = maxBodyBytes;
        this.assemblies = new Assembly[workers + 2];
    }

    /** Polls up to {@code limit} fragments; returns how many were consumed. */
    int poll(final int limit) {
        return subscription.controlledPoll(assembler, limit);
    }

    /** What was dropped, by reason. */
    Rejections rejections() {
        return rejections;
    }

    private ControlledFragmentHandler.Action onFragment(final DirectBuffer buffer, final int offset, final int length,
                                                        final Header aeronHeader) {
        if (length < Message.HEADER_BYTES || buffer.getInt(offset, Message.LE) != Message.MAGIC
                || (buffer.getByte(offset + Message.VERSION_OFFSET) & 0xFF) != Message.VERSION
                || buffer.getInt(offset + Message.RESERVED_OFFSET, Message.LE) != 0) {
            return reject(Rejection.MALFORMED);
        }
        final MessageType type = MessageType.of(buffer.getByte(offset + Message.TYPE_OFFSET) & 0xFF);
        final int bodyBytes = buffer.getInt(offset + Message.BODY_OFFSET, Message.LE);
        final int chunkIndex = buffer.getInt(offset + Message.CHUNK_INDEX_OFFSET, Message.LE);
        final int chunkCount = buffer.getInt(offset + Message.CHUNK_COUNT_OFFSET, Message.LE);
        final int total = buffer.getInt(offset + Message.TOTAL_OFFSET, Message.LE);
        if (type == null || bodyBytes != length - Message.HEADER_BYTES || chunkCount < 1 || chunkIndex < 0
                || chunkIndex >= chunkCount || total < bodyBytes || total > maxBodyBytes) {
            return reject(Rejection.MALFORMED);
        }
        header.putBytes(0, buffer, offset, Message.HEADER_BYTES);
        if (Message.crc(header, 0, buffer, offset + Message.HEADER_BYTES, bodyBytes)
                != buffer.getInt(offset + Message.CRC_OFFSET, Message.LE)) {
            return reject(Rejection.CRC);
        }
        final long messageRun = buffer.getLong(offset + Message.RUN_OFFSET, Message.LE);
        final boolean joining = (type == MessageType.HELLO && messageRun == 0)
                || (type == MessageType.WELCOME && runId == 0);
        if (!joining && messageRun != runId) {
            return reject(Rejection.FOREIGN_RUN);
        }
        final int sender = buffer.getShort(offset + Message.SENDER_OFFSET, Message.LE) & 0xFFFF;
        final int slot = sender == Message.MASTER ? workers : sender == Message.UNASSIGNED ? workers + 1 : sender;
        if (slot >= workers && sender != Message.MASTER && sender != Message.UNASSIGNED) {
            return reject(Rejection.BAD_SENDER);
        }
        final long round = buffer.getLong(offset + Message.ROUND_OFFSET, Message.LE);
        final Assembly assembly = assembly(slot);
        final int bodyOffset = offset + Message.HEADER_BYTES;
        if (chunkIndex > 0) {
            if (!assembly.active() || assembly.type != type || assembly.round != round
                    || assembly.chunkCount != chunkCount || assembly.nextChunk != chunkIndex || assembly.total != total
                    || assembly.filled + bodyBytes > total) {
                assembly.reset();
                return reject(Rejection.OUT_OF_ORDER);
            }
            return append(assembly, sender, buffer, bodyOffset, bodyBytes);
        }
        final Admission admission = receiver.admit(type, sender, round, total);
        if (total == 0 && admission == Admission.TAKE) {
            // an empty message (a heartbeat thread's, between the chunks of a body) leaves any assembly alone
            if (chunkCount != 1) {
                return reject(Rejection.MALFORMED);
            }
            receiver.onMessage(type, sender, round, assembly.buffer, 0, 0);
            return ControlledFragmentHandler.Action.CONTINUE;
        }
        switch (admission) {
            case HOLD:
                return ControlledFragmentHandler.Action.ABORT;
            case IGNORE:
                return ControlledFragmentHandler.Action.CONTINUE;
            case STALE:
                return reject(Rejection.STALE_ROUND);
            case UNEXPECTED:
                return reject(Rejection.BAD_SENDER);
            default:
                break;
        }
        if (assembly.active()) {
            assembly.reset();
            rejections.count(Rejection.OUT_OF_ORDER);
        }
        if (chunkCount == 1) {
            if (bodyBytes != total) {
                return reject(Rejection.MALFORMED);
            }
            if (bodyBytes > 0) {
                assembly.buffer.putBytes(0, buffer, bodyOffset, bodyBytes);
            }
            receiver.onMessage(type, sender, round, assembly.buffer, 0, bodyBytes);
            return ControlledFragmentHandler.Action.CONTINUE;
        }
        assembly.type = type;
        assembly.round = round;
        assembly.chunkCount = chunkCount;
        assembly.nextChunk = 0;
        assembly.total = total;
        assembly.filled = 0;
        return append(assembly, sender, buffer, bodyOffset, bodyBytes);
    }

    private ControlledFragmentHandler.Action append(final Assembly assembly, final int sender,
                                                    final DirectBuffer buffer, final int bodyOffset,
                                                    final int bodyBytes) {
        assembly.buffer.putBytes(assembly.filled, buffer, bodyOffset, bodyBytes);
        assembly.filled += bodyBytes;
        assembly.nextChunk++;
        if (assembly.nextChunk == assembly.chunkCount) {
            final MessageType type = assembly.type;
            assembly.reset();
            if (assembly.filled != assembly.total) {
                return reject(Rejection.MALFORMED);
            }
            receiver.onMessage(type, sender, assembly.round, assembly.buffer, 0, assembly.filled);
        }
        return ControlledFragmentHandler.Action.CONTINUE;
    }

    private ControlledFragmentHandler.Action reject(final Rejection reason) {
        rejections.count(reason);
        return ControlledFragmentHandler.Action.CONTINUE;
    }

    private Assembly assembly(final int slot) {
        Assembly assembly = assemblies[slot];
        if (assembly == null) {
            final MemorySegment memory = arena.allocate(Math.max(1, maxBodyBytes), 64);
            assembly = new Assembly(new UnsafeBuffer(memory.address(), (int) memory.byteSize()));
            assemblies[slot] = assembly;
        }
        return assembly;
    }

    /** Frees the body buffers (the subscription belongs to the caller). */
    @Override
    public void close() {
        arena.close();
    }
}
