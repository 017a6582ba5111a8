package org.reluq.cli.compare;

import java.util.List;
import org.agrona.concurrent.UnsafeBuffer;
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.encoder.EncoderState;
import org.reluq.kernels.encoder.SymbolTally;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.parallel.KernelPool;

/**
 * What one encoder does to a sample of gradients, measured in this process.
 *
 * @param spec             the encoder's spec
 * @param bitsPerCoordinate frame bits a coordinate, headers included, over the sample
 * @param entropyPerCoordinate the information in those frames a coordinate ({@link SymbolTally}: each coded
 *                         stream's order-0 empirical entropy over the frames tallied, plus the fields sent as they
 *                         are), so {@code bitsPerCoordinate - entropyPerCoordinate} is the coding's overhead
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
 * @param encode           nanoseconds a coordinate to encode, one thread, warmed (median and quartiles of calls)
 * @param decode           nanoseconds a coordinate to decode, one thread
 * @param threads          T, the threads of the other two timings (1: not measured, they are null)
 * @param encodeOnThreads  nanoseconds a coordinate of one encode spread over T threads
 * @param decodeOnThreads  nanoseconds a coordinate of all frames when T threads each decode one at once
 */
public record EncoderMeasurement(String spec, double bitsPerCoordinate, double entropyPerCoordinate,
                                 double varianceFactor, double varianceError, double bound, boolean unbiased,
                                 double biasZ, double biasZLimit, TimeSpread encode, TimeSpread decode, int threads,
                                 TimeSpread encodeOnThreads, TimeSpread decodeOnThreads) {

    /** Dither streams a gradient whose frames are tallied for the entropy: enough symbols, a bounded cost. */
    public static final int TALLIED_STREAMS = 4;

    /** Seed of every dither stream the measurement draws. */
    static final long SEED = 0x5EEDL;

    /**
     * Measures an encoder on the sample: {@code streams} dither streams per gradient for the statistics, and timed
     * rounds of encodes and decodes of the first gradient until {@code timingNanos} have passed (after as long
     * again to warm up), on one thread and, given a pool of more than one, on its threads.
     */
    public static EncoderMeasurement of(final Encoder encoder, final GradientSample sample, final int streams,
                                        final long timingNanos, final KernelPool pool) {
        final int d = sample.dimension();
        final List<float[]> gradients = sample.gradients();
        final UnsafeBuffer frame = Timing.frameBuffer(encoder, d);
        long bytes = 0;
        long frames = 0;
        double sum = 0;
        double sumSquares = 0;
        int n = 0;
        final double[] meanError = new double[d];
        final double[] errorSquares = new double[d];
        final SymbolTally tally = new SymbolTally();
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
                        if (t < TALLIED_STREAMS) {
                            encoder.tally(frame, 0, length, state, q, tally);
                        } else {
                            encoder.decode(frame, 0, length, state, q);
                        }
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
            final Timing.EncodeDecode one = Timing.encodeDecode(encoder, g, timingNanos);
            final boolean parallel = pool != null && pool.threads() > 1;
            final Timing.EncodeDecode many = parallel ? Timing.onThreads(encoder, g, timingNanos, pool) : null;
            return new EncoderMeasurement(encoder.spec(), 8.0 * bytes / frames / d, tally.bitsPerFrame() / d, mean,
                    error, encoder.unbiased() ? encoder.varianceFactor(d) : Double.NaN, encoder.unbiased(),
                    varies ? signed / Math.sqrt(streams * variances) : Double.NaN, Timing.twoSidedZ(1e-3),
                    one.encode(), one.decode(), parallel ? pool.threads() : 1, parallel ? many.encode() : null,
                    parallel ? many.decode() : null);
        }
    }
}
