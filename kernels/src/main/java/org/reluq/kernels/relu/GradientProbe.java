package org.reluq.kernels.relu;

import org.reluq.kernels.memory.OffHeapMatrix;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.warmup.KernelFamily;
import org.reluq.kernels.warmup.KernelPath;
import org.reluq.kernels.warmup.Probe;

/**
 * The fused gradient on a batch of 32 short rows (d = 256, eight rows at a time) and 8 long ones (d = 1056,
 * four at a time): both block kernels and the fold, with rows on both sides of the ReLU.
 */
public final class GradientProbe implements Probe {

    private final OffHeapMatrix shortRows = OffHeapMatrix.allocate(32, 256);
    private final OffHeapMatrix longRows = OffHeapMatrix.allocate(8, 1056);
    private final OffHeapVector shortLabels = OffHeapVector.allocate(32);
    private final OffHeapVector longLabels = OffHeapVector.allocate(8);
    private final OffHeapVector shortW = OffHeapVector.allocate(256);
    private final OffHeapVector longW = OffHeapVector.allocate(1056);
    private final OffHeapVector shortG = OffHeapVector.allocate(256);
    private final OffHeapVector longG = OffHeapVector.allocate(1056);
    private final int[] shortBatch = new int[32];
    private final int[] longBatch = new int[8];

    /** Fills the rows with a fixed pattern of signs, so that about half the rows have a zero coefficient. */
    public GradientProbe() {
        fill(shortRows, shortLabels, shortW, shortBatch);
        fill(longRows, longLabels, longW, longBatch);
    }

    private static void fill(final OffHeapMatrix x, final OffHeapVector y, final OffHeapVector w, final int[] batch) {
        for (int j = 0; j < x.cols(); j++) {
            w.set(j, (j % 7 - 3) * 0.01f);
        }
        for (int i = 0; i < x.rows(); i++) {
            for (int j = 0; j < x.cols(); j++) {
                x.set(i, j, ((i * 31 + j * 17) % 13 - 6) * 0.1f);
            }
            y.set(i, i % 3 * 0.5f);
            batch[i] = (i * 5) % x.rows();
        }
    }

    @Override
    public KernelFamily family() {
        return KernelFamily.GRADIENT;
    }

    @Override
    public void run(final KernelPath path) {
        final boolean vector = path == KernelPath.VECTOR;
        ReluGradient.run(shortRows, shortLabels, shortW, shortBatch, 0, shortBatch.length, 1f / 32, shortG, vector);
        ReluGradient.run(longRows, longLabels, longW, longBatch, 0, longBatch.length, 1f / 8, longG, vector);
        ReluGradient.run(shortRows, shortLabels, shortW, null, 0, shortRows.rows(), 1f / 32, shortG, vector);
    }

    @Override
    public void close() {
        shortRows.close();
        longRows.close();
        shortLabels.close();
        longLabels.close();
        shortW.close();
        longW.close();
        shortG.close();
        longG.close();
    }
}
