package org.reluq.cluster;

/** What a process does with a message whose header checked out. */
enum Admission {
    /** Assemble it and deliver it. */
    TAKE,
    /** Leave it in Aeron's buffer and offer it again on a later poll (its round has not come yet). */
    HOLD,
    /** Drop it silently: expected, but of no use here (a peer's heartbeat in allgather, say). */
    IGNORE,
    /** Drop it and count it: a round this process has finished. */
    STALE,
    /** Drop it and count it: a sender or type this process never takes. */
    UNEXPECTED
}
