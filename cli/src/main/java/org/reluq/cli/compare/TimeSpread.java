package org.reluq.cli.compare;

/**
 * Times of single calls, in nanoseconds a coordinate: the median and the quartiles around it.
 *
 * @param median the median
 * @param low    the lower quartile
 * @param high   the upper quartile
 */
public record TimeSpread(double median, double low, double high) {

    /** The three times multiplied by {@code factor}. */
    public TimeSpread scaled(final double factor) {
        return new TimeSpread(median * factor, low * factor, high * factor);
    }
}
