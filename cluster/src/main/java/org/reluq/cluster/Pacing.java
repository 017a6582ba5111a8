package org.reluq.cluster;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * How the cluster's threads wait: a few spins and yields, then parks growing to 100 microseconds (tunable with
 * {@code -Dreluq.cluster.idle}).
 */
final class Pacing {

    private Pacing() {
    }

    /** The system property that overrides the backoff: {@code spins,yields,minParkNanos,maxParkNanos}. */
    static final String PROPERTY = "reluq.cluster.idle";

    /**
     * A new idle strategy. Busy spinning would be faster on idle cores, but a host often runs the master and
     * several workers on a few cores, where a spinning waiter takes the core a worker computes on.
     *
     * @throws IllegalArgumentException naming the property if its value is not four non-negative numbers
     */
    static IdleStrategy newIdleStrategy() {
        final String spec = System.getProperty(PROPERTY, "20,10,1000,100000");
        final String[] parts = spec.split(",");
        try {
            if (parts.length != 4) {
                throw new NumberFormatException("four numbers expected");
            }
            final long[] v = new long[4];
            for (int i = 0; i < 4; i++) {
                v[i] = Long.parseLong(parts[i].trim());
                if (v[i] < 0) {
                    throw new NumberFormatException("negative");
                }
            }
            return new BackoffIdleStrategy(v[0], v[1], Math.max(1, v[2]), Math.max(Math.max(1, v[2]), v[3]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("-D" + PROPERTY + "=" + spec
                    + ": expected spins,yields,minParkNanos,maxParkNanos (" + e.getMessage() + ")", e);
        }
    }
}
