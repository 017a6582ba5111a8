package org.reluq.verify;

import org.reluq.kernels.random.RandomStream;

/**
 * The planted model written for clarity, from its definition in the kernels' {@code PlantedModel}: X_ij is
 * element {@code i d + j} of the DATA stream, w* the TRUTH stream's first d elements scaled to the norm in
 * double, y_i = float(max(0, <w*, x_i>)) with the dot product in double, summed in sixteen classes of
 * columns {@code j mod 16} folded in halves.
 *
 * @param x     n rows of d
 * @param y     the labels
 * @param wStar the planted weights
 */
public record ReferencePlantedModel(float[][] x, float[] y, float[] wStar) {

    /** The model for these sizes and seed. */
    public static ReferencePlantedModel generate(final int n, final int d, final double norm, final long seed) {
        final float[] w = ReferenceGaussian.samples(seed, RandomStream.TRUTH, 0, d);
        double sumSquares = 0;
        for (final float v : w) {
            sumSquares += (double) v * v;
        }
        final double scale = norm / Math.sqrt(sumSquares);
        for (int j = 0; j < d; j++) {
            w[j] = (float) (w[j] * scale);
        }
        final float[][] x = new float[n][];
        final float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = ReferenceGaussian.samples(seed, RandomStream.DATA, (long) i * d, d);
            y[i] = (float) Math.max(0.0, labelDot(x[i], w));
        }
        return new ReferencePlantedModel(x, y, w);
    }

    /** {@code <w, x>} in the definition's order. */
    public static double labelDot(final float[] x, final float[] w) {
        final double[] c = new double[16];
        for (int j = 0; j < x.length; j++) {
            c[j % 16] += (double) x[j] * w[j];
        }
        for (int half = 8; half >= 1; half /= 2) {
            for (int k = 0; k < half; k++) {
                c[k] += c[k + half];
            }
        }
        return c[0];
    }
}
