package org.reluq.kernels.sgd;

/** Receives a trainer's progress every {@link #INTERVAL} iterations and once at the end. */
@FunctionalInterface
public interface ProgressListener {

    /** Iterations between two calls: rare enough to cost nothing in the loop. */
    int INTERVAL = 256;

    /** A listener that ignores everything. */
    ProgressListener NONE = (iteration, relativeError) -> { };

    /**
     * Called from the training thread.
     *
     * @param iteration     iterations completed so far
     * @param relativeError ||w - w*|| / ||w*|| after them
     */
    void update(int iteration, double relativeError);
}
