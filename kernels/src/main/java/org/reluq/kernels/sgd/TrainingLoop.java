package org.reluq.kernels.sgd;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Makes a {@link Stepper} (timing its init), runs it until the target relative error, divergence or the
 * iteration budget, recording the relative error, the mini-batch loss and the bytes sent after every
 * iteration (O(1) each, into preallocated arrays) and the time of every stretch of
 * {@link ProgressListener#INTERVAL} iterations (one clock read per stretch), and closes it.
 */
public final class TrainingLoop {

    private TrainingLoop() {
    }

    /**
     * @param newStepper  makes the stepper, which computes w0 (timed as the result's init time)
     * @param budget      the iteration budget, at least 1
     * @param targetError stop once the relative error is at most this
     */
    public static TrainingResult run(final Supplier<? extends Stepper> newStepper, final int budget,
                                     final double targetError, final ProgressListener progress) {
        Objects.requireNonNull(progress, "progress");
        final long start = System.nanoTime();
        try (Stepper stepper = newStepper.get()) {
            final long initNanos = System.nanoTime() - start;
            final float[] relativeError = new float[budget + 1];
            final float[] loss = new float[budget];
            final long[] wireBytes = new long[budget + 1];
            final long loopStart = System.nanoTime();
            relativeError[0] = (float) stepper.relativeError();
            StopReason reason = relativeError[0] <= targetError ? StopReason.TARGET_REACHED : StopReason.MAX_ITERATIONS;
            int t = 0;
            long stretchStart = loopStart;
            long fastestStretch = 0;
            while (reason == StopReason.MAX_ITERATIONS && t < budget) {
                final double batchLoss = stepper.step();
                final double error = stepper.relativeError();
                loss[t] = (float) batchLoss;
                relativeError[++t] = (float) error;
                wireBytes[t] = stepper.wireBytes();
                final boolean stretchEnd = t % ProgressListener.INTERVAL == 0;
                if (stretchEnd) {
                    final long now = System.nanoTime();
                    if (fastestStretch == 0 || now - stretchStart < fastestStretch) {
                        fastestStretch = now - stretchStart;
                    }
                    stretchStart = now;
                }
                if (!Double.isFinite(batchLoss) || !Double.isFinite(error)) {
                    reason = StopReason.DIVERGED;
                } else if (error <= targetError) {
                    reason = StopReason.TARGET_REACHED;
                } else if (stretchEnd) {
                    progress.update(t, error);
                }
            }
            final long end = System.nanoTime();
            progress.update(t, relativeError[t]);
            return new TrainingResult(t, reason, Arrays.copyOf(relativeError, t + 1), Arrays.copyOf(loss, t),
                    Arrays.copyOf(wireBytes, t + 1), stepper.weights().toArray(), initNanos, end - loopStart,
                    fastestStretch);
        }
    }
}
