package org.reluq.cli.compare;

/**
 * Time to accuracy on a link of bandwidth B, for K workers that all-gather their frames each round (every worker
 * receives the other K - 1 frames over its own link, decodes all K and takes the step, as issue 17's
 * {@code allgather} topology does): a round takes the measured compute of one worker's share, one encode, K decodes,
 * a fixed latency, and {@code (K - 1) b / B} for frames of b bits. An encoder that needs I rounds takes
 * {@code I (F + (K - 1) b / B)}, F the fixed part.
 */
public final class BandwidthModel {

    private BandwidthModel() {
    }

    /**
     * One encoder's round on the model.
     *
     * @param spec       the encoder
     * @param iterations rounds to the target
     * @param fixedNanos F: compute + encode + K decodes + latency, nanoseconds
     * @param spreadNanos half the interquartile range of F's timed parts, summed: the error bar of F
     * @param frameBits  b: the bits of one worker's frame (the measured mean)
     * @param workers    K
     */
    public record Round(String spec, int iterations, double fixedNanos, double spreadNanos, double frameBits,
                        int workers) {

        /** Seconds to the target at {@code bitsPerSecond}. */
        public double seconds(final double bitsPerSecond) {
            return iterations * (fixedNanos * 1e-9 + (workers - 1) * frameBits / bitsPerSecond);
        }

        /** The error bar of {@link #seconds}: the fixed part's spread over every round. */
        public double secondsError() {
            return iterations * spreadNanos * 1e-9;
        }

        /** Bits a worker receives over the whole run. */
        double bitsReceived() {
            return (double) iterations * (workers - 1) * frameBits;
        }
    }

    /**
     * Where one encoder's time to accuracy crosses a baseline's, as a sentence's worth: the encoder is faster on
     * every link, on none, below or above a bandwidth.
     *
     * @param kind      which of the four
     * @param bandwidth the crossing in bit/s (NaN for ALWAYS and NEVER)
     */
    public record BreakEven(Kind kind, double bandwidth) {

        /** How an encoder compares with a baseline across bandwidths. */
        public enum Kind {
            /** Faster on every link. */
            ALWAYS,
            /** Faster on links slower than the crossing. */
            BELOW,
            /** Faster on links faster than the crossing. */
            ABOVE,
            /** Never faster. */
            NEVER
        }
    }

    /**
     * Where {@code encoder} starts to beat {@code baseline}: the B at which {@code I_e (F_e + (K-1) b_e / B)} equals
     * {@code I_r (F_r + (K-1) b_r / B)}, {@code B = (K-1) (I_e b_e - I_r b_r) / (I_r F_r - I_e F_e)}.
     */
    public static BreakEven breakEven(final Round encoder, final Round baseline) {
        final double moreBits = encoder.bitsReceived() - baseline.bitsReceived();
        final double moreFixed = encoder.iterations * encoder.fixedNanos - baseline.iterations * baseline.fixedNanos;
        if (moreBits <= 0 && moreFixed <= 0) {
            return moreBits == 0 && moreFixed == 0 ? new BreakEven(BreakEven.Kind.NEVER, Double.NaN)
                    : new BreakEven(BreakEven.Kind.ALWAYS, Double.NaN);
        }
        if (moreBits >= 0 && moreFixed >= 0) {
            return new BreakEven(BreakEven.Kind.NEVER, Double.NaN);
        }
        final double crossing = moreBits / (-moreFixed * 1e-9);
        return new BreakEven(moreBits < 0 ? BreakEven.Kind.BELOW : BreakEven.Kind.ABOVE, Math.abs(crossing));
    }

    /** {@code count} bandwidths spaced evenly on a log scale from {@code low} to {@code high}, both included. */
    public static double[] sweep(final double low, final double high, final int count) {
        final double[] b = new double[count];
        for (int i = 0; i < count; i++) {
            b[i] = low * Math.pow(high / low, count == 1 ? 0 : (double) i / (count - 1));
        }
        return b;
    }

    /** A bandwidth as text: 10 Mbit/s, 2.5 Gbit/s. */
    public static String format(final double bitsPerSecond) {
        final String[] units = {"bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s"};
        double x = bitsPerSecond;
        int u = 0;
        while (x >= 1000 && u < units.length - 1) {
            x /= 1000;
            u++;
        }
        return new java.math.BigDecimal(x).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString()
                + " " + units[u];
    }

    /**
     * A bandwidth given as {@code 10M}, {@code 2.5G}, {@code 1e9} or {@code 100Mbit}: bits per second.
     *
     * @throws IllegalArgumentException naming the text if it is not a positive finite bandwidth
     */
    public static double parse(final String text) {
        final String t = text.trim().replaceAll("(?i)(bit/s|bit|bps)$", "");
        double unit = 1;
        String number = t;
        if (!t.isEmpty()) {
            switch (Character.toUpperCase(t.charAt(t.length() - 1))) {
                case 'K' -> unit = 1e3;
                case 'M' -> unit = 1e6;
                case 'G' -> unit = 1e9;
                case 'T' -> unit = 1e12;
                default -> unit = 0;
            }
            if (unit != 0) {
                number = t.substring(0, t.length() - 1);
            } else {
                unit = 1;
            }
        }
        if (!number.matches("[0-9]*\\.?[0-9]+([eE][+-]?[0-9]+)?")) {
            throw new IllegalArgumentException("bandwidth '" + text + "' is not a number of bit/s (e.g. 10M, 1G)");
        }
        final double value;
        try {
            value = Double.parseDouble(number) * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bandwidth '" + text + "' is not a number of bit/s (e.g. 10M, 1G)");
        }
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("bandwidth '" + text + "' is not a positive finite number of bit/s");
        }
        return value;
    }
}
