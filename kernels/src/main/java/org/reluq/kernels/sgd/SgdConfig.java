package org.reluq.kernels.sgd;

import java.util.Objects;

/**
 * The parameters of one SGD run.
 *
 * @param batchSize     rows per mini-batch m, at least 1
 * @param step          step size mu, finite and positive
 * @param maxIterations iteration budget, at least 1
 * @param init          starting point
 * @param sampling      how batches are drawn
 * @param seed          seed of the batch indices (and of the Gaussian init)
 * @param targetError   stop once ||w - w*|| / ||w*|| is at most this; 0 runs the whole budget
 */
public record SgdConfig(int batchSize, float step, int maxIterations, Init init, Sampling sampling, long seed,
                        double targetError) {

    /** Validates every field; messages name the bad value. */
    public SgdConfig {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        if (!(step > 0) || Float.isInfinite(step)) {
            throw new IllegalArgumentException("step must be finite and > 0, got " + step);
        }
        if (maxIterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1, got " + maxIterations);
        }
        Objects.requireNonNull(init, "init");
        Objects.requireNonNull(sampling, "sampling");
        if (!(targetError >= 0) || Double.isInfinite(targetError)) {
            throw new IllegalArgumentException("target error must be finite and >= 0, got " + targetError);
        }
    }

    /** The default step 1.5 m / (m + d): the largest multiple of m/(m+d) that converges reliably. */
    public static float defaultStep(final int batchSize, final int d) {
        return (float) (1.5 * batchSize / ((double) batchSize + d));
    }
}
