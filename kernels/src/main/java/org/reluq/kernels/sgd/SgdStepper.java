package org.reluq.kernels.sgd;

import java.util.Objects;
import org.reluq.kernels.linalg.DenseOps;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.model.PlantedModel;
import org.reluq.kernels.random.Gaussian;
import org.reluq.kernels.random.RandomStream;
import org.reluq.kernels.relu.ReluGradient;

/**
 * One SGD iterate and the means to advance it: draws a batch, runs the fused gradient over those rows
 * in place, and applies {@code w <- w - mu g} fused with the distance to w*. {@link SgdTrainer} loops
 * over it; the benchmarks time {@link #step()} alone. Nothing is allocated per step. Not thread-safe.
 */
public final class SgdStepper implements AutoCloseable {

    private final PlantedModel model;
    private final SgdConfig config;
    private final BatchSampler sampler;
    private final int[] rows;
    private final OffHeapVector w;
    private final OffHeapVector g;
    private final double truthNorm;
    private double distanceSquared;

    /**
     * Allocates the iterate and writes the configured w0 into it.
     *
     * @throws IllegalArgumentException if sampling without replacement asks for more rows than n
     */
    public SgdStepper(final PlantedModel model, final SgdConfig config) {
        this.model = Objects.requireNonNull(model, "model");
        this.config = Objects.requireNonNull(config, "config");
        this.sampler = new BatchSampler(model.n(), config.batchSize(), config.sampling(), config.seed());
        this.rows = new int[config.batchSize()];
        this.w = OffHeapVector.allocate(model.d());
        this.g = OffHeapVector.allocate(model.d());
        initialise();
        this.truthNorm = Math.sqrt(DenseOps.normSquared(model.wStar()));
        this.distanceSquared = DenseOps.distanceSquared(w, model.wStar());
    }

    private void initialise() {
        switch (config.init()) {
            case ZERO -> w.clear();
            case MOMENT -> {
                // At w = 0 every z is 0, so ReLU' = 1/2 and the full gradient is -(1/(2n)) sum y_i x_i:
                // the moment estimator (2/n) sum y_i x_i is exactly -4 times it (a power of two, no rounding).
                g.clear();
                ReluGradient.full(model.x(), model.y(), g, w);
                DenseOps.scale(w, -4f);
            }
            case GAUSSIAN -> {
                Gaussian.fill(config.seed(), RandomStream.INIT, 0, w.length(), w.segment(), 0);
                DenseOps.scale(w, (float) (1 / Math.sqrt(w.length())));
            }
        }
    }

    /**
     * One iteration.
     *
     * @return the mini-batch loss at the iterate before the update
     */
    public double step() {
        sampler.next(rows);
        final double loss = ReluGradient.batch(model.x(), model.y(), w, rows, 0, rows.length, g);
        distanceSquared = DenseOps.axpyThenDistanceSquared(w, -config.step(), g, model.wStar());
        return loss;
    }

    /** ||w - w*|| / ||w*|| of the current iterate. */
    public double relativeError() {
        return Math.sqrt(distanceSquared) / truthNorm;
    }

    /** The current iterate (live view; do not close). */
    public OffHeapVector weights() {
        return w;
    }

    /** Frees the iterate and the gradient buffer. */
    @Override
    public void close() {
        w.close();
        g.close();
    }
}
