package org.reluq.kernels.sgd;

/** How mini-batch rows are drawn from the n samples. */
public enum Sampling {
    /** Each row uniformly and independently (the default, as in the paper's analysis). */
    WITH_REPLACEMENT,
    /**
     * Successive batches walk a fresh random permutation of the rows each epoch, so no row repeats
     * within an epoch; a batch that straddles two epochs may repeat a row once.
     */
    WITHOUT_REPLACEMENT
}
