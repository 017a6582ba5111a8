package org.reluq.cli.compare;

import java.util.ArrayList;
import java.util.List;
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.model.PlantedModel;
import org.reluq.kernels.qsgd.QsgdConfig;
import org.reluq.kernels.qsgd.QsgdTrainer;
import org.reluq.kernels.relu.ReluGradient;
import org.reluq.kernels.sgd.BatchSampler;
import org.reluq.kernels.sgd.Init;
import org.reluq.kernels.sgd.Sampling;
import org.reluq.kernels.sgd.SgdConfig;
import org.reluq.kernels.sgd.StopReason;
import org.reluq.kernels.sgd.TrainingResult;

/**
 * Quantized SGD on one planted model with each encoder at every step of a grid, to a target relative error: how
 * many iterations and bits each encoder needs at its best step.
 */
public final class PlantedRuns implements AutoCloseable {

    /**
     * The runs' settings.
     *
     * @param d           the dimension (n = 10 d, ||w*|| = 1)
     * @param workers     K, the workers that split each batch
     * @param batch       the mini-batch m
     * @param stepFactors the grid: multiples of each encoder's default step, 1.5 m / (m + d) / (1 + omega)
     * @param budget      iterations a run may take
     * @param target      the relative error ||w - w*|| / ||w*|| a run stops at
     * @param seed        the seed of the model, the batches and the dithers
     */
    public record Settings(int d, int workers, int batch, double[] stepFactors, int budget, double target,
                           long seed) {
    }

    /**
     * One run of the grid.
     *
     * @param factor     its multiple of the default step
     * @param step       the step
     * @param stop       why it ended
     * @param iterations the iterations it took (0 when the encoder refused a gradient)
     * @param refusal    why the encoder refused a gradient the run produced (an fp16 overflow as the run
     *                   diverged), or null; the run then counts as diverged
     */
    public record GridPoint(double factor, float step, StopReason stop, int iterations, String refusal) {
    }

    /**
     * An encoder's runs and the best of them: the step that reached the target in the fewest iterations (or, when
     * none did, the one that came closest).
     *
     * @param spec              the encoder
     * @param grid              every run of the grid
     * @param best              the best run's grid point
     * @param reached           whether the best run reached the target
     * @param bitsPerCoordinate the best run's frame bits a coordinate, a worker and an iteration, headers included
     * @param totalBits         the bits all workers sent in the best run
     * @param relativeError     the best run's relative error after t = 0 .. iterations
     * @param bitsSent          the bits a coordinate each worker had sent after t iterations (same length)
     */
    public record EncoderRuns(String spec, List<GridPoint> grid, GridPoint best, boolean reached,
                              double bitsPerCoordinate, long totalBits, float[] relativeError, double[] bitsSent) {

        /** Whether the best step is the smallest or largest of the grid, so a wider grid might do better. */
        public boolean bestAtGridEdge() {
            return best.factor() == grid.getFirst().factor() || best.factor() == grid.getLast().factor();
        }
    }

    private final Settings settings;
    private final PlantedModel model;

    private PlantedRuns(final Settings settings, final PlantedModel model) {
        this.settings = settings;
        this.model = model;
    }

    /** The model's data, generated from the settings' seed; the caller closes it. */
    public static PlantedRuns generate(final Settings settings) {
        return new PlantedRuns(settings, PlantedModel.generate(10 * settings.d(), settings.d(), 1.0, settings.seed()));
    }

    /** Frees the model's data. */
    @Override
    public void close() {
        model.close();
    }

    /** The settings. */
    public Settings settings() {
        return settings;
    }

    /** Runs the encoder at every step of the grid and keeps the best run's curve. */
    public EncoderRuns run(final Encoder encoder) {
        final int d = settings.d();
        final List<GridPoint> grid = new ArrayList<>();
        TrainingResult bestResult = null;
        GridPoint best = null;
        final float base = QsgdConfig.defaultStep(settings.batch(), d, encoder);
        for (final double factor : settings.stepFactors()) {
            final float step = (float) (base * factor);
            final SgdConfig sgd = new SgdConfig(settings.batch(), step, settings.budget(), Init.MOMENT,
                    Sampling.WITH_REPLACEMENT, settings.seed(), settings.target());
            final QsgdConfig config = new QsgdConfig(sgd, settings.workers(), encoder,
                    QsgdConfig.defaultThreads(d, settings.batch(), settings.workers(), 1));
            final TrainingResult result;
            try {
                result = QsgdTrainer.train(model, config);
            } catch (IllegalArgumentException e) {
                // the configuration is checked above, so this is an encoder refusing a gradient: a diverging run's
                // entry beyond fp16's range, say
                grid.add(new GridPoint(factor, step, StopReason.DIVERGED, 0, e.getMessage()));
                continue;
            }
            final GridPoint point = new GridPoint(factor, step, result.stopReason(), result.iterations(), null);
            grid.add(point);
            if (bestResult == null || better(result, bestResult)) {
                bestResult = result;
                best = point;
            }
        }
        if (bestResult == null) {
            return new EncoderRuns(encoder.spec(), List.copyOf(grid), grid.getFirst(), false, 0, 0, new float[] {1f},
                    new double[] {0});
        }
        final int iterations = bestResult.iterations();
        final double[] bitsSent = new double[iterations + 1];
        for (int t = 0; t <= iterations; t++) {
            bitsSent[t] = 8.0 * bestResult.wireBytes()[t] / settings.workers() / d;
        }
        final long totalBits = 8 * bestResult.totalWireBytes();
        return new EncoderRuns(encoder.spec(), List.copyOf(grid), best,
                bestResult.stopReason() == StopReason.TARGET_REACHED,
                iterations == 0 ? 0 : bitsSent[iterations] / iterations, totalBits,
                bestResult.relativeError(), bitsSent);
    }

    /** Reached in fewer iterations, or (neither reached) a lower final error; a diverged run is never better. */
    private static boolean better(final TrainingResult a, final TrainingResult b) {
        final boolean reachedA = a.stopReason() == StopReason.TARGET_REACHED;
        final boolean reachedB = b.stopReason() == StopReason.TARGET_REACHED;
        if (reachedA != reachedB) {
            return reachedA;
        }
        if (reachedA) {
            return a.iterations() < b.iterations();
        }
        if ((a.stopReason() == StopReason.DIVERGED) != (b.stopReason() == StopReason.DIVERGED)) {
            return b.stopReason() == StopReason.DIVERGED;
        }
        return a.finalRelativeError() < b.finalRelativeError();
    }

    /**
     * Nanoseconds one worker takes to compute its share's gradient (m / K rows, at w*), warmed: the compute of a round when the workers run on machines of their own.
     */
    public TimeSpread shareGradientNanos(final long nanos) {
        final int d = settings.d();
        final int rows = Math.max(1, settings.batch() / settings.workers());
        try (OffHeapVector w = OffHeapVector.allocate(d); OffHeapVector g = OffHeapVector.allocate(d)) {
            w.copyFrom(model.wStar().toArray());
            final BatchSampler sampler = new BatchSampler(model.n(), rows, Sampling.WITH_REPLACEMENT,
                    settings.seed());
            final int[] batch = new int[rows];
            sampler.next(batch);
            return Timing.of(() -> ReluGradient.batch(model.x(), model.y(), w, batch, 0, rows, g), nanos);
        }
    }
}
