package org.reluq.kernels.sgd;

/**
 * The outcome of a training run.
 *
 * @param iterations    iterations performed
 * @param stopReason    why the run ended
 * @param relativeError ||w_t - w*|| / ||w*|| for t = 0 .. iterations (length iterations + 1)
 * @param loss          mini-batch loss at w_t for t = 0 .. iterations - 1 (length iterations)
 * @param wireBytes     bytes the workers had sent after t iterations, t = 0 .. iterations (all 0 for
 *                      single-process SGD)
 * @param weights       the final iterate w_T
 * @param initNanos     time to compute w0
 * @param loopNanos     time of the iterations
 * @param fastestStretchNanos the shortest time any {@link ProgressListener#INTERVAL} consecutive iterations took
 *                      (from iteration k INTERVAL to (k + 1) INTERVAL), or 0 if the run was shorter: the speed
 *                      once the JIT has compiled the step, which a short run's average hides
 */
public record TrainingResult(int iterations, StopReason stopReason, float[] relativeError, float[] loss,
                             long[] wireBytes, float[] weights, long initNanos, long loopNanos,
                             long fastestStretchNanos) {

    /** The relative error of the final iterate. */
    public double finalRelativeError() {
        return relativeError[iterations];
    }

    /** Bytes the workers sent over the whole run. */
    public long totalWireBytes() {
        return wireBytes[iterations];
    }

    /** Iterations per second of the loop, JIT warm-up included. */
    public double iterationsPerSecond() {
        return loopNanos == 0 ? 0 : iterations * 1e9 / loopNanos;
    }

    /** Iterations per second of the fastest stretch of {@link ProgressListener#INTERVAL}, or 0 if there was none. */
    public double steadyIterationsPerSecond() {
        return fastestStretchNanos == 0 ? 0 : ProgressListener.INTERVAL * 1e9 / fastestStretchNanos;
    }
}
