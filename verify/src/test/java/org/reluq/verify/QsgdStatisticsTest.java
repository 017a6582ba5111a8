package org.reluq.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.reluq.kernels.random.Dithers;

/**
 * QSGD's statistical guarantees (docs/design.md, "The mathematics every module shares"), as hypothesis
 * tests with fixed seeds. For each
 * setting the exact expectation is computed from the definition (the rounding probabilities p_j are
 * known), the paper's bound is checked against it, and the empirical mean over independent dither
 * streams is tested against it. False-alarm rates (the chance a correct quantizer fails) are stated per
 * test; none exceeds 1e-4. The quantizer under test is the reference, which the exactness test pins to
 * the vector kernel bit for bit.
 */
class QsgdStatisticsTest {

    private static final int TRIALS = 20_000;

    /** Per coordinate: the magnitude, the bucket's N / s, and the probability of rounding up. */
    private record Rounding(double[] unit, double[] floor, double[] up) {
    }

    private static Rounding rounding(final float[] v, final int s, final int bucket) {
        final int d = v.length;
        final int length = bucket == 0 ? d : bucket;
        final double[] unit = new double[d];
        final double[] floor = new double[d];
        final double[] up = new double[d];
        for (int j = 0; j < d; j++) {
            final int start = j / length * length;
            final float norm = (float) Math.sqrt(ReferenceQsgd.squaredNorm(v, start, Math.min(d, start + length) - start));
            final float r = Math.abs(v[j]) * (s / norm);
            unit[j] = norm / s;
            floor[j] = Math.floor(r);
            up[j] = r - Math.floor(r);
        }
        return new Rounding(unit, floor, up);
    }

    private static float[] gaussian(final int d, final long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        final float[] v = new float[d];
        for (int j = 0; j < d; j++) {
            v[j] = (float) random.nextGaussian();
        }
        return v;
    }

    private static float[] equalMagnitudes(final int d) {
        final float[] v = new float[d];
        for (int j = 0; j < d; j++) {
            v[j] = j % 3 == 0 ? -1f : 1f;
        }
        return v;
    }

    @ParameterizedTest(name = "s={0} bucket={1}")
    @CsvSource({"1, 0", "4, 0", "4, 16", "16, 7"})
    void theDecodedVectorIsUnbiased(final int s, final int bucket) {
        final float[] v = gaussian(64, 3);
        final Rounding rounding = rounding(v, s, bucket);
        final double[] sum = new double[v.length];
        for (int t = 0; t < TRIALS; t++) {
            final double[] q = ReferenceQsgd.decode(ReferenceQsgd.quantize(v, s, bucket, 99, t), s, bucket);
            for (int j = 0; j < v.length; j++) {
                sum[j] += q[j];
            }
        }
        for (int j = 0; j < v.length; j++) {
            final double p = rounding.up()[j];
            final double sd = rounding.unit()[j] * Math.sqrt(p * (1 - p) / TRIALS);
            // float rounding of r moves the mean by a few ulps of v_j; |z| > 5 has probability 5.7e-7 per
            // coordinate, 3.7e-5 for the 64
            final double tolerance = 5 * sd + 1e-6 * Math.abs(v[j]);
            assertEquals(v[j], sum[j] / TRIALS, tolerance, "E[Q(v)_" + j + "]");
        }
    }

    @ParameterizedTest(name = "s={0} bucket={1} equal={2}")
    @CsvSource({"1, 0, false", "1, 0, true", "2, 0, true", "4, 0, false", "16, 0, false", "4, 512, false",
        "1, 64, true", "8, 100, true"})
    void varianceAndNonzerosStayWithinThePapersBounds(final int s, final int bucket, final boolean equal) {
        final int d = 1024;
        final float[] v = equal ? equalMagnitudes(d) : gaussian(d, 4);
        final Rounding rounding = rounding(v, s, bucket);
        final int length = bucket == 0 ? d : bucket;
        // exact expectations from the definition, checked against the bounds per bucket
        double expectedError = 0;
        double expectedNonzeros = 0;
        double errorBound = 0;
        double nonzeroBound = 0;
        for (int start = 0; start < d; start += length) {
            final int b = Math.min(length, d - start);
            double error = 0;
            double squares = 0;
            double nonzeros = 0;
            for (int j = start; j < start + b; j++) {
                final double p = rounding.up()[j];
                error += rounding.unit()[j] * rounding.unit()[j] * p * (1 - p);
                nonzeros += rounding.floor()[j] >= 1 ? 1 : p;
                squares += (double) v[j] * v[j];
            }
            final double bucketErrorBound = Math.min((double) b / (s * s), Math.sqrt(b) / s) * squares;
            final double bucketNonzeroBound = s * (s + Math.sqrt(b));
            assertTrue(error <= bucketErrorBound * (1 + 1e-6), "E||Q(v)-v||^2 = " + error + " > " + bucketErrorBound);
            assertTrue(nonzeros <= bucketNonzeroBound, "E[nonzeros] = " + nonzeros + " > " + bucketNonzeroBound);
            expectedError += error;
            expectedNonzeros += nonzeros;
            errorBound += bucketErrorBound;
            nonzeroBound += bucketNonzeroBound;
        }
        final int trials = 2000;
        final double[] errors = new double[trials];
        final double[] nonzeros = new double[trials];
        for (int t = 0; t < trials; t++) {
            final ReferenceQsgd.Quantized quantized = ReferenceQsgd.quantize(v, s, bucket, 17, t);
            final double[] q = ReferenceQsgd.decode(quantized, s, bucket);
            for (int j = 0; j < d; j++) {
                errors[t] += (q[j] - v[j]) * (q[j] - v[j]);
                nonzeros[t] += quantized.codes()[j] == 0 ? 0 : 1;
            }
        }
        // means over 2000 independent draws against the exact expectations: |z| > 5 has probability 5.7e-7
        assertWithin(expectedError, errors, "||Q(v)-v||^2 (bound " + errorBound + ")");
        assertWithin(expectedNonzeros, nonzeros, "nonzeros (bound " + nonzeroBound + ")");
    }

    private static void assertWithin(final double expected, final double[] samples, final String what) {
        final double mean = Arrays.stream(samples).average().orElseThrow();
        final double variance = Arrays.stream(samples).map(x -> (x - mean) * (x - mean)).sum() / (samples.length - 1);
        final double se = Math.sqrt(variance / samples.length);
        assertEquals(expected, mean, 5 * se + 1e-9 * Math.abs(expected), what);
    }

    /**
     * QSGD's Theorem 3.2 (Alistarh et al., NeurIPS 2017): the Elias-coded Q_s(v) of v in R^n takes in
     * expectation at most {@code (3 + (3/2 + o(1)) log2(2(s^2 + n) / (s(s + sqrt n)))) s(s + sqrt n) + 32} bits.
     * reluq's stream also carries omega(nonzeros + 1), which the theorem's code leaves out, so those bits
     * are subtracted before comparing (and the o(1) is taken as 0, which only tightens the bound).
     */
    @ParameterizedTest(name = "s={0}")
    @CsvSource({"1", "2", "4", "16", "64"})
    void eliasFramesStayWithinTheorem32(final int s) {
        final int n = 1024;
        final float[] v = gaussian(n, 9);
        final org.reluq.kernels.encoder.Encoder encoder =
                org.reluq.kernels.encoder.Encoders.parse("qsgd:s=" + s + ",bucket=none,code=elias");
        final org.agrona.concurrent.UnsafeBuffer frame =
                new org.agrona.concurrent.UnsafeBuffer(new byte[encoder.maxFrameBytes(n)]);
        final int trials = 400;
        final double[] bits = new double[trials];
        try (org.reluq.kernels.memory.OffHeapVector g = org.reluq.kernels.memory.OffHeapVector.of(v);
             org.reluq.kernels.encoder.EncoderState state = encoder.newState(n)) {
            for (int t = 0; t < trials; t++) {
                final int length = encoder.encode(g, 3, t, state, frame, 0);
                final ReferenceQsgd.Quantized q = ReferenceQsgd.quantize(v, s, 0, 3, t);
                final int nonzeros = (int) Arrays.stream(q.codes()).filter(c -> c != 0).count();
                // payload bits (the last byte's padding counted, so this overstates reluq's cost)
                bits[t] = 8.0 * (length - org.reluq.kernels.encoder.Frame.HEADER_BYTES)
                        - org.reluq.kernels.codec.EliasCodes.omegaLength(nonzeros + 1);
            }
        }
        final double work = s * (s + Math.sqrt(n));
        final double bound = (3 + 1.5 * Math.log(2.0 * (s * (double) s + n) / work) / Math.log(2)) * work + 32;
        final double mean = Arrays.stream(bits).average().orElseThrow();
        final double sd = Math.sqrt(Arrays.stream(bits).map(x -> (x - mean) * (x - mean)).sum() / (trials - 1));
        // the mean of 400 frames exceeds the expectation by 5 standard errors with probability 2.9e-7
        assertTrue(mean - 5 * sd / Math.sqrt(trials) <= bound, "mean bits " + mean + " > bound " + bound);
    }

    @Test
    void dithersAreUniformAndUncorrelated() {
        final int n = 1 << 20;
        final float[] u = new float[n];
        final float[] other = new float[n];
        final float[] chunk = new float[Dithers.CHUNK];
        for (int first = 0; first < n; first += Dithers.CHUNK) {
            Dithers.fillChunk(21, 0, first, chunk, 0, new int[Dithers.WORDS]);
            System.arraycopy(chunk, 0, u, first, Dithers.CHUNK);
            Dithers.fillChunk(21, 1, first, chunk, 0, new int[Dithers.WORDS]);
            System.arraycopy(chunk, 0, other, first, Dithers.CHUNK);
        }
        double lag = 0;
        double cross = 0;
        for (int i = 0; i < n; i++) {
            lag += (u[i] - 0.5) * (u[(i + 1) % n] - 0.5);
            cross += (u[i] - 0.5) * (other[i] - 0.5);
        }
        // correlations of independent uniforms ~ N(0, 1/n) after dividing by Var u = 1/12: |z| > 4.5 is 6.8e-6
        assertEquals(0, lag / n * 12, 4.5 / Math.sqrt(n), "lag-1 correlation within a stream");
        assertEquals(0, cross / n * 12, 4.5 / Math.sqrt(n), "correlation between streams 0 and 1");
        final float[] sorted = u.clone();
        Arrays.sort(sorted);
        double ks = 0;
        for (int i = 0; i < n; i++) {
            ks = Math.max(ks, Math.max(sorted[i] - (double) i / n, (i + 1.0) / n - sorted[i]));
        }
        // Kolmogorov: P(sqrt(n) D > 2.2) is about 1.1e-4 (the 2^-24 grid moves D by at most 6e-8)
        assertTrue(Math.sqrt(n) * ks < 2.2, "KS statistic sqrt(n) D = " + Math.sqrt(n) * ks);
        assertTrue(sorted[0] >= 0 && sorted[n - 1] < 1, "range [" + sorted[0] + ", " + sorted[n - 1] + "]");
    }
}
