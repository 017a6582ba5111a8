package org.reluq.cli.compare;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.model.PlantedModel;
import org.reluq.kernels.relu.ReluGradient;
import org.reluq.kernels.sgd.BatchSampler;
import org.reluq.kernels.sgd.Init;
import org.reluq.kernels.sgd.Sampling;
import org.reluq.kernels.sgd.SgdConfig;
import org.reluq.kernels.sgd.SgdStepper;

/**
 * The gradients encoders are compared on, all in memory and checked before any measurement starts: mini-batch
 * gradients along a planted-ReLU SGD trajectory, or rows of a user's file.
 *
 * @param source    where they come from, for the report
 * @param gradients the gradients, all of one dimension
 */
public record GradientSample(String source, List<float[]> gradients) {

    /** The gradients' dimension. */
    public int dimension() {
        return gradients.getFirst().length;
    }

    /**
     * {@code count} mini-batch gradients (batch 64) at evenly spaced iterations of the first {@code iterations}
     * of SGD from the moment init on the planted model (n = 10 d, ||w*|| = 1), each at its iterate with rows of
     * its own.
     */
    public static GradientSample planted(final int d, final int count, final int iterations, final long seed) {
        final List<float[]> out = new ArrayList<>();
        final int batch = 64;
        final SgdConfig config = new SgdConfig(batch, SgdConfig.defaultStep(batch, d), iterations, Init.MOMENT,
                Sampling.WITH_REPLACEMENT, seed, 0);
        try (PlantedModel model = PlantedModel.generate(10 * d, d, 1.0, seed);
             SgdStepper sgd = new SgdStepper(model, config);
             OffHeapVector g = OffHeapVector.allocate(d)) {
            final BatchSampler sampler = new BatchSampler(model.n(), batch, Sampling.WITH_REPLACEMENT, seed + 1);
            final int[] rows = new int[batch];
            int done = 0;
            for (int k = 0; k < count; k++) {
                final int at = (int) ((long) k * iterations / count);
                for (; done < at; done++) {
                    sgd.step();
                }
                sampler.next(rows);
                ReluGradient.batch(model.x(), model.y(), sgd.weights(), rows, 0, batch, g);
                out.add(g.toArray());
            }
        }
        return new GradientSample("planted ReLU, d = " + d + ", n = " + 10 * d + ", SGD batch 64 from the moment"
                + " init, seed " + seed + ": " + count + " mini-batch gradients over its first " + iterations
                + " iterations", out);
    }

    /**
     * Up to {@code count} rows of a gradient file, evenly spaced over it, read (and checked) now; refused up front
     * if they would not fit in a quarter of the heap.
     *
     * @param dimension the row length of a raw file (0: the whole file is one gradient)
     * @throws IllegalArgumentException naming the file and the problem
     */
    public static GradientSample file(final Path path, final int dimension, final int count) {
        try (GradientFile file = GradientFile.open(path, dimension)) {
            final int rows = (int) Math.min(count, file.rows());
            final long need = 8L * rows * file.dimension();
            final long heap = Runtime.getRuntime().maxMemory();
            if (need > heap / 4) {
                throw new IllegalArgumentException(path + ": " + rows + " gradients of " + file.dimension()
                        + " values need about " + (need >> 20) + " MiB, more than a quarter of the JVM's "
                        + (heap >> 20) + " MiB heap (ask for fewer with --gradients, or raise -Xmx)");
            }
            final List<float[]> out = new ArrayList<>();
            for (int k = 0; k < rows; k++) {
                final float[] row = new float[file.dimension()];
                file.read(k * file.rows() / rows, row);
                out.add(row);
            }
            return new GradientSample(path.getFileName() + " (" + file.dtype() + ", " + file.rows() + " x "
                    + file.dimension() + "; " + rows + " rows evenly spaced)", out);
        }
    }
}
