package org.reluq.cluster;

import io.aeron.Publication;

/**
 * A daemon thread that sends an empty HEARTBEAT every period on a publication, so peers can tell a slow round
 * from a dead process. It sends only when there is room: a heartbeat behind a full window says nothing new.
 */
final class Heartbeat implements AutoCloseable {

    private final Thread thread;
    private volatile boolean running = true;
    private volatile long round;

    Heartbeat(final Publication publication, final int sender, final long runId, final long periodNanos,
              final String name) {
        final Outbox outbox = new Outbox(publication, sender, runId, 0);
        thread = Thread.ofPlatform().daemon().name(name).unstarted(() -> {
            while (running) {
                outbox.trySend(MessageType.HEARTBEAT, round);
                try {
                    Thread.sleep(periodNanos / 1_000_000, (int) (periodNanos % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        thread.start();
    }

    /** The round the next heartbeats report. */
    void round(final long value) {
        round = value;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
