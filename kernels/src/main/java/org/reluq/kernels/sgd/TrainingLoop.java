package org.reluq.kernels.sgd;

import java.util.Arrays;
import java.util.Objects;

/**
 * Runs a {@link Stepper} until the target relative error, divergence or the iteration budget, recording
 * the relative error, the mini-batch loss and the bytes sent after every iteration (O(1) each, into
 * preallocated arrays), and closes it.
 */
public final class TrainingLoop {

    private TrainingLoop() {
    }

    /**
     * @param initNanos   the time the stepper took to compute w0 (reported, not measured here)
     * @param budget      the iteration budget, at least 1
     * @param targetError stop once the relative error is at most this
     */
    public static TrainingResult run(final Stepper stepper, final long initNanos, final int budget,
                                     final double targetError, final ProgressListener progress) {
        Objects.requireNonNull(progress, "progress");
        try (stepper) {
            final float[] relativeError = new float[budget + 1];
            final float[] loss = new float[budget];
            final long[] wireBytes = new long[budget + 1];
            final long loopStart = System.nanoTime();
            relativeError[0] = (float) stepper.relativeError();
            StopReason reason = relativeError[0] <= targetError ? StopReason.TARGET_REACHED : StopReason.MAX_ITERATIONS;
            int t = 0;
            while (reason == StopReason.MAX_ITERATIONS && t < budget) {
                final double batchLoss = stepper.step();
                final double error = stepper.relativeError();
                loss[t] = (float) batchLoss;
                relativeError[++t] = (float) error;
                wireBytes[t] = stepper.wireBytes();
                if (!Double.isFinite(batchLoss) || !Double.isFinite(error)) {
                    reason = StopReason.DIVERGED;
                } else if (error <= targetError) {
                    reason = StopReason.TARGET_REACHED;
                } else if (t % ProgressListener.INTERVAL == 0) {
                    progress.update(t, error);
                }
            }
            final long end = System.nanoTime();
            progress.update(t, relativeError[t]);
            return new TrainingResult(t, reason, Arrays.copyOf(relativeError, t + 1), Arrays.copyOf(loss, t),
                    Arrays.copyOf(wireBytes, t + 1), stepper.weights().toArray(), initNanos, end - loopStart);
        }
    }
}
