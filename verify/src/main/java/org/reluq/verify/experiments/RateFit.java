package org.reluq.verify.experiments;

/**
 * A geometric rate fitted to a convergence curve: the least-squares line through {@code (t, ln e_t)} over a
 * window, its per-iteration factor {@code rho = exp(slope)} and its R^2.
 *
 * @param from  first iteration of the window
 * @param to    one past the last iteration of the window
 * @param rho   the fitted per-iteration factor of the relative error
 * @param r2    the coefficient of determination of the line
 */
public record RateFit(int from, int to, double rho, double r2) {

    /** Past the start-up transient: the window starts at the first iterate whose error is at most this. */
    public static final double TRANSIENT = 0.5;

    /**
     * Fits the curve from its first error at most {@link #TRANSIENT} to its first error at most {@code floor}
     * (inclusive; the end of the curve if it never gets there), so that the float32 floor stays out of the fit.
     *
     * @throws IllegalArgumentException if the window has fewer than 3 points or holds an error that is not
     *                                  finite and positive
     */
    public static RateFit of(final float[] error, final double floor) {
        int from = 0;
        while (from < error.length && error[from] > TRANSIENT) {
            from++;
        }
        int to = from;
        while (to < error.length && error[to] > floor) {
            to++;
        }
        to = Math.min(error.length, to + 1);
        if (to - from < 3) {
            throw new IllegalArgumentException("the curve has " + (to - from) + " points between error "
                    + TRANSIENT + " and " + floor + ": too few to fit a rate");
        }
        double st = 0;
        double sy = 0;
        for (int t = from; t < to; t++) {
            st += t;
            sy += log(error, t);
        }
        final int count = to - from;
        final double meanT = st / count;
        final double meanY = sy / count;
        double stt = 0;
        double sty = 0;
        double syy = 0;
        for (int t = from; t < to; t++) {
            final double dt = t - meanT;
            final double dy = log(error, t) - meanY;
            stt += dt * dt;
            sty += dt * dy;
            syy += dy * dy;
        }
        final double slope = sty / stt;
        return new RateFit(from, to, Math.exp(slope), syy == 0 ? 1 : sty * sty / (stt * syy));
    }

    private static double log(final float[] error, final int t) {
        if (!(error[t] > 0) || Float.isInfinite(error[t])) {
            throw new IllegalArgumentException("error " + error[t] + " at iteration " + t + " is not finite and > 0");
        }
        return Math.log(error[t]);
    }

    /** The constant c of {@code rho = 1 - c m / (m + d)}. */
    public double c(final int batchSize, final int d) {
        return (1 - rho) * (batchSize + (double) d) / batchSize;
    }
}
