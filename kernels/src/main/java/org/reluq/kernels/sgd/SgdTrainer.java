package org.reluq.kernels.sgd;

import java.util.Arrays;
import java.util.Objects;
import org.reluq.kernels.model.PlantedModel;

/**
 * Mini-batch SGD on a planted model (DESIGN.md section 1): runs an {@link SgdStepper} until the target
 * relative error, divergence, or the iteration budget, recording the relative error and the mini-batch
 * loss of every iteration (O(1) each, into preallocated arrays).
 */
public final class SgdTrainer {

    private SgdTrainer() {
    }

    /** Trains without progress reports. */
    public static TrainingResult train(final PlantedModel model, final SgdConfig config) {
        return train(model, config, ProgressListener.NONE);
    }

    /**
     * Runs SGD from the configured init.
     *
     * @throws IllegalArgumentException if sampling without replacement asks for more rows than n
     */
    public static TrainingResult train(final PlantedModel model, final SgdConfig config,
                                       final ProgressListener progress) {
        Objects.requireNonNull(progress, "progress");
        final int budget = config.maxIterations();
        final float[] relativeError = new float[budget + 1];
        final float[] loss = new float[budget];
        final long start = System.nanoTime();
        try (SgdStepper stepper = new SgdStepper(model, config)) {
            final long loopStart = System.nanoTime();
            relativeError[0] = (float) stepper.relativeError();
            StopReason reason = relativeError[0] <= config.targetError()
                    ? StopReason.TARGET_REACHED : StopReason.MAX_ITERATIONS;
            int t = 0;
            while (reason == StopReason.MAX_ITERATIONS && t < budget) {
                final double batchLoss = stepper.step();
                final double error = stepper.relativeError();
                loss[t] = (float) batchLoss;
                relativeError[++t] = (float) error;
                if (!Double.isFinite(batchLoss) || !Double.isFinite(error)) {
                    reason = StopReason.DIVERGED;
                } else if (error <= config.targetError()) {
                    reason = StopReason.TARGET_REACHED;
                } else if (t % ProgressListener.INTERVAL == 0) {
                    progress.update(t, error);
                }
            }
            final long end = System.nanoTime();
            progress.update(t, relativeError[t]);
            return new TrainingResult(t, reason, Arrays.copyOf(relativeError, t + 1), Arrays.copyOf(loss, t),
                    stepper.weights().toArray(), loopStart - start, end - loopStart);
        }
    }
}
