package org.reluq.bench.baseline;

import dev.ludovic.netlib.blas.BLAS;

/**
 * The ReLU gradient as a BLAS user writes it: {@code z = X w} (sgemv), the residual and mask in a
 * scalar loop, {@code g = X^T c} (sgemv). X is a flat row-major float[], which BLAS sees as the
 * column-major d x n matrix X^T. netlib picks its Vector API implementation when the JVM runs with
 * jdk.incubator.vector, which the benchmark forks do.
 */
public final class BlasRelu {

    private static final BLAS BLAS_INSTANCE = BLAS.getInstance();

    private BlasRelu() {
    }

    /** The BLAS implementation netlib chose, for reports. */
    public static String implementation() {
        return BLAS_INSTANCE.getClass().getName();
    }

    /** {@code out = max(0, X w)}. */
    public static void forward(final float[] x, final int n, final int d, final float[] w, final float[] out) {
        BLAS_INSTANCE.sgemv("T", d, n, 1f, x, d, w, 1, 0f, out, 1);
        for (int i = 0; i < n; i++) {
            out[i] = Math.max(0f, out[i]);
        }
    }

    /**
     * Gradient over all {@code n} rows into {@code g}; {@code z} is scratch of length n.
     *
     * @return the loss
     */
    public static double gradient(final float[] x, final int n, final int d, final float[] y, final float[] w,
                                  final float[] z, final float[] g) {
        BLAS_INSTANCE.sgemv("T", d, n, 1f, x, d, w, 1, 0f, z, 1);
        double loss = 0;
        for (int i = 0; i < n; i++) {
            final float zi = z[i];
            final float r = Math.max(0f, zi) - y[i];
            loss += (double) r * r;
            z[i] = (zi > 0 ? 1f : zi == 0 ? 0.5f : 0f) * r;
        }
        BLAS_INSTANCE.sgemv("N", d, n, 1f / n, x, d, z, 1, 0f, g, 1);
        return loss / (2.0 * n);
    }
}
