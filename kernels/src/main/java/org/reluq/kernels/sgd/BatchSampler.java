package org.reluq.kernels.sgd;

import org.reluq.kernels.random.Philox4x32;
import org.reluq.kernels.random.RandomStream;

/**
 * Draws the row indices of successive mini-batches from the seed's SAMPLING stream.
 *
 * <p>With replacement, index k of iteration t is {@code below(word(t m + k), n)}: a pure function of
 * (seed, t, k). Without replacement, batches walk a permutation that a Fisher-Yates shuffle (Philox
 * sub-counter 1) renews every epoch. Not thread-safe: one sampler per training loop.
 */
public final class BatchSampler {

    private final int n;
    private final int batchSize;
    private final Sampling sampling;
    private final long seed;
    private final int[] block = new int[4];
    private final int[] blocks = new int[16];
    private final int[] permutation;
    private int position;
    private long epoch;
    private long draws;

    /**
     * @param n         number of rows to draw from
     * @param batchSize rows per batch; at most n without replacement
     */
    public BatchSampler(final int n, final int batchSize, final Sampling sampling, final long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (sampling == Sampling.WITHOUT_REPLACEMENT && batchSize > n) {
            throw new IllegalArgumentException(
                    "batch size " + batchSize + " exceeds n = " + n + ": cannot sample without replacement");
        }
        this.n = n;
        this.batchSize = batchSize;
        this.sampling = sampling;
        this.seed = seed;
        if (sampling == Sampling.WITHOUT_REPLACEMENT) {
            permutation = new int[n];
            for (int i = 0; i < n; i++) {
                permutation[i] = i;
            }
            position = n;
        } else {
            permutation = null;
        }
    }

    /** Writes the next batch's {@code batchSize} row indices to {@code out[0 .. batchSize)}. */
    public void next(final int[] out) {
        if (out.length < batchSize) {
            throw new IllegalArgumentException("out has room for " + out.length + " indices, need " + batchSize);
        }
        if (permutation == null) {
            withReplacement(out);
        } else {
            withoutReplacement(out);
        }
    }

    private void withReplacement(final int[] out) {
        final long first = draws;
        for (int k = 0; k < batchSize; k++) {
            final long q = first + k;
            if ((q & 15) == 0 && batchSize - k >= 16) {
                // sixteen indices from four blocks computed side by side (the same words as one at a time)
                Philox4x32.blocks4(seed, RandomStream.SAMPLING, q >>> 2, 0, blocks);
                for (int t = 0; t < 16; t++) {
                    out[k + t] = Philox4x32.below(blocks[t], n);
                }
                k += 15;
                continue;
            }
            if (k == 0 || (q & 3) == 0) {
                Philox4x32.block(seed, RandomStream.SAMPLING, q >>> 2, 0, block);
            }
            out[k] = Philox4x32.below(block[(int) (q & 3)], n);
        }
        draws += batchSize;
    }

    private void withoutReplacement(final int[] out) {
        for (int k = 0; k < batchSize; k++) {
            if (position == n) {
                shuffle();
            }
            out[k] = permutation[position++];
        }
    }

    private void shuffle() {
        final long base = epoch * n;
        for (int i = n - 1; i > 0; i--) {
            final long q = base + (n - 1 - i);
            if (i == n - 1 || (q & 3) == 0) {
                Philox4x32.block(seed, RandomStream.SAMPLING, q >>> 2, 1, block);
            }
            final int j = Philox4x32.below(block[(int) (q & 3)], i + 1);
            final int t = permutation[i];
            permutation[i] = permutation[j];
            permutation[j] = t;
        }
        epoch++;
        position = 0;
    }

    /** The sampling scheme. */
    public Sampling sampling() {
        return sampling;
    }
}
