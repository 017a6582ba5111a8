package org.reluq.kernels.sgd;

import java.util.Objects;
import org.reluq.kernels.linalg.DenseOps;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.model.PlantedModel;
import org.reluq.kernels.relu.ReluGradient;

/**
 * One SGD iterate and the means to advance it: draws a batch, runs the fused gradient over those rows
 * in place, and applies {@code w <- w - mu g} fused with the distance to w*. {@link SgdTrainer} loops
 * over it; the benchmarks time {@link #step()} alone. Nothing is allocated per step. Not thread-safe.
 */
public final class SgdStepper implements Stepper {

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
        config.init().write(model, config.seed(), w, g);
        this.truthNorm = Math.sqrt(DenseOps.normSquared(model.wStar()));
        this.distanceSquared = DenseOps.distanceSquared(w, model.wStar());
    }

    @Override
    public double step() {
        sampler.next(rows);
        final double loss = ReluGradient.batch(model.x(), model.y(), w, rows, 0, rows.length, g);
        distanceSquared = DenseOps.axpyThenDistanceSquared(w, -config.step(), g, model.wStar());
        return loss;
    }

    @Override
    public double relativeError() {
        return Math.sqrt(distanceSquared) / truthNorm;
    }

    @Override
    public OffHeapVector weights() {
        return w;
    }

    @Override
    public void close() {
        w.close();
        g.close();
    }
}
