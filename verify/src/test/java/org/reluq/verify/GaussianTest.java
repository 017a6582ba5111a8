package org.reluq.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.reluq.kernels.random.Gaussian;
import org.reluq.kernels.random.GaussianWorkspace;
import org.reluq.kernels.random.RandomStream;

/**
 * The standard normals: the vector generator gives the reference's bits exactly (at every vector width: the
 * class runs in the forced-species executions), and the output is standard normal, checked as hypothesis
 * tests with fixed seeds. Each statistical test's false-alarm rate (the probability a correct generator
 * fails it) is stated; all are at most about 1e-4.
 */
@Tag("species")
class GaussianTest {

    private static final int N = 1 << 22;

    private static float[] draws(final long seed, final int count) {
        final float[] out = new float[count];
        Gaussian.fill(seed, RandomStream.DATA, 3, out, 0, count);
        return out;
    }

    @Test
    void vectorFillGivesTheReferenceBitsOnAwkwardRanges() {
        final long[] firsts = {0, 1, 2, 3, 5, 63, 1000, (1L << 33) + 7};
        final int[] counts = {0, 1, 2, 3, 4, 5, 15, 16, 17, 31, 33, 127, 128, 129, 255, 257, 1000, 4099};
        try (Arena arena = Arena.ofConfined(); GaussianWorkspace workspace = new GaussianWorkspace()) {
            final MemorySegment out = arena.allocate(4L * 4099 + 12, 64);
            for (final long first : firsts) {
                for (final int count : counts) {
                    for (final long offset : new long[] {0, 4, 12}) {
                        Gaussian.fill(0xC0FFEEL + first, RandomStream.TRUTH, first, count, out, offset, workspace);
                        final float[] expected = ReferenceGaussian.samples(0xC0FFEEL + first, RandomStream.TRUTH, first,
                                count);
                        for (int i = 0; i < count; i++) {
                            final float got = out.get(ValueLayout.JAVA_FLOAT_UNALIGNED, offset + 4L * i);
                            if (Float.floatToRawIntBits(got) != Float.floatToRawIntBits(expected[i])) {
                                throw new AssertionError("element " + (first + i) + " of [" + first + ", +" + count
                                        + ") at byte " + offset + ": " + got + " != reference " + expected[i]);
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * A million draws hold about 29 000 that fail the rectangle test, 13 000 rejected in their wedge, a few
     * hundred in the tail beyond R and a few hundred rejected twice: every branch of the slow path, compared
     * bit for bit with the reference and with the one-element definition.
     */
    @Test
    void everyPathOfTheSlowDrawsGivesTheReferenceBits() {
        final int count = 1 << 20;
        final float[] vector = new float[count];
        Gaussian.fill(77, RandomStream.DATA, 0, vector, 0, count);
        int tail = 0;
        for (int i = 0; i < count; i++) {
            final float expected = ReferenceGaussian.sample(77, RandomStream.DATA, i);
            assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(vector[i]), "element " + i);
            if (i % 16 == 0) {
                assertEquals(Float.floatToRawIntBits(expected),
                        Float.floatToRawIntBits(Gaussian.sample(77, RandomStream.DATA, i)), "sample(" + i + ")");
            }
            tail += Math.abs(vector[i]) > 3.442619855899 ? 1 : 0;
        }
        assertTrue(tail > 100, "the tail beyond R was exercised: " + tail + " draws");
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
    }

    @Test
    void theDensityIsExpToAFewUnitsInTheLastPlace() {
        for (int i = 0; i <= 1_000_000; i++) {
            final double x = (float) (3.442619855899 * i / 1_000_000);
            final double exact = StrictMath.exp(-0.5 * x * x);
            // StrictMath is within 1 ulp of exp; the definition's density within 2 of StrictMath
            assertEquals(exact, ReferenceGaussian.density(x), 2 * Math.ulp(exact), "x = " + x);
        }
    }

    @Test
    void meanAndVarianceAreThoseOfAStandardNormal() {
        final float[] x = draws(11, N);
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
        final float[] x = draws(12, N);
        Arrays.sort(x);
        double d = 0;
        for (int i = 0; i < N; i++) {
            final double cdf = NormalDistribution.cdf(x[i]);
            d = Math.max(d, Math.max(cdf - (double) i / N, (i + 1.0) / N - cdf));
        }
        // Kolmogorov's limit: P(sqrt(N) D > 2.2) is about 1.1e-4 (the CDF's 1.2e-7 error is 0.0002 in sqrt(N) D)
        assertTrue(Math.sqrt(N) * d < 2.2, "KS statistic sqrt(N) D = " + Math.sqrt(N) * d);
    }

    /**
     * Pearson's chi-square over 40 bins of width 0.2 on [-4, 4] and the two tails beyond: 41 degrees of
     * freedom, every expected count above 100 (the CDF's relative error of 1.2e-7 moves none by more than
     * 0.5). The 1 - 1e-4 quantile of chi-square(41), by Wilson and Hilferty's approximation, is about 82.
     */
    @Test
    void chiSquareAcceptsTheNormalDistributionIncludingItsTails() {
        final float[] x = draws(15, N);
        final int bins = 42;
        final long[] observed = new long[bins];
        for (final float v : x) {
            observed[v < -4 ? 0 : v >= 4 ? bins - 1 : 1 + (int) ((v + 4) / 0.2)]++;
        }
        double chi2 = 0;
        for (int b = 0; b < bins; b++) {
            final double low = -4 + 0.2 * (b - 1);
            final double high = -4 + 0.2 * b;
            final double p = (b == bins - 1 ? 1 : NormalDistribution.cdf(high)) - (b == 0 ? 0 : NormalDistribution.cdf(low));
            final double expected = p * N;
            assertTrue(expected >= 100, "bin " + b + " expects " + expected);
            chi2 += (observed[b] - expected) * (observed[b] - expected) / expected;
        }
        final int dof = bins - 1;
        final double z = 3.719;
        final double quantile = dof * Math.pow(1 - 2.0 / (9 * dof) + z * Math.sqrt(2.0 / (9 * dof)), 3);
        assertTrue(chi2 < quantile, "chi-square " + chi2 + " above the 1e-4 quantile " + quantile);
    }

    /**
     * The mass beyond the base strip's R = 3.44 (drawn by the ziggurat's tail algorithm) and beyond 4.5: binomial
     * counts at 4.5 sigma in the normal approximation (false alarm 6.8e-6 each).
     */
    @Test
    void tailsBeyondTheBaseStripHaveTheRightMass() {
        final float[] x = draws(13, N);
        for (final double edge : new double[] {3.442619855899, 4.0, 4.5}) {
            int tail = 0;
            for (final float v : x) {
                if (Math.abs(v) > edge) {
                    tail++;
                }
            }
            final double p = 2 * (1 - NormalDistribution.cdf(edge));
            final double expected = p * N;
            assertEquals(expected, tail, 4.5 * Math.sqrt(expected * (1 - p)), "draws beyond " + edge);
        }
    }

    @Test
    void neighbouringDrawsAreUncorrelated() {
        final float[] x = draws(14, N);
        for (final int lag : new int[] {1, 4, 16}) {
            double sum = 0;
            for (int i = lag; i < N; i++) {
                sum += (double) x[i] * x[i - lag];
            }
            // the lag sample correlation ~ N(0, 1/N) under independence; 4.5 sigma
            assertEquals(0, sum / N, 4.5 / Math.sqrt(N), "lag " + lag);
        }
    }
}
