package org.reluq.cluster;

import java.nio.file.Path;

/**
 * How a cluster process uses the network: Aeron's buffers and the fault detection's clocks.
 *
 * @param termBytes          Aeron term length of every publication (a power of two, 64 KiB..1 GiB); one message is at
 *                           most an eighth of it, and a chunk at most 1 MiB
 * @param mtuBytes           the largest datagram Aeron sends (a multiple of 32, up to 65504)
 * @param windowBytes        the receiver window: bytes in flight per sender before it waits; at least the link's
 *                           bandwidth-delay product to fill the link, at most half a term
 * @param socketBufferBytes  the UDP sockets' send and receive buffers (the kernel caps them at net.core.rmem_max)
 * @param heartbeatNanos     how often every process says it is alive
 * @param peerTimeoutNanos   silence after which a peer counts as dead or stalled (under 5 s; Aeron's own image
 *                           liveness takes 10 s)
 * @param roundDeadlineNanos how long the master waits for a round's frames from live workers
 * @param joinTimeoutNanos   how long the master waits for K workers to join, and a worker for its master
 * @param externalDriver     the directory of a standalone media driver to use, or null for an embedded one
 */
public record NetworkSettings(int termBytes, int mtuBytes, int windowBytes, int socketBufferBytes, long heartbeatNanos,
                              long peerTimeoutNanos, long roundDeadlineNanos, long joinTimeoutNanos,
                              Path externalDriver) {

    /** 16 MiB terms, 1408-byte datagrams, 2 MiB windows and socket buffers, 100 ms heartbeats, 2 s timeout. */
    public static NetworkSettings defaults() {
        return new NetworkSettings(16 << 20, 1408, 2 << 20, 2 << 20, 100_000_000L, 2_000_000_000L,
                60_000_000_000L, 120_000_000_000L, null);
    }

    /** Checks every field; messages name the bad value. */
    public NetworkSettings {
        if (termBytes < 64 << 10 || termBytes > 1 << 30 || Integer.bitCount(termBytes) != 1) {
            throw new IllegalArgumentException("term length must be a power of two in [64 KiB, 1 GiB], got "
                    + termBytes);
        }
        if (mtuBytes < 64 || mtuBytes > 65504 || mtuBytes % 32 != 0) {
            throw new IllegalArgumentException("MTU must be a multiple of 32 in [64, 65504], got " + mtuBytes);
        }
        if (windowBytes < mtuBytes || windowBytes > termBytes / 2) {
            throw new IllegalArgumentException("receiver window must lie in [MTU " + mtuBytes + ", term/2 "
                    + termBytes / 2 + "], got " + windowBytes);
        }
        if (socketBufferBytes < mtuBytes) {
            throw new IllegalArgumentException("socket buffer must hold one datagram (" + mtuBytes + "), got "
                    + socketBufferBytes);
        }
        if (heartbeatNanos <= 0 || peerTimeoutNanos < 2 * heartbeatNanos) {
            throw new IllegalArgumentException("peer timeout must be at least two heartbeats, got "
                    + peerTimeoutNanos / 1e9 + " s for heartbeats every " + heartbeatNanos / 1e9 + " s");
        }
        if (roundDeadlineNanos <= 0 || joinTimeoutNanos <= 0) {
            throw new IllegalArgumentException("the round deadline and the join timeout must be positive");
        }
    }
}
