package org.reluq.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.encoder.EncoderState;
import org.reluq.kernels.encoder.Encoders;
import org.reluq.kernels.memory.OffHeapVector;

/**
 * Every unbiased encoder, through its frames: {@code E[Q(v)] = v} and {@code E||Q(v) - v||^2 <= omega ||v||^2} with
 * the factor omega it states ({@link Encoder#varianceFactor}), as hypothesis tests over independent dither
 * streams, on a Gaussian vector and on one of equal magnitudes (the worst case of stochastic rounding). Fixed
 * seeds, so a run is reproducible; the false-alarm rates (the chance that a correct encoder fails) are stated per
 * test.
 */
class EncoderStatisticsTest {

    private static final int D = 64;
    private static final int TRIALS = 4000;

    private static float[] vector(final boolean equal, final long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        final float[] v = new float[D];
        for (int j = 0; j < D; j++) {
            v[j] = equal ? (random.nextBoolean() ? 0.3f : -0.3f) : (float) random.nextGaussian();
        }
        return v;
    }

    /** The decoded vectors of TRIALS frames of v, each with its own dither stream. */
    private static double[][] decodings(final Encoder encoder, final float[] v) {
        final double[][] out = new double[TRIALS][];
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[encoder.maxFrameBytes(D)]);
        try (OffHeapVector g = OffHeapVector.of(v); OffHeapVector decoded = OffHeapVector.allocate(D);
             EncoderState state = encoder.newState(D)) {
            for (int t = 0; t < TRIALS; t++) {
                final int length = encoder.encode(g, 41, t, state, frame, 0);
                encoder.decode(frame, 0, length, state, decoded);
                out[t] = new double[D];
                for (int j = 0; j < D; j++) {
                    out[t][j] = decoded.get(j);
                }
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"fp32", "qsgd:s=1,bucket=none", "qsgd:s=4,bucket=16", "qsgd:s=2,bucket=none,norm=max",
        "qsgd:s=4,bucket=16,levels=exp", "qsgd:s=6,bucket=none,norm=max,levels=exp,code=rans",
        "qsgd:s=4,bucket=16,dither=16", "qsgd:s=1,bucket=none,norm=max,dither=16", "qsgd:s=3,bucket=7,code=elias",
        "natural", "terngrad:bucket=none,clip=none", "terngrad:bucket=8,clip=none", "randk:k=8", "randk:k=40"})
    void unbiasedEncodersAreUnbiasedWithinTheirVarianceBound(final String spec) {
        final Encoder encoder = Encoders.parse(spec);
        assertTrue(encoder.unbiased(), spec + " says it is unbiased");
        final double bound = encoder.varianceFactor(D);
        for (final boolean equal : new boolean[] {false, true}) {
            final float[] v = vector(equal, 5);
            final double[][] q = decodings(encoder, v);
            double squares = 0;
            for (final float x : v) {
                squares += (double) x * x;
            }
            // unbiasedness, coordinate by coordinate: the mean of TRIALS decodings against v_j with the sample
            // standard deviation; |z| > 5 has probability 5.7e-7 under the normal approximation, so 7.3e-5 for the
            // 2 x 64 coordinates of an encoder. A coordinate that never varies must decode to v_j exactly (up to the
            // float rounding of a scaled value, 1e-6 relative).
            final double[] ratio = new double[TRIALS];
            for (int j = 0; j < D; j++) {
                double sum = 0;
                double sumSquares = 0;
                for (int t = 0; t < TRIALS; t++) {
                    sum += q[t][j];
                    sumSquares += q[t][j] * q[t][j];
                }
                final double mean = sum / TRIALS;
                final double sd = Math.sqrt(Math.max(0, (sumSquares - TRIALS * mean * mean) / (TRIALS - 1)));
                assertEquals(v[j], mean, 5 * sd / Math.sqrt(TRIALS) + 1e-6 * Math.abs(v[j]),
                        spec + (equal ? " equal" : " gaussian") + ": E[Q(v)_" + j + "]");
            }
            for (int t = 0; t < TRIALS; t++) {
                double error = 0;
                for (int j = 0; j < D; j++) {
                    error += (q[t][j] - v[j]) * (q[t][j] - v[j]);
                }
                ratio[t] = error / squares;
            }
            // the variance bound, one-sided: the mean ratio exceeds its expectation by 5 standard errors with
            // probability 2.9e-7, so a correct bound fails at that rate. The bounds are exact-arithmetic ones, some
            // attained (randk on equal magnitudes: d/n - 1 in every draw); decoded values are float32, rounded by at
            // most 2^-24 relative, which moves the ratio by about 1e-7 relative: allowed as 1e-6
            final double allowed = bound * (1 + 1e-6);
            double mean = 0;
            for (final double r : ratio) {
                mean += r / TRIALS;
            }
            double variance = 0;
            for (final double r : ratio) {
                variance += (r - mean) * (r - mean) / (TRIALS - 1);
            }
            assertTrue(mean - 5 * Math.sqrt(variance / TRIALS) <= allowed, spec + (equal ? " equal" : " gaussian")
                    + ": E||Q(v)-v||^2 / ||v||^2 = " + mean + " above the stated " + bound);
        }
    }
}
