package org.reluq.cluster;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * Where a cluster round's time goes, as HdrHistograms in nanoseconds (3 significant digits, up to an hour): the
 * whole round at the master, the gradient and the encoding of the slowest worker (the one whose two took longest),
 * the master's decode-and-update, and the rest, which is the network (sending, waiting, receiving).
 */
public final class RoundTimes {

    private static final long MAX_NANOS = 3_600_000_000_000L;

    private final Histogram round = new Histogram(MAX_NANOS, 3);
    private final Histogram compute = new Histogram(MAX_NANOS, 3);
    private final Histogram encode = new Histogram(MAX_NANOS, 3);
    private final Histogram decode = new Histogram(MAX_NANOS, 3);
    private final Histogram network = new Histogram(MAX_NANOS, 3);

    /** Records one round. */
    void record(final long roundNanos, final long computeNanos, final long encodeNanos, final long decodeNanos) {
        round.recordValue(clamp(roundNanos));
        compute.recordValue(clamp(computeNanos));
        encode.recordValue(clamp(encodeNanos));
        decode.recordValue(clamp(decodeNanos));
        network.recordValue(clamp(roundNanos - computeNanos - encodeNanos - decodeNanos));
    }

    private static long clamp(final long nanos) {
        return Math.max(0, Math.min(MAX_NANOS, nanos));
    }

    /** Whole rounds. */
    public Histogram round() {
        return round;
    }

    /** The slowest worker's gradient per round. */
    public Histogram compute() {
        return compute;
    }

    /** The slowest worker's encoding per round. */
    public Histogram encode() {
        return encode;
    }

    /** The master's decode, sum and update per round. */
    public Histogram decode() {
        return decode;
    }

    /** The rest of each round: sending, the link, receiving. */
    public Histogram network() {
        return network;
    }

    /** One line: median and 99th percentile of each part, in milliseconds. */
    public String describe() {
        if (round.getTotalCount() == 0) {
            return "no rounds";
        }
        return String.format(Locale.ROOT, "round %s, compute %s, encode %s, decode+update %s, network %s (ms, p50/p99)",
                percentiles(round), percentiles(compute), percentiles(encode), percentiles(decode),
                percentiles(network));
    }

    private static String percentiles(final Histogram h) {
        return String.format(Locale.ROOT, "%.3f/%.3f", h.getValueAtPercentile(50) / 1e6,
                h.getValueAtPercentile(99) / 1e6);
    }
}
