package org.reluq.kernels.qsgd;

import java.util.Objects;
import java.util.function.IntConsumer;
import org.reluq.kernels.linalg.DenseOps;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.model.PlantedModel;
import org.reluq.kernels.parallel.KernelPool;
import org.reluq.kernels.sgd.BatchSampler;
import org.reluq.kernels.sgd.SgdConfig;
import org.reluq.kernels.sgd.Stepper;

/**
 * One quantized-SGD iterate with K workers (docs/design.md, "The mathematics every module shares"): each
 * iteration draws a batch of m rows,
 * splits it by {@link BatchShares}, lets every {@link GradientWorker} compute and encode the gradient of its
 * share (on a {@link KernelPool} when there are several threads), adds the decoded frames in worker order with a
 * {@link GradientAggregator}, and applies {@code w <- w - mu g}. Every worker's result depends only on w, its
 * rows and its dither stream, and frames are added in a fixed order, so runs are bit-identical whatever the
 * thread count. With one worker and the {@code fp32} encoder an iteration gives exactly the bits of
 * {@link org.reluq.kernels.sgd.SgdStepper}'s. Not thread-safe.
 */
public final class QsgdStepper implements Stepper {

    private final PlantedModel model;
    private final QsgdConfig config;
    private final BatchSampler sampler;
    private final int[] rows;
    private final OffHeapVector w;
    private final GradientWorker[] workers;
    private final boolean[] finite;
    private final GradientAggregator aggregator;
    private final KernelPool pool;
    private final IntConsumer workTask = this::work;
    private final double truthNorm;
    private final float scale;
    private double distanceSquared;
    private long iteration;
    private long wireBytes;

    /** Allocates the iterate, the workers and their pool, and writes the configured w0. */
    public QsgdStepper(final PlantedModel model, final QsgdConfig config) {
        this.model = Objects.requireNonNull(model, "model");
        this.config = Objects.requireNonNull(config, "config");
        final SgdConfig sgd = config.sgd();
        final int d = model.d();
        final int k = config.workers();
        this.sampler = new BatchSampler(model.n(), sgd.batchSize(), sgd.sampling(), sgd.seed());
        this.rows = new int[sgd.batchSize()];
        this.scale = 1f / sgd.batchSize();
        this.w = OffHeapVector.allocate(d);
        this.workers = new GradientWorker[k];
        this.finite = new boolean[k];
        for (int i = 0; i < k; i++) {
            workers[i] = new GradientWorker(i, d, config.encoder());
        }
        this.aggregator = new GradientAggregator(d, config.encoder());
        this.pool = new KernelPool(Math.min(config.threads(), k));
        config.sgd().init().write(model, sgd.seed(), w, aggregator.gradient());
        this.truthNorm = Math.sqrt(DenseOps.normSquared(model.wStar()));
        this.distanceSquared = DenseOps.distanceSquared(w, model.wStar());
    }

    private void work(final int k) {
        final int m = rows.length;
        final int from = BatchShares.start(k, workers.length, m);
        final int to = BatchShares.start(k + 1, workers.length, m);
        finite[k] = workers[k].work(model.x(), model.y(), w, rows, from, to - from, scale, config.sgd().seed(),
                GradientWorker.ditherStream(iteration, k, workers.length));
    }

    /**
     * One iteration.
     *
     * @return the mini-batch loss before the update, or NaN if a worker's gradient was not finite (the run
     *         has diverged; w is left as it was)
     */
    @Override
    public double step() {
        sampler.next(rows);
        pool.run(workers.length, workTask);
        iteration++;
        aggregator.begin();
        double squares = 0;
        for (int k = 0; k < workers.length; k++) {
            if (!finite[k]) {
                return Double.NaN;
            }
            aggregator.add(workers[k].frame(), 0, workers[k].frameLength());
            wireBytes += workers[k].frameLength();
            squares += workers[k].squaredResiduals();
        }
        distanceSquared = DenseOps.axpyThenDistanceSquared(w, -config.sgd().step(), aggregator.gradient(),
                model.wStar());
        return 0.5 * squares / rows.length;
    }

    @Override
    public double relativeError() {
        return Math.sqrt(distanceSquared) / truthNorm;
    }

    @Override
    public long wireBytes() {
        return wireBytes;
    }

    @Override
    public OffHeapVector weights() {
        return w;
    }

    /** Stops the pool and frees the iterate, the workers and the aggregator. */
    @Override
    public void close() {
        pool.close();
        for (final GradientWorker worker : workers) {
            worker.close();
        }
        aggregator.close();
        w.close();
    }
}
