package org.reluq.verify.experiments;

import java.util.List;
import org.reluq.kernels.model.PlantedModel;
import org.reluq.kernels.sgd.Init;
import org.reluq.kernels.sgd.Sampling;
import org.reluq.kernels.sgd.SgdConfig;
import org.reluq.kernels.sgd.SgdTrainer;
import org.reluq.kernels.sgd.StopReason;

/**
 * How many samples SGD needs to recover w*: at n = ratio * d, the fraction of independent planted models
 * (fresh X and w* per trial) on which SGD from w = 0 reaches a relative error of {@link #TARGET} within its
 * budget. The budget grows like (m + d) / m, the number of iterations SGD's rate needs per unit of log
 * error, so that at a fixed ratio n/d the budget is equally generous at every d.
 */
public final class SampleComplexity {

    /** Recovery means ||w - w*|| / ||w*|| at most this. */
    public static final double TARGET = 1e-3;

    /** Iterations per unit of (m + d) / m in the budget. */
    public static final int BUDGET_PER_RATE = 400;

    private SampleComplexity() {
    }

    /**
     * One point of the curve.
     *
     * @param ratio     n / d
     * @param trials    models tried
     * @param successes models recovered
     */
    public record Point(double ratio, int trials, int successes) {

        /** The fraction recovered. */
        public double rate() {
            return (double) successes / trials;
        }
    }

    /** The iteration budget at dimension d and batch size m: {@code 400 (m + d) / m}. */
    public static int budget(final int d, final int batchSize) {
        return (int) Math.ceil(BUDGET_PER_RATE * (batchSize + (double) d) / batchSize);
    }

    /** The data seed of trial t at dimension d: distinct for every (seed, d, t). */
    public static long trialSeed(final long seed, final int d, final int trial) {
        return seed * 1_000_003L + d * 65_537L + trial;
    }

    /**
     * Runs {@code trials} trials at n = round(ratio d) with batch size m and SGD's default step.
     *
     * @throws IllegalArgumentException if n would be below 1
     */
    public static Point run(final int d, final double ratio, final int trials, final int batchSize,
                            final long seed) {
        final int n = (int) Math.round(ratio * d);
        if (n < 1) {
            throw new IllegalArgumentException("n = " + ratio + " d rounds to " + n);
        }
        int successes = 0;
        for (int t = 0; t < trials; t++) {
            final long trialSeed = trialSeed(seed, d, t);
            try (PlantedModel model = PlantedModel.generate(n, d, 1.0, trialSeed, 1)) {
                final SgdConfig config = new SgdConfig(batchSize, SgdConfig.defaultStep(batchSize, d),
                        budget(d, batchSize), Init.ZERO, Sampling.WITH_REPLACEMENT, trialSeed, TARGET);
                if (SgdTrainer.train(model, config).stopReason() == StopReason.TARGET_REACHED) {
                    successes++;
                }
            }
        }
        return new Point(ratio, trials, successes);
    }

    /**
     * The ratio n/d at which the success rate first crosses one half, interpolated linearly between the two
     * points around the crossing (points in increasing ratio); NaN if it never does.
     */
    public static double halfway(final List<Point> curve) {
        for (int i = 0; i < curve.size(); i++) {
            final Point p = curve.get(i);
            if (p.rate() >= 0.5) {
                if (i == 0) {
                    return p.ratio();
                }
                final Point q = curve.get(i - 1);
                return q.ratio() + (0.5 - q.rate()) * (p.ratio() - q.ratio()) / (p.rate() - q.rate());
            }
        }
        return Double.NaN;
    }
}
