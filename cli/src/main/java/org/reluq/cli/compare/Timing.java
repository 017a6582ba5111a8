package org.reluq.cli.compare;

import java.util.Arrays;
import org.agrona.concurrent.UnsafeBuffer;
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.encoder.EncoderState;
import org.reluq.kernels.memory.OffHeapVector;

/** In-process timings of encode and decode, warmed; JMH's {@code EncoderBenchmark} has the precise figures. */
final class Timing {

    private Timing() {
    }

    /** Calls of a warm-up at the least, so that C2 has compiled the vector code (10 000 invocations of a loop). */
    private static final int WARMUP_CALLS = 3_000;

    /**
     * Median nanoseconds of one encode and of one decode of g, from calls timed for {@code nanos} after a warm-up of
     * {@link #WARMUP_CALLS} calls and {@code nanos} (at most 20 {@code nanos}); one state, reused, as a worker's is.
     */
    static double[] encodeDecode(final Encoder encoder, final OffHeapVector g, final long nanos) {
        final int d = g.length();
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[encoder.maxFrameBytes(d)]);
        try (EncoderState state = encoder.newState(d); OffHeapVector out = OffHeapVector.allocate(d)) {
            final int length = encoder.encode(g, EncoderMeasurement.SEED, 0, state, frame, 0);
            final Runnable encode = () -> encoder.encode(g, EncoderMeasurement.SEED, 1, state, frame, 0);
            final Runnable decode = () -> encoder.decode(frame, 0, length, state, out);
            warm(encode, nanos);
            final double encodeNanos = median(encode, nanos);
            // the frame the decode rounds read is the one encode last wrote: the same length for one g
            encoder.encode(g, EncoderMeasurement.SEED, 0, state, frame, 0);
            warm(decode, nanos);
            return new double[] {encodeNanos, median(decode, nanos)};
        }
    }

    private static void warm(final Runnable call, final long nanos) {
        final long start = System.nanoTime();
        for (int n = 0; n < WARMUP_CALLS || System.nanoTime() - start < nanos; n++) {
            call.run();
            if (System.nanoTime() - start > 20 * nanos) {
                return;
            }
        }
    }

    /** The median time of single calls over {@code nanos} of calls (at least 5). */
    private static double median(final Runnable call, final long nanos) {
        long[] times = new long[64];
        int n = 0;
        final long end = System.nanoTime() + nanos;
        while (n < 5 || System.nanoTime() < end) {
            final long start = System.nanoTime();
            call.run();
            if (n == times.length) {
                times = Arrays.copyOf(times, 2 * n);
            }
            times[n++] = System.nanoTime() - start;
        }
        Arrays.sort(times, 0, n);
        return times[n / 2];
    }

    /** The |z| a standard normal variable exceeds with probability {@code alpha}: by bisection on the tail. */
    static double twoSidedZ(final double alpha) {
        final double tail = alpha / 2;
        double lo = 0;
        double hi = 40;
        for (int i = 0; i < 100; i++) {
            final double mid = (lo + hi) / 2;
            if (upperTail(mid) > tail) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * P(Z > z) for a standard normal Z, z >= 0: erfc(z / sqrt 2) / 2 by the Chebyshev fit of Press et al.
     * (Numerical Recipes, erfcc), whose relative error is below 1.2e-7 everywhere, so deep tails are right too.
     */
    private static double upperTail(final double z) {
        final double x = z / Math.sqrt(2);
        final double t = 1 / (1 + 0.5 * x);
        final double exponent = -x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418
                + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223
                + t * 0.17087277))))))));
        return 0.5 * t * Math.exp(exponent);
    }
}
