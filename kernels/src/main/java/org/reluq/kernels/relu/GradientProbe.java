package org.reluq.kernels.relu;

import org.reluq.kernels.memory.OffHeapMatrix;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.warmup.KernelFamily;
import org.reluq.kernels.warmup.KernelPath;
import org.reluq.kernels.warmup.Probe;

/**
 * The fused gradient at the job's dimension and batch size: a batch of m of 2m + 3 rows (with repeats, eight or
 * four rows a block as d decides) and the full gradient (a partial last block), with rows on both sides of the
 * ReLU, at most 16 MiB of rows.
 */
public final class GradientProbe implements Probe {

    private final OffHeapMatrix rows;
    private final OffHeapVector labels;
    private final OffHeapVector w;
    private final OffHeapVector g;
    private final int[] batch;

    /** Rows of d in a fixed pattern of signs, so that about half the rows have a zero coefficient. */
    public GradientProbe(final int d, final int batchSize) {
        final int m = (int) Math.max(1, Math.min(batchSize, (16L << 20) / (2L * Float.BYTES * d)));
        rows = OffHeapMatrix.allocate(2 * m + 3, d);
        labels = OffHeapVector.allocate(rows.rows());
        w = OffHeapVector.allocate(d);
        g = OffHeapVector.allocate(d);
        batch = new int[m];
        fill(rows, labels, w, batch);
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
        }
        for (int k = 0; k < batch.length; k++) {
            batch[k] = (k * 7) % x.rows();
        }
    }

    @Override
    public KernelFamily family() {
        return KernelFamily.GRADIENT;
    }

    @Override
    public void run(final KernelPath path) {
        final boolean vector = path == KernelPath.VECTOR;
        ReluGradient.run(rows, labels, w, batch, 0, batch.length, 1f / batch.length, g, vector);
        ReluGradient.run(rows, labels, w, null, 0, rows.rows(), 1f / rows.rows(), g, vector);
    }

    @Override
    public void close() {
        rows.close();
        labels.close();
        w.close();
        g.close();
    }
}
