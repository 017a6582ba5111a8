package org.reluq.cli.compare;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.agrona.concurrent.UnsafeBuffer;
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.encoder.EncoderState;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.parallel.KernelPool;

/** In-process timings of encode and decode, warmed; JMH's {@code EncoderBenchmark} has the precise figures. */
final class Timing {

    private Timing() {
    }

    /** Calls of a warm-up at the least, so that C2 has compiled the vector code (10 000 invocations of a loop). */
    private static final int WARMUP_CALLS = 3_000;

    /**
     * A buffer for one frame of the encoder at dimension d, off the heap as a worker's or a network buffer is: the
     * vector kernels box every vector they read from a frame in a {@code byte[]} (fp32's decode allocated 6.6 KB a
     * call at d = 1024 and took 3.5 ns a coordinate instead of 0.7).
     */
    static UnsafeBuffer frameBuffer(final Encoder encoder, final int d) {
        return new UnsafeBuffer(ByteBuffer.allocateDirect(encoder.maxFrameBytes(d)));
    }

    /** Encode and decode times a coordinate. */
    record EncodeDecode(TimeSpread encode, TimeSpread decode) {
    }

    /**
     * One encode and one decode of g on the calling thread, timed for {@code nanos} each after a warm-up of
     * {@link #WARMUP_CALLS} calls and {@code nanos} (at most 20 {@code nanos}); one state, reused, as a worker's is.
     */
    static EncodeDecode encodeDecode(final Encoder encoder, final OffHeapVector g, final long nanos) {
        final int d = g.length();
        final UnsafeBuffer frame = Timing.frameBuffer(encoder, d);
        try (EncoderState state = encoder.newState(d); OffHeapVector out = OffHeapVector.allocate(d)) {
            final int length = encoder.encode(g, EncoderMeasurement.SEED, 0, state, frame, 0);
            final Runnable encode = () -> encoder.encode(g, EncoderMeasurement.SEED, 1, state, frame, 0);
            final Runnable decode = () -> encoder.decode(frame, 0, length, state, out);
            warm(encode, nanos);
            final TimeSpread encodeNanos = spread(encode, nanos).scaled(1.0 / d);
            // the frame the decode rounds read is the one encode last wrote: the same length for one g
            encoder.encode(g, EncoderMeasurement.SEED, 0, state, frame, 0);
            warm(decode, nanos);
            return new EncodeDecode(encodeNanos, spread(decode, nanos).scaled(1.0 / d));
        }
    }

    /**
     * The same on the pool's T threads: one encode of g with the work spread over the pool (the frame a worker with
     * T cores sends), and T decodes of its frame at once, one a thread, each into its own vector (an aggregator
     * decoding T workers' frames), whose time is given a coordinate of all T frames.
     */
    static EncodeDecode onThreads(final Encoder encoder, final OffHeapVector g, final long nanos,
                                  final KernelPool pool) {
        final int d = g.length();
        final int threads = pool.threads();
        final UnsafeBuffer frame = Timing.frameBuffer(encoder, d);
        final EncoderState[] states = new EncoderState[threads];
        final OffHeapVector[] outs = new OffHeapVector[threads];
        try {
            for (int t = 0; t < threads; t++) {
                states[t] = encoder.newState(d);
                outs[t] = OffHeapVector.allocate(d);
            }
            final int length = encoder.encode(g, EncoderMeasurement.SEED, 0, states[0], frame, 0);
            final Runnable encode = () -> encoder.encode(g, EncoderMeasurement.SEED, 1, states[0], frame, 0, pool);
            warm(encode, nanos);
            final TimeSpread encodeNanos = spread(encode, nanos).scaled(1.0 / d);
            encoder.encode(g, EncoderMeasurement.SEED, 0, states[0], frame, 0);
            final Runnable decode = () -> pool.run(threads, (task, worker) ->
                    encoder.decode(frame, 0, length, states[task], outs[task]));
            warm(decode, nanos);
            return new EncodeDecode(encodeNanos, spread(decode, nanos).scaled(1.0 / ((double) threads * d)));
        } finally {
            for (int t = 0; t < threads; t++) {
                if (states[t] != null) {
                    states[t].close();
                }
                if (outs[t] != null) {
                    outs[t].close();
                }
            }
        }
    }

    /**
     * Calls {@code call} {@link #WARMUP_CALLS} times and for {@code nanos}, then on until the median of a window of
     * {@code nanos / 8} of calls is within 5% of the window's before, at most 20 {@code nanos} in all: a kernel that
     * C2 is still compiling after a fixed warm-up (fp32's decode, first in a run, was 3.9 ns a coordinate after
     * 200 000 calls and 0.7 later) would otherwise be timed half-compiled.
     */
    private static void warm(final Runnable call, final long nanos) {
        final long start = System.nanoTime();
        for (int n = 0; n < WARMUP_CALLS || System.nanoTime() - start < nanos; n++) {
            call.run();
            if (System.nanoTime() - start > 20 * nanos) {
                return;
            }
        }
        double previous = spread(call, nanos / 8).median();
        while (System.nanoTime() - start < 20 * nanos) {
            final double median = spread(call, nanos / 8).median();
            if (Math.abs(median - previous) <= 0.05 * previous) {
                return;
            }
            previous = median;
        }
    }

    /** The median and quartiles of single calls' times over {@code nanos} of calls (at least 5). */
    private static TimeSpread spread(final Runnable call, final long nanos) {
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
        return new TimeSpread(times[n / 2], times[n / 4], times[3 * n / 4]);
    }

    /** Median nanoseconds of {@code call}, warmed as above: for the planted model's gradient. */
    static TimeSpread of(final Runnable call, final long nanos) {
        warm(call, nanos);
        return spread(call, nanos);
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
