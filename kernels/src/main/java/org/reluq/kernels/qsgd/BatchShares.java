package org.reluq.kernels.qsgd;

/**
 * How a batch of m rows is split among K workers: worker k takes the rows
 * {@code [start(k), start(k + 1))} of the batch, consecutive shares whose sizes differ by at most one (the
 * first {@code m mod K} workers take one row more).
 */
public final class BatchShares {

    private BatchShares() {
    }

    /**
     * The first row of worker k's share; {@code start(K, K, m) = m}.
     *
     * @throws IllegalArgumentException unless {@code 1 <= K <= m} and {@code 0 <= k <= K}
     */
    public static int start(final int k, final int workers, final int batchSize) {
        if (workers < 1 || workers > batchSize) {
            throw new IllegalArgumentException("cannot split " + batchSize + " rows among " + workers + " workers");
        }
        if (k < 0 || k > workers) {
            throw new IllegalArgumentException("worker " + k + " is outside [0, " + workers + "]");
        }
        final int base = batchSize / workers;
        return k * base + Math.min(k, batchSize % workers);
    }
}
