package org.reluq.verify.experiments;

import org.reluq.kernels.sgd.StopReason;
import org.reluq.kernels.sgd.TrainingResult;

/**
 * One training run of an experiment: what was run, at which step, its result, and its fitted geometric
 * rate (null when the run diverged or has too few points between error 0.5 and the fit's floor).
 *
 * @param label  a short name for tables and legends, e.g. {@code m=64} or {@code s=4 K=4 bucket=none}
 * @param step   the step size used
 * @param result the run
 * @param fit    the rate fitted down to the experiment's floor, or null
 */
public record Curve(String label, float step, TrainingResult result, RateFit fit) {

    /** Fits a finished run; a diverged or too short run gets no fit. */
    public static Curve of(final String label, final float step, final TrainingResult result, final double floor) {
        RateFit fit = null;
        if (result.stopReason() != StopReason.DIVERGED) {
            try {
                fit = RateFit.of(result.relativeError(), floor);
            } catch (IllegalArgumentException e) {
                fit = null; // fewer than three points to fit: the table says so
            }
        }
        return new Curve(label, step, result, fit);
    }

    /** Whether the run reached its target error. */
    public boolean reachedTarget() {
        return result.stopReason() == StopReason.TARGET_REACHED;
    }
}
