package org.reluq.cluster;

/**
 * A distributed run cannot go on: a peer died or stalled, a link stayed blocked, or a peer broke the protocol. The
 * message names the peer and what was seen; {@link #exitCode} is the documented exit code of the process.
 */
public final class ClusterFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Exit code of a master that lost a worker (checkpoint written) or of a worker the master aborted. */
    public static final int PEER_LOST = 3;
    /** Exit code of a worker whose master went silent. */
    public static final int MASTER_LOST = 4;

    private final int exitCode;
    private final transient Checkpoint checkpoint;

    /** A failure with no checkpoint. */
    public ClusterFailure(final String message, final int exitCode) {
        this(message, exitCode, null);
    }

    /** A failure after which the master can resume from {@code checkpoint} (may be null). */
    public ClusterFailure(final String message, final int exitCode, final Checkpoint checkpoint) {
        super(message);
        this.exitCode = exitCode;
        this.checkpoint = checkpoint;
    }

    /** The process's exit code for this failure. */
    public int exitCode() {
        return exitCode;
    }

    /** The last state the run can resume from, or null. */
    public Checkpoint checkpoint() {
        return checkpoint;
    }
}
