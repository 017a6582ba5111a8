package org.reluq.kernels.relu;

import java.util.Objects;
import java.util.function.IntConsumer;
import org.reluq.kernels.linalg.DenseOps;
import org.reluq.kernels.memory.OffHeapMatrix;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.parallel.KernelPool;

/**
 * The full fused gradient and loss ({@link ReluGradient#full}) on the threads of a {@link KernelPool}: the
 * rows are cut into {@value #BLOCKS} contiguous blocks (multiples of four rows), each block's gradient goes
 * into its own partial vector, and the partials are added in block order. The blocks do not depend on the
 * thread count, so the result is bit-identical for every T; it differs from the one-thread
 * {@link ReluGradient#full} only in the order of the sum over rows (within the same bound, γ_n times the
 * sum of the terms' magnitudes). Owns the partial vectors; not thread-safe.
 */
public final class ParallelGradient implements AutoCloseable {

    /** Row blocks per call: enough for two threads to balance on a shared machine. */
    public static final int BLOCKS = 8;

    private final KernelPool pool;
    private final OffHeapVector[] partials;
    private final double[] squares = new double[BLOCKS];
    private final IntConsumer blockTask = this::block;
    private OffHeapMatrix x;
    private OffHeapVector y;
    private OffHeapVector w;
    private float scale;

    /**
     * @param d    the dimension of the gradients
     * @param pool the threads (not closed by this object)
     */
    public ParallelGradient(final int d, final KernelPool pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
        this.partials = new OffHeapVector[BLOCKS];
        for (int b = 0; b < BLOCKS; b++) {
            partials[b] = OffHeapVector.allocate(d);
        }
    }

    /** The first row of block b of n rows; {@code start(BLOCKS, n) = n}. */
    static int start(final int block, final int n) {
        return block == BLOCKS ? n : (int) ((long) block * n / BLOCKS) & ~3;
    }

    /**
     * Gradient over all n rows into g (scale 1/n); returns the loss {@code 1/(2n) sum_i r_i^2}.
     *
     * @throws IllegalArgumentException if shapes disagree
     */
    public double full(final OffHeapMatrix x, final OffHeapVector y, final OffHeapVector w, final OffHeapVector g) {
        Shapes.requireColumns(x, g, "g");
        Shapes.requireColumns(x, w, "w");
        Shapes.requireRows(x, y, "y");
        if (g.length() != partials[0].length()) {
            throw new IllegalArgumentException("g has length " + g.length() + ", this gradient was made for "
                    + partials[0].length());
        }
        this.x = x;
        this.y = y;
        this.w = w;
        this.scale = 1f / x.rows();
        try {
            pool.run(BLOCKS, blockTask);
        } finally {
            this.x = null;
            this.y = null;
            this.w = null;
        }
        g.clear();
        double sum = 0;
        for (int b = 0; b < BLOCKS; b++) {
            DenseOps.add(g, partials[b]);
            sum += squares[b];
        }
        return 0.5 * sum / x.rows();
    }

    private void block(final int b) {
        final int from = start(b, x.rows());
        final int to = start(b + 1, x.rows());
        if (from == to) {
            partials[b].clear();
            squares[b] = 0;
            return;
        }
        squares[b] = ReluGradient.rowRange(x, y, w, from, to - from, scale, partials[b]);
    }

    /** Frees the partial vectors (not the pool). */
    @Override
    public void close() {
        for (final OffHeapVector partial : partials) {
            partial.close();
        }
    }
}
