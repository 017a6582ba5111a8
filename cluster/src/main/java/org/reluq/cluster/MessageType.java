package org.reluq.cluster;

/** The kinds of cluster messages (docs/cluster-protocol.md has each body's layout). */
enum MessageType {
    /** Worker to master, before the run: "here I am, answer me at this endpoint". */
    HELLO,
    /** Master to workers: the run id, the spec, who is worker k and where every worker listens. */
    WELCOME,
    /** Worker to master: data generated, peers connected; the body holds the worker's w0 (empty on resume). */
    READY,
    /** Master to workers (resume only): one worker's carried encoder state. */
    STATE,
    /** Master to workers: w for a round (every round in the master topology, the first in allgather). */
    MODEL,
    /** Worker to master (and to every worker in allgather): a round's encoded gradient and its loss terms. */
    GRADIENT,
    /** Either way, every heartbeat period: "still alive". */
    HEARTBEAT,
    /** Master to workers: the run is over; exit 0. */
    STOP,
    /** Worker to master, after STOP: "done, closing". */
    BYE,
    /** Master to workers: the run failed (a worker died or stalled, or a frame was bad); exit. */
    ABORT;

    private static final MessageType[] VALUES = values();

    /** The type with this code, or null. */
    static MessageType of(final int code) {
        return code >= 0 && code < VALUES.length ? VALUES[code] : null;
    }
}
