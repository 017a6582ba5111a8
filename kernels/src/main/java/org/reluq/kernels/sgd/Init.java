package org.reluq.kernels.sgd;

import java.util.Locale;

/** How the trainer chooses its starting point w0. */
public enum Init {
    /** w0 = 0; SGD leaves it because ReLU'(0) = 1/2. */
    ZERO,
    /** The one-step moment estimator w0 = (2/n) sum_i y_i x_i, since E[y x] = w* / 2. */
    MOMENT,
    /** w0 ~ N(0, I/d), so ||w0|| is about 1; drawn from the seed's INIT stream. */
    GAUSSIAN;

    /** Parses {@code zero}, {@code moment} or {@code gaussian} (any case). */
    public static Init parse(final String text) {
        for (final Init init : values()) {
            if (init.name().equalsIgnoreCase(text.trim())) {
                return init;
            }
        }
        throw new IllegalArgumentException("unknown init '" + text + "'; expected zero, moment or gaussian");
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
