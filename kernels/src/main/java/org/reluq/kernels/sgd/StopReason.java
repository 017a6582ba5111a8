package org.reluq.kernels.sgd;

/** Why a training run ended. */
public enum StopReason {
    /** The relative error reached the target. */
    TARGET_REACHED,
    /** The iteration budget ran out first. */
    MAX_ITERATIONS,
    /** The loss or the iterate became NaN or infinite: the step is too large for this problem. */
    DIVERGED
}
