package org.reluq.verify;

/**
 * The ReLU kernels written for clarity: plain loops over heap arrays, double accumulation. The float
 * inputs are exact in double, so these results are the exact values up to double rounding
 * ({@code 2^-53} relative per operation), far below the float kernels' error bounds.
 */
public final class ReferenceKernels {

    private ReferenceKernels() {
    }

    /** {@code <x, w>} in double. */
    public static double dot(final float[] x, final float[] w) {
        double s = 0;
        for (int j = 0; j < x.length; j++) {
            s += (double) x[j] * w[j];
        }
        return s;
    }

    /** {@code sum_j |x_j w_j|}, the condition term of a dot product's error bound. */
    public static double absDot(final float[] x, final float[] w) {
        double s = 0;
        for (int j = 0; j < x.length; j++) {
            s += Math.abs((double) x[j] * w[j]);
        }
        return s;
    }

    /** ReLU'(z) with ReLU'(0) = 1/2. */
    public static double reluDerivative(final double z) {
        return z > 0 ? 1 : z == 0 ? 0.5 : 0;
    }

    /** {@code max(0, X w)}. */
    public static double[] forward(final float[][] x, final float[] w) {
        final double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = Math.max(0, dot(x[i], w));
        }
        return out;
    }

    /** {@code 1/(2m) sum_i (ReLU(<w, x_i>) - y_i)^2} over the given rows. */
    public static double loss(final float[][] x, final float[] y, final float[] w, final int[] rows) {
        double s = 0;
        for (final int i : rows) {
            final double r = Math.max(0, dot(x[i], w)) - y[i];
            s += r * r;
        }
        return s / (2.0 * rows.length);
    }

    /** {@code 1/m sum_i ReLU'(z_i) (ReLU(z_i) - y_i) x_i} over the given rows (repeats count). */
    public static double[] gradient(final float[][] x, final float[] y, final float[] w, final int[] rows) {
        final double[] g = new double[w.length];
        for (final int i : rows) {
            final double c = coefficient(dot(x[i], w), y[i], rows.length);
            for (int j = 0; j < g.length; j++) {
                g[j] += c * x[i][j];
            }
        }
        return g;
    }

    /** The gradient coefficient of one row: ReLU'(z) (ReLU(z) - y) / m. */
    public static double coefficient(final double z, final double y, final int m) {
        return reluDerivative(z) * (Math.max(0, z) - y) / m;
    }

    /** The rows 0 .. n-1. */
    public static int[] allRows(final int n) {
        final int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        return rows;
    }
}
