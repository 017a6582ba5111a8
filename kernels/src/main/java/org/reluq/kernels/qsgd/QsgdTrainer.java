package org.reluq.kernels.qsgd;

import org.reluq.kernels.model.PlantedModel;
import org.reluq.kernels.sgd.ProgressListener;
import org.reluq.kernels.sgd.TrainingLoop;
import org.reluq.kernels.sgd.TrainingResult;

/**
 * Quantized SGD with K workers on a planted model: a {@link QsgdStepper} run by the {@link TrainingLoop};
 * the result records the bytes the workers sent after every iteration.
 */
public final class QsgdTrainer {

    private QsgdTrainer() {
    }

    /** Trains without progress reports. */
    public static TrainingResult train(final PlantedModel model, final QsgdConfig config) {
        return train(model, config, ProgressListener.NONE);
    }

    /**
     * Runs quantized SGD from the configured init.
     *
     * @throws IllegalArgumentException if sampling without replacement asks for more rows than n
     */
    public static TrainingResult train(final PlantedModel model, final QsgdConfig config,
                                       final ProgressListener progress) {
        return TrainingLoop.run(() -> new QsgdStepper(model, config), config.sgd().maxIterations(),
                config.sgd().targetError(), progress);
    }
}
