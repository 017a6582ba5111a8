package org.reluq.cluster;

import java.util.Arrays;

/** When each peer was last heard from, to name the one that went silent. Used by the polling thread only. */
final class PeerClocks {

    private final long[] lastSeen;

    PeerClocks(final int peers) {
        lastSeen = new long[peers];
        Arrays.fill(lastSeen, System.nanoTime());
    }

    /** Peer p was heard from now. */
    void heard(final int peer) {
        lastSeen[peer] = System.nanoTime();
    }

    /** Every peer counts as heard from now (the start of a phase in which all must speak). */
    void resetAll() {
        Arrays.fill(lastSeen, System.nanoTime());
    }

    /** Nanoseconds since peer p was last heard from. */
    long silence(final int peer) {
        return System.nanoTime() - lastSeen[peer];
    }

    /** The first peer silent for longer than {@code timeoutNanos}, or -1. */
    int firstSilent(final long timeoutNanos) {
        final long now = System.nanoTime();
        for (int p = 0; p < lastSeen.length; p++) {
            if (now - lastSeen[p] > timeoutNanos) {
                return p;
            }
        }
        return -1;
    }
}
