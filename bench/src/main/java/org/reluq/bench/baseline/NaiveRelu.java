package org.reluq.bench.baseline;

import java.util.Arrays;

/**
 * The loops a developer writes first: a flat row-major float[] X, one pass for the dot products and
 * residuals, a second pass to accumulate the gradient. The JIT vectorises the second pass (an axpy)
 * but not the first (a float reduction it may not reorder).
 */
public final class NaiveRelu {

    private NaiveRelu() {
    }

    /** {@code out_i = max(0, x_i . w)} over {@code n} rows of length {@code d}. */
    public static void forward(final float[] x, final int n, final int d, final float[] w, final float[] out) {
        for (int i = 0; i < n; i++) {
            float z = 0;
            for (int j = 0; j < d; j++) {
                z += x[i * d + j] * w[j];
            }
            out[i] = Math.max(0f, z);
        }
    }

    /**
     * Gradient of the ReLU loss over {@code count} rows listed in {@code rows} (or rows 0..count-1 when
     * {@code rows} is null), into {@code g}; {@code coefficients} is scratch of length count.
     *
     * @return the loss
     */
    public static double gradient(final float[] x, final int d, final float[] y, final float[] w, final int[] rows,
                                  final int count, final float[] coefficients, final float[] g) {
        double loss = 0;
        for (int k = 0; k < count; k++) {
            final int i = rows == null ? k : rows[k];
            float z = 0;
            for (int j = 0; j < d; j++) {
                z += x[i * d + j] * w[j];
            }
            final float r = Math.max(0f, z) - y[i];
            final float derivative = z > 0 ? 1f : z == 0 ? 0.5f : 0f;
            coefficients[k] = derivative * r / count;
            loss += (double) r * r;
        }
        Arrays.fill(g, 0f);
        for (int k = 0; k < count; k++) {
            final int i = rows == null ? k : rows[k];
            final float c = coefficients[k];
            for (int j = 0; j < d; j++) {
                g[j] += c * x[i * d + j];
            }
        }
        return loss / (2.0 * count);
    }
}
