package org.reluq.kernels.sgd;

import java.util.Arrays;
import java.util.Objects;
import org.reluq.kernels.linalg.DenseOps;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.model.PlantedModel;
import org.reluq.kernels.random.Gaussian;
import org.reluq.kernels.random.RandomStream;
import org.reluq.kernels.relu.ReluGradient;

/**
 * Mini-batch SGD on a planted model: {@code w <- w - mu g_B(w)} with B drawn by a {@link BatchSampler}.
 *
 * <p>Each iteration draws m indices, runs the fused gradient over those rows in place, and applies the
 * update fused with the distance to w*, so recording the relative error costs one O(d) pass. Nothing is
 * allocated inside the loop.
 */
public final class SgdTrainer {

    private SgdTrainer() {
    }

    /** Trains without progress reports. */
    public static TrainingResult train(final PlantedModel model, final SgdConfig config) {
        return train(model, config, ProgressListener.NONE);
    }

    /**
     * Runs SGD from the configured init until the target error, divergence, or the iteration budget.
     *
     * @throws IllegalArgumentException if sampling without replacement asks for more rows than n
     */
    public static TrainingResult train(final PlantedModel model, final SgdConfig config,
                                       final ProgressListener progress) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(progress, "progress");
        final int d = model.d();
        final int m = config.batchSize();
        final BatchSampler sampler = new BatchSampler(model.n(), m, config.sampling(), config.seed());
        final int budget = config.maxIterations();
        final float[] relativeError = new float[budget + 1];
        final float[] loss = new float[budget];
        final int[] rows = new int[m];
        try (OffHeapVector w = OffHeapVector.allocate(d); OffHeapVector g = OffHeapVector.allocate(d)) {
            final long start = System.nanoTime();
            initialise(model, config, w, g);
            final long loopStart = System.nanoTime();
            final double truthNorm = Math.sqrt(DenseOps.normSquared(model.wStar()));
            final float negativeStep = -config.step();
            relativeError[0] = (float) (Math.sqrt(DenseOps.distanceSquared(w, model.wStar())) / truthNorm);
            StopReason reason = StopReason.MAX_ITERATIONS;
            int t = 0;
            if (relativeError[0] <= config.targetError()) {
                reason = StopReason.TARGET_REACHED;
            }
            while (reason == StopReason.MAX_ITERATIONS && t < budget) {
                sampler.next(rows);
                final double batchLoss = ReluGradient.batch(model.x(), model.y(), w, rows, 0, m, g);
                final double distance = DenseOps.axpyThenDistanceSquared(w, negativeStep, g, model.wStar());
                final double error = Math.sqrt(distance) / truthNorm;
                loss[t] = (float) batchLoss;
                relativeError[++t] = (float) error;
                if (!Double.isFinite(batchLoss) || !Double.isFinite(error)) {
                    reason = StopReason.DIVERGED;
                } else if (error <= config.targetError()) {
                    reason = StopReason.TARGET_REACHED;
                } else if (t % ProgressListener.INTERVAL == 0) {
                    progress.update(t, error);
                }
            }
            final long end = System.nanoTime();
            progress.update(t, relativeError[t]);
            return new TrainingResult(t, reason, Arrays.copyOf(relativeError, t + 1), Arrays.copyOf(loss, t),
                    w.toArray(), loopStart - start, end - loopStart);
        }
    }

    /** Writes w0 into {@code w}; {@code scratch} is a d-vector it may overwrite. */
    static void initialise(final PlantedModel model, final SgdConfig config, final OffHeapVector w,
                           final OffHeapVector scratch) {
        switch (config.init()) {
            case ZERO -> w.clear();
            case MOMENT -> {
                // At w = 0 every z is 0, so ReLU' = 1/2 and the full gradient is -(1/(2n)) sum y_i x_i:
                // the moment estimator (2/n) sum y_i x_i is exactly -4 times it.
                scratch.clear();
                ReluGradient.full(model.x(), model.y(), scratch, w);
                DenseOps.scale(w, -4f);
            }
            case GAUSSIAN -> {
                w.clear();
                Gaussian.fill(config.seed(), RandomStream.INIT, 0, w.length(), w.segment(), 0);
                DenseOps.scale(w, (float) (1 / Math.sqrt(w.length())));
            }
        }
    }
}
