package org.reluq.cluster;

import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/** How the cluster's threads wait: a few spins and yields, then parks growing to 100 microseconds. */
final class Pacing {

    private Pacing() {
    }

    /**
     * A new idle strategy. Busy spinning would be faster on idle cores, but a host often runs the master and
     * several workers on a few cores, where a spinning waiter takes the core a worker computes on.
     */
    static IdleStrategy newIdleStrategy() {
        return new BackoffIdleStrategy(20, 10, 1_000, 100_000);
    }
}
