package org.reluq.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.reluq.kernels.random.Gaussian;
import org.reluq.kernels.random.RandomStream;

/**
 * The ziggurat's output is standard normal, checked as hypothesis tests with fixed seeds. Each test's
 * false-alarm rate (the probability a correct generator fails it) is stated; all are at most 1e-4.
 */
class GaussianTest {

    private static final int N = 1 << 20;

    private static float[] draws(final long seed) {
        final float[] out = new float[N];
        Gaussian.fill(seed, RandomStream.DATA, 3, out, 0, N);
        return out;
    }

    @Test
    void meanAndVarianceAreThoseOfAStandardNormal() {
        final float[] x = draws(11);
        double sum = 0;
        double squares = 0;
        double fourth = 0;
        for (final float v : x) {
            sum += v;
            squares += (double) v * v;
            fourth += (double) v * v * v * v;
        }
        final double mean = sum / N;
        final double variance = squares / N - mean * mean;
        // |z| > 4.5 has probability 6.8e-6 under the null: mean ~ N(0, 1/N), variance ~ N(1, 2/N), E x^4 = 3 (var 96/N)
        assertEquals(0, mean, 4.5 / Math.sqrt(N), "mean");
        assertEquals(1, variance, 4.5 * Math.sqrt(2.0 / N), "variance");
        assertEquals(3, fourth / N, 4.5 * Math.sqrt(96.0 / N), "fourth moment");
    }

    @Test
    void kolmogorovSmirnovAcceptsTheNormalDistribution() {
        final float[] x = draws(12);
        Arrays.sort(x);
        double d = 0;
        for (int i = 0; i < N; i++) {
            final double cdf = NormalDistribution.cdf(x[i]);
            d = Math.max(d, Math.max(cdf - (double) i / N, (i + 1.0) / N - cdf));
        }
        // Kolmogorov's limit: P(sqrt(N) D > 2.0) = 1.3e-3 ... > 2.2 is about 1.1e-4
        assertTrue(Math.sqrt(N) * d < 2.2, "KS statistic sqrt(N) D = " + Math.sqrt(N) * d);
    }

    @Test
    void tailBeyondTheBaseLayerHasTheRightMass() {
        final float[] x = draws(13);
        int tail = 0;
        for (final float v : x) {
            if (Math.abs(v) > 3.442619855899) {
                tail++;
            }
        }
        final double p = 2 * (1 - NormalDistribution.cdf(3.442619855899));
        final double expected = p * N;
        // binomial count, normal approximation, 4.5 sigma (false alarm 6.8e-6)
        assertEquals(expected, tail, 4.5 * Math.sqrt(expected * (1 - p)), "draws beyond R");
    }

    @Test
    void samplesAreIndependentOfHowTheRangeIsSplit() {
        final float[] whole = new float[1000];
        Gaussian.fill(99, RandomStream.TRUTH, 5, whole, 0, 1000);
        for (int cut : new int[] {1, 3, 17, 500, 999}) {
            final float[] parts = new float[1000];
            Gaussian.fill(99, RandomStream.TRUTH, 5, parts, 0, cut);
            Gaussian.fill(99, RandomStream.TRUTH, 5 + cut, parts, cut, 1000 - cut);
            assertEquals(Arrays.toString(whole), Arrays.toString(parts), "split at " + cut);
        }
        for (int i = 0; i < 1000; i += 97) {
            assertEquals(whole[i], Gaussian.sample(99, RandomStream.TRUTH, 5 + i));
        }
    }

    @Test
    void neighbouringDrawsAreUncorrelated() {
        final float[] x = draws(14);
        double lag1 = 0;
        for (int i = 1; i < N; i++) {
            lag1 += (double) x[i] * x[i - 1];
        }
        // lag-1 sample correlation ~ N(0, 1/N) under independence; 4.5 sigma
        assertEquals(0, lag1 / N, 4.5 / Math.sqrt(N));
    }
}
