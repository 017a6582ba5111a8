package org.reluq.verify;

/** The standard normal CDF, for the statistical tests. */
final class NormalDistribution {

    private NormalDistribution() {
    }

    /** Phi(x), from the complementary error function (Numerical Recipes' erfc, |error| < 1.2e-7). */
    static double cdf(final double x) {
        return 0.5 * erfc(-x / Math.sqrt(2));
    }

    private static double erfc(final double x) {
        final double z = Math.abs(x);
        final double t = 1 / (1 + 0.5 * z);
        final double r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587
                + t * (-0.82215223 + t * 0.17087277)))))))));
        return x >= 0 ? r : 2 - r;
    }
}
