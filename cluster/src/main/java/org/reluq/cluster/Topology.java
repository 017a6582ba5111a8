package org.reluq.cluster;

import java.util.Locale;

/** How a cluster's gradients travel. */
public enum Topology {
    /**
     * Parameter server: workers send their frames to the master, which aggregates them in worker order, updates w
     * and sends w to every worker (multi-destination cast; the slowest receiver sets the pace).
     */
    MASTER,
    /**
     * Every worker sends its frame to every other worker (and to the master, which watches); each aggregates the K
     * frames in worker order and updates its own copy of w, so all hold the same bits.
     */
    ALLGATHER;

    /** Parses {@code master} or {@code allgather} (any case). */
    public static Topology parse(final String text) {
        for (final Topology topology : values()) {
            if (topology.name().equalsIgnoreCase(text.trim())) {
                return topology;
            }
        }
        throw new IllegalArgumentException("unknown topology '" + text + "'; expected master or allgather");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
