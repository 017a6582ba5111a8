package org.reluq.cluster;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/** Counts of rejected messages by reason; safe to read from another thread while the owner counts. */
public final class Rejections {

    private final AtomicLongArray counts = new AtomicLongArray(Rejection.values().length);

    /** Counts one message. */
    void count(final Rejection reason) {
        counts.incrementAndGet(reason.ordinal());
    }

    /** Messages rejected for this reason. */
    public long get(final Rejection reason) {
        return counts.get(reason.ordinal());
    }

    /** Messages rejected for any reason. */
    public long total() {
        long total = 0;
        for (int i = 0; i < counts.length(); i++) {
            total += counts.get(i);
        }
        return total;
    }

    /** The nonzero counts by reason. */
    public Map<Rejection, Long> snapshot() {
        final Map<Rejection, Long> snapshot = new EnumMap<>(Rejection.class);
        for (final Rejection reason : Rejection.values()) {
            final long count = get(reason);
            if (count > 0) {
                snapshot.put(reason, count);
            }
        }
        return snapshot;
    }
}
