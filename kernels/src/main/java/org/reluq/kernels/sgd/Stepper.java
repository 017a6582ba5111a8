package org.reluq.kernels.sgd;

import org.reluq.kernels.memory.OffHeapVector;

/**
 * One training iterate and the means to advance it, as {@link TrainingLoop} drives it: {@link SgdStepper}
 * in one process, {@code QsgdStepper} with K workers exchanging encoded gradients.
 */
public interface Stepper extends AutoCloseable {

    /**
     * One iteration.
     *
     * @return the mini-batch loss at the iterate before the update (not finite once the run diverged)
     */
    double step();

    /** ||w - w*|| / ||w*|| of the current iterate. */
    double relativeError();

    /** Bytes the workers have sent so far (0 for a single process). */
    default long wireBytes() {
        return 0;
    }

    /** The current iterate (live view; do not close). */
    OffHeapVector weights();

    /** Frees what the stepper owns. */
    @Override
    void close();
}
