package org.reluq.cli.compare;

import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.encoder.EncoderState;
import org.reluq.kernels.memory.OffHeapVector;

/**
 * What one encoder does to a sample of gradients, measured in this process.
 *
 * @param spec             the encoder's spec
 * @param bitsPerCoordinate frame bits a coordinate, headers included, over the sample
 * @param varianceFactor   the mean over gradients and dither streams of {@code ||Q(g) - g||^2 / ||g||^2}
 * @param varianceError    its standard error
 * @param bound            the factor the encoder states ({@link Encoder#varianceFactor}), NaN for biased ones
 * @param unbiased         whether the encoder says it is unbiased
 * @param biasZ            the z-score of the mean error along the gradient's signs over the dither streams (first
 *                         gradient): {@code sum_t sum_j sign(g_j) e_tj / sqrt(T sum_j var_j)}, normal by the central
 *                         limit theorem over T d terms for an unbiased encoder, negative for one that shrinks
 *                         towards 0; NaN where the frames do not vary with the stream. (A per-coordinate maximum
 *                         of |z| is not used: a coordinate that rarely rounds up is far from normal at a few
 *                         hundred streams, and it raised false alarms.)
 * @param biasZLimit       the |z| an unbiased encoder exceeds with probability 1e-3 (two-sided normal)
 * @param encodeNanos      nanoseconds a coordinate to encode, one thread, warmed (median of timed calls)
 * @param decodeNanos      nanoseconds a coordinate to decode
 */
public record EncoderMeasurement(String spec, double bitsPerCoordinate, double varianceFactor, double varianceError,
                                 double bound, boolean unbiased, double biasZ, double biasZLimit,
                                 double encodeNanos, double decodeNanos) {

    /** Seed of every dither stream the measurement draws. */
    static final long SEED = 0x5EEDL;

    /**
     * Measures an encoder on the sample: {@code streams} dither streams per gradient for the statistics, and timed
     * rounds of encodes and decodes of the first gradient until {@code timingNanos} have passed (after as long
     * again to warm up).
     */
    public static EncoderMeasurement of(final Encoder encoder, final GradientSample sample, final int streams,
                                        final long timingNanos) {
        final int d = sample.dimension();
        final List<float[]> gradients = sample.gradients();
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[encoder.maxFrameBytes(d)]);
        long bytes = 0;
        long frames = 0;
        double sum = 0;
        double sumSquares = 0;
        int n = 0;
        final double[] meanError = new double[d];
        final double[] errorSquares = new double[d];
        try (OffHeapVector g = OffHeapVector.allocate(d); OffHeapVector q = OffHeapVector.allocate(d)) {
            for (int i = 0; i < gradients.size(); i++) {
                g.copyFrom(gradients.get(i));
                double norm = 0;
                for (final float x : gradients.get(i)) {
                    norm += (double) x * x;
                }
                for (int t = 0; t < streams; t++) {
                    // a fresh state per frame: a stateful encoder's first round, which its statistics describe
                    try (EncoderState state = encoder.newState(d)) {
                        final int length = encoder.encode(g, SEED, (long) i * streams + t, state, frame, 0);
                        encoder.decode(frame, 0, length, state, q);
                        bytes += length;
                        frames++;
                    }
                    double error = 0;
                    for (int j = 0; j < d; j++) {
                        final double e = (double) q.get(j) - gradients.get(i)[j];
                        error += e * e;
                        if (i == 0) {
                            meanError[j] += e;
                            errorSquares[j] += e * e;
                        }
                    }
                    if (norm > 0) {
                        final double ratio = error / norm;
                        sum += ratio;
                        sumSquares += ratio * ratio;
                        n++;
                    }
                }
            }
            double signed = 0;
            double variances = 0;
            final float[] first = gradients.getFirst();
            for (int j = 0; j < d; j++) {
                final double mean = meanError[j] / streams;
                variances += Math.max(0, (errorSquares[j] - streams * mean * mean) / Math.max(1, streams - 1));
                signed += Math.signum(first[j]) * meanError[j];
            }
            final boolean varies = variances > 0;
            final double mean = n == 0 ? 0 : sum / n;
            final double error = n < 2 ? 0 : Math.sqrt(Math.max(0, (sumSquares - n * mean * mean) / (n - 1)) / n);
            final double[] times = Timing.encodeDecode(encoder, g, timingNanos);
            return new EncoderMeasurement(encoder.spec(), 8.0 * bytes / frames / d, mean, error,
                    encoder.unbiased() ? encoder.varianceFactor(d) : Double.NaN, encoder.unbiased(),
                    varies ? signed / Math.sqrt(streams * variances) : Double.NaN, Timing.twoSidedZ(1e-3),
                    times[0] / d, times[1] / d);
        }
    }
}
