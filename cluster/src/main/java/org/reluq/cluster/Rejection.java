package org.reluq.cluster;

/** Why a received message was dropped rather than used. */
public enum Rejection {
    /** Shorter than its header, wrong magic or version, unknown type, or lengths that disagree. */
    MALFORMED("malformed header"),
    /** The CRC32C does not match the content. */
    CRC("CRC32C mismatch"),
    /** The run id is not this run's: a frame of another run, or of a stray sender. */
    FOREIGN_RUN("another run's id"),
    /** The sender field names no worker of this run, or a message this process never takes from that sender. */
    BAD_SENDER("unknown sender or unexpected type"),
    /** A round this process has already finished (a duplicate or a late copy). */
    STALE_ROUND("stale round"),
    /** A chunk that does not continue the message being assembled from that sender. */
    OUT_OF_ORDER("chunk out of order"),
    /** A body whose fields are inconsistent (a gradient frame the encoder's decoder refused counts here). */
    BAD_BODY("bad body");

    private final String description;

    Rejection(final String description) {
        this.description = description;
    }

    /** A few words for reports. */
    public String description() {
        return description;
    }
}
