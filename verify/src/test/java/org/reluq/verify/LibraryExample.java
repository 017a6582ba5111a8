package org.reluq.verify;

import java.nio.ByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.encoder.EncoderState;
import org.reluq.kernels.encoder.Encoders;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.model.PlantedModel;
import org.reluq.kernels.relu.ReluGradient;
import org.reluq.kernels.sgd.Init;
import org.reluq.kernels.sgd.Sampling;
import org.reluq.kernels.sgd.SgdConfig;
import org.reluq.kernels.sgd.SgdTrainer;
import org.reluq.kernels.sgd.TrainingResult;

/**
 * The README's library example, compiled and run by {@link LibraryExampleTest} (which also checks that the README
 * shows exactly the lines between the markers).
 */
final class LibraryExample {

    /** What the example computed, for the test to check. */
    record Outcome(TrainingResult fit, float[] gradient, float[] decoded, int frameBytes) {
    }

    private LibraryExample() {
    }

    static Outcome run() {
        // README example begins
        int n = 4_000;
        int d = 400;
        Encoder qsgd = Encoders.parse("qsgd:s=16,bucket=512,code=packed"); // immutable, thread-safe
        try (PlantedModel model = PlantedModel.generate(n, d, 1.0, 42);    // X ~ N(0, 1), y = ReLU(X w*)
             OffHeapVector w = OffHeapVector.allocate(d);                  // zeros, off heap
             OffHeapVector g = OffHeapVector.allocate(d);
             OffHeapVector decoded = OffHeapVector.allocate(d);
             EncoderState state = qsgd.newState(d)) {                      // a worker's scratch memory
            // mini-batch SGD from the moment init, until ||w - w*|| / ||w*|| <= 1e-4
            SgdConfig config = new SgdConfig(64, SgdConfig.defaultStep(64, d), 20_000, Init.MOMENT,
                    Sampling.WITH_REPLACEMENT, 1, 1e-4);
            TrainingResult fit = SgdTrainer.train(model, config);
            System.out.printf("%d iterations, relative error %.2e%n", fit.iterations(), fit.finalRelativeError());

            // the full gradient at w = 0, quantized to one frame (docs/wire-format.md) and decoded
            ReluGradient.full(model.x(), model.y(), w, g);
            UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(qsgd.maxFrameBytes(d)));
            int bytes = qsgd.encode(g, 7, 0, state, frame, 0);             // dither seed 7, stream 0
            Encoder sender = Encoders.forFrame(frame, 0);                  // the header names its encoder
            sender.decodeAccumulate(frame, 0, bytes, 1f, state, decoded);  // decoded += Q(g)
            System.out.printf("%d floats in a frame of %d bytes%n", d, bytes);
            // README example ends
            return new Outcome(fit, g.toArray(), decoded.toArray(), bytes);
        }
    }
}
