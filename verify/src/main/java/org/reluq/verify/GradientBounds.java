package org.reluq.verify;

import java.util.Arrays;

/**
 * Checks a float gradient and loss against the double reference within the forward-error bounds of
 * {@link ErrorBounds}: per coordinate
 * {@code |g_j - g*_j| <= sum_i dc_i |x_ij| + gamma_{m+4} sum_i (|c_i| + dc_i) |x_ij| + (m + 4) * UNDERFLOW}
 * where {@code dc_i} bounds row i's coefficient error (including a flip of ReLU' when |z_i| is within
 * z's own error bound), and {@code |L - L*| <= sum_i dr_i (2 |r_i| + dr_i) / (2m)}.
 */
public final class GradientBounds {

    private GradientBounds() {
    }

    /**
     * The first violated bound as a message, or null if the gradient and loss are within bounds.
     *
     * @param rows    the batch (row indices, repeats allowed)
     * @param paddedD the padded row length the kernel summed over
     */
    public static String violation(final float[][] x, final float[] y, final float[] w, final int[] rows,
                                   final int paddedD, final float[] g, final double loss) {
        final int m = rows.length;
        final int d = w.length;
        final double[] expected = ReferenceKernels.gradient(x, y, w, rows);
        final double[] coefficientError = new double[m];
        final double[] coefficientBound = new double[m];
        double lossBound = 0;
        for (int k = 0; k < m; k++) {
            final int i = rows[k];
            final double z = ReferenceKernels.dot(x[i], w);
            final double dz = ErrorBounds.dot(paddedD, ReferenceKernels.absDot(x[i], w));
            coefficientError[k] = ErrorBounds.coefficient(z, dz, y[i], m);
            coefficientBound[k] = Math.abs(ReferenceKernels.coefficient(z, y[i], m)) + coefficientError[k];
            final double r = Math.abs(Math.max(0, z) - y[i]);
            final double dr = dz + ErrorBounds.U * (r + dz);
            lossBound += dr * (2 * r + dr);
        }
        final double gammaM = ErrorBounds.gamma(m + 4);
        final double[] bound = new double[d];
        Arrays.fill(bound, (m + 4) * ErrorBounds.UNDERFLOW);
        for (int k = 0; k < m; k++) {
            final float[] row = x[rows[k]];
            final double a = coefficientError[k] + gammaM * coefficientBound[k];
            for (int j = 0; j < d; j++) {
                bound[j] += a * Math.abs(row[j]);
            }
        }
        for (int j = 0; j < d; j++) {
            final double error = Math.abs(g[j] - expected[j]);
            if (!(error <= bound[j])) {
                return "g[" + j + "] = " + g[j] + ", reference " + expected[j] + ", error " + error
                        + " > bound " + bound[j];
            }
        }
        final double expectedLoss = ReferenceKernels.loss(x, y, w, rows);
        final double lossTolerance = lossBound / (2.0 * m) + 1e-12 * expectedLoss;
        if (!(Math.abs(loss - expectedLoss) <= lossTolerance)) {
            return "loss " + loss + ", reference " + expectedLoss + ", bound " + lossTolerance;
        }
        return null;
    }
}
