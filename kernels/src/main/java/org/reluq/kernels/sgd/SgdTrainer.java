package org.reluq.kernels.sgd;

import org.reluq.kernels.model.PlantedModel;

/**
 * Mini-batch SGD on a planted model (docs/design.md, "The mathematics every module shares"): an
 * {@link SgdStepper} run by the
 * {@link TrainingLoop}.
 */
public final class SgdTrainer {

    private SgdTrainer() {
    }

    /** Trains without progress reports. */
    public static TrainingResult train(final PlantedModel model, final SgdConfig config) {
        return train(model, config, ProgressListener.NONE);
    }

    /**
     * Runs SGD from the configured init.
     *
     * @throws IllegalArgumentException if sampling without replacement asks for more rows than n
     */
    public static TrainingResult train(final PlantedModel model, final SgdConfig config,
                                       final ProgressListener progress) {
        return TrainingLoop.run(() -> new SgdStepper(model, config), config.maxIterations(), config.targetError(),
                progress);
    }
}
