package org.reluq.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.reluq.kernels.model.PlantedModel;
import org.reluq.kernels.sgd.Init;
import org.reluq.kernels.sgd.Sampling;
import org.reluq.kernels.sgd.SgdConfig;
import org.reluq.kernels.sgd.SgdTrainer;
import org.reluq.kernels.sgd.StopReason;
import org.reluq.kernels.sgd.TrainingResult;

/** The float32 trainer against the independent float64 reference SGD on the setting. */
class SgdAgreementTest {

    private static final int D = 1024;
    private static final int N = 10 * D;
    private static final int M = 64;
    private static final double TARGET = 1e-4;

    @Test
    void iterationsToTargetMatchTheFloat64Reference() {
        final long seed = 20190118L;
        try (PlantedModel model = PlantedModel.generate(N, D, 1.0, seed)) {
            final float step = SgdConfig.defaultStep(M, D);
            final TrainingResult result = SgdTrainer.train(model,
                    new SgdConfig(M, step, 5000, Init.ZERO, Sampling.WITH_REPLACEMENT, seed, TARGET));
            final double[] reference = ReferenceSgd.run(model.x().toArray(), model.y().toArray(),
                    model.wStar().toArray(), new double[D], M, step, 5000, TARGET, seed);
            final int referenceIterations = reference.length - 1;
            System.out.printf("iterations to %.0e: trainer %d, float64 reference %d%n",
                    TARGET, result.iterations(), referenceIterations);
            assertEquals(StopReason.TARGET_REACHED, result.stopReason());
            assertTrue(reference[referenceIterations] <= TARGET, "the reference must reach the target");
            assertEquals(referenceIterations, result.iterations(), 0.05 * referenceIterations,
                    "float32 trainer vs float64 reference");
            // an independent numpy implementation of the same algorithm needs about 880 here
            assertTrue(referenceIterations > 600 && referenceIterations < 1200,
                    "reference iterations " + referenceIterations + " far from the ~880 of numpy");
        }
    }
}
