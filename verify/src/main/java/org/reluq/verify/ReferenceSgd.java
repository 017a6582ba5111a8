package org.reluq.verify;

import java.util.Arrays;
import org.reluq.kernels.random.Philox4x32;
import org.reluq.kernels.random.RandomStream;

/**
 * Mini-batch SGD with replacement in float64, written independently of the kernels' trainer: plain
 * loops over heap arrays and its own index draw (draw q of the run is row
 * {@code floor(word(q) * n / 2^32)}, word q mod 4 of Philox block q / 4 on the SAMPLING stream), the
 * convention the trainer documents. It sees the same batches as the trainer, so the two can be compared
 * iteration by iteration.
 */
public final class ReferenceSgd {

    private ReferenceSgd() {
    }

    /**
     * Runs SGD from {@code w0} until the relative error reaches {@code target} or the budget runs out.
     *
     * @return the relative error after each iteration, index 0 being w0's
     */
    public static double[] run(final float[][] x, final float[] y, final float[] wStar, final double[] w0,
                               final int batch, final double step, final int budget, final double target,
                               final long seed) {
        final int n = x.length;
        final int d = wStar.length;
        final double[] w = w0.clone();
        final double truthNorm = Math.sqrt(squaredDistance(new double[d], wStar));
        final double[] errors = new double[budget + 1];
        errors[0] = Math.sqrt(squaredDistance(w, wStar)) / truthNorm;
        final int[] block = new int[4];
        final double[] g = new double[d];
        int t = 0;
        while (t < budget && errors[t] > target) {
            Arrays.fill(g, 0);
            for (int k = 0; k < batch; k++) {
                final long q = (long) t * batch + k;
                Philox4x32.block(seed, RandomStream.SAMPLING, q >>> 2, 0, block);
                final int row = (int) (((block[(int) (q & 3)] & 0xFFFF_FFFFL) * n) >>> 32);
                double z = 0;
                for (int j = 0; j < d; j++) {
                    z += w[j] * x[row][j];
                }
                final double c = ReferenceKernels.reluDerivative(z) * (Math.max(0, z) - y[row]) / batch;
                for (int j = 0; j < d; j++) {
                    g[j] += c * x[row][j];
                }
            }
            for (int j = 0; j < d; j++) {
                w[j] -= step * g[j];
            }
            errors[++t] = Math.sqrt(squaredDistance(w, wStar)) / truthNorm;
        }
        return Arrays.copyOf(errors, t + 1);
    }

    private static double squaredDistance(final double[] w, final float[] wStar) {
        double s = 0;
        for (int j = 0; j < w.length; j++) {
            final double e = w[j] - wStar[j];
            s += e * e;
        }
        return s;
    }
}
