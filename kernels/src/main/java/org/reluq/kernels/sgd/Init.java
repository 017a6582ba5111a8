package org.reluq.kernels.sgd;

import java.util.Locale;
import org.reluq.kernels.linalg.DenseOps;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.model.PlantedModel;
import org.reluq.kernels.random.Gaussian;
import org.reluq.kernels.random.RandomStream;
import org.reluq.kernels.relu.ReluGradient;

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

    /**
     * Writes this starting point for the model into w.
     *
     * @param seed    the run's seed (the Gaussian init draws from its INIT stream)
     * @param scratch a vector of length d the moment init works in (overwritten)
     */
    public void write(final PlantedModel model, final long seed, final OffHeapVector w, final OffHeapVector scratch) {
        switch (this) {
            case ZERO -> w.clear();
            case MOMENT -> {
                // At w = 0 every z is 0, so ReLU' = 1/2 and the full gradient is -(1/(2n)) sum y_i x_i:
                // the moment estimator (2/n) sum y_i x_i is exactly -4 times it (a power of two, no rounding).
                scratch.clear();
                ReluGradient.full(model.x(), model.y(), scratch, w);
                DenseOps.scale(w, -4f);
            }
            case GAUSSIAN -> {
                Gaussian.fill(seed, RandomStream.INIT, 0, w.length(), w.segment(), 0);
                DenseOps.scale(w, (float) (1 / Math.sqrt(w.length())));
            }
        }
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
