package org.reluq.kernels.sgd;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Makes a {@link Stepper} (timing its init), runs it until the target relative error, divergence or the
 * iteration budget, recording the relative error, the mini-batch loss and the bytes sent after every
 * iteration (O(1) each, into arrays that double when full, so a large budget costs nothing until it is used)
 * and the time of every stretch of {@link ProgressListener#INTERVAL} iterations (one clock read per stretch),
 * and closes it.
 */
public final class TrainingLoop {

    /** Iterations the curve arrays hold before they first grow. */
    private static final int INITIAL_ROOM = 1 << 12;

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
        if (budget < 1) {
            throw new IllegalArgumentException("iteration budget must be >= 1, got " + budget);
        }
        if (!(targetError >= 0) || Double.isInfinite(targetError)) {
            throw new IllegalArgumentException("target error must be finite and >= 0, got " + targetError);
        }
        final long start = System.nanoTime();
        try (Stepper stepper = newStepper.get()) {
            final long initNanos = System.nanoTime() - start;
            final int room = (int) Math.min(budget + 1L, INITIAL_ROOM);
            float[] relativeError = new float[room];
            float[] loss = new float[room];
            long[] wireBytes = new long[room];
            final long loopStart = System.nanoTime();
            relativeError[0] = (float) stepper.relativeError();
            StopReason reason = relativeError[0] <= targetError ? StopReason.TARGET_REACHED : StopReason.MAX_ITERATIONS;
            int t = 0;
            long stretchStart = loopStart;
            long fastestStretch = 0;
            while (reason == StopReason.MAX_ITERATIONS && t < budget) {
                if (t + 1 == relativeError.length) {
                    final int grown = (int) Math.min(budget + 1L, 2L * relativeError.length);
                    relativeError = Arrays.copyOf(relativeError, grown);
                    loss = Arrays.copyOf(loss, grown);
                    wireBytes = Arrays.copyOf(wireBytes, grown);
                }
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
