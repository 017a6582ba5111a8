package org.reluq.kernels.encoder;

import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What frames say, set beside the bits they take: the symbols of each coded stream (QSGD's codes, a float's sign
 * and exponent, sign bits) counted over every frame tallied with {@link Encoder#tally}, and the bits of the fields
 * a frame sends as they are (header, norms, kept values, fraction bits). {@link #bitsPerFrame} is each stream's
 * order-0 empirical entropy, {@code -sum_s n_s log2(n_s / n)}, plus the verbatim bits, over the frames: what a coder
 * with an exact model of those counts, and nothing to pay for the model, would send. The plug-in estimate runs low
 * when a stream has few symbols for each value it takes, so an index set is counted as {@code log2 C(d, n)} bits
 * (an n-subset drawn uniformly) instead. Not thread-safe: one tally per measuring thread.
 */
public final class SymbolTally {

    /** One coded stream's symbol counts. */
    public static final class Stream {

        /** Symbols below this are counted in an array, the rest in a map. */
        private static final int SMALL = 1024;

        private final long[] small = new long[SMALL];
        private final Map<Long, long[]> large = new HashMap<>();
        private long count;

        private Stream() {
        }

        /** Counts one occurrence of {@code symbol}. */
        public void add(final long symbol) {
            add(symbol, 1);
        }

        /** Counts {@code times} occurrences of {@code symbol}. */
        public void add(final long symbol, final long times) {
            if (symbol >= 0 && symbol < SMALL) {
                small[(int) symbol] += times;
            } else {
                large.computeIfAbsent(symbol, s -> new long[1])[0] += times;
            }
            count += times;
        }

        /** The symbols counted. */
        public long count() {
            return count;
        }

        /** {@code -sum_s n_s log2(n_s / n)}: the stream's bits under its own order-0 model. */
        public double entropyBits() {
            double bits = 0;
            for (final long n : small) {
                bits += term(n);
            }
            for (final long[] n : large.values()) {
                bits += term(n[0]);
            }
            return bits;
        }

        private double term(final long n) {
            return n == 0 ? 0 : -n * (Math.log((double) n / count) / Math.log(2));
        }
    }

    private final Map<String, Stream> streams = new LinkedHashMap<>();
    private double verbatim;
    private long frames;

    /** An empty tally. */
    public SymbolTally() {
        // streams are made as frames name them
    }

    /** The stream of that name, made on first use. */
    public Stream stream(final String name) {
        return streams.computeIfAbsent(name, n -> new Stream());
    }

    /** Adds bits a frame sends as they are. */
    public void verbatim(final double bits) {
        if (!(bits >= 0)) {
            throw new IllegalArgumentException("verbatim bits " + bits + " are not a non-negative number");
        }
        verbatim += bits;
    }

    /** Adds {@code log2 C(d, n)} bits: the information in a set of n of d indices drawn uniformly. */
    public void subset(final int d, final int n) {
        if (n < 0 || n > d) {
            throw new IllegalArgumentException("a subset of " + n + " of " + d + " indices");
        }
        double bits = 0;
        for (int i = 0; i < Math.min(n, d - n); i++) {
            bits += Math.log((double) (d - i) / (i + 1));
        }
        verbatim(bits / Math.log(2));
    }

    /** Counts one more frame; {@link Encoder#tally} calls it. */
    void frame() {
        frames++;
    }

    /** The frames tallied. */
    public long frames() {
        return frames;
    }

    /** The streams by name, in the order they were first used. */
    public Map<String, Stream> streams() {
        return Collections.unmodifiableMap(streams);
    }

    /** The verbatim bits over all frames. */
    public double verbatimBits() {
        return verbatim;
    }

    /** The streams' entropy plus the verbatim bits, over all frames. */
    public double bits() {
        double bits = verbatim;
        for (final Stream s : streams.values()) {
            bits += s.entropyBits();
        }
        return bits;
    }

    /** {@link #bits} a frame (NaN before the first). */
    public double bitsPerFrame() {
        return frames == 0 ? Double.NaN : bits() / frames;
    }
}
