package org.reluq.kernels.model;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.reluq.kernels.memory.OffHeapMatrix;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.parallel.KernelPool;
import org.reluq.kernels.random.Gaussian;
import org.reluq.kernels.random.GaussianWorkspace;
import org.reluq.kernels.random.RandomStream;

/**
 * The planted ReLU model of the paper: rows x_i ~ N(0, I_d), a planted w* of a given norm in a uniformly
 * random direction, and labels y_i = ReLU(&lt;w*, x_i&gt;), all generated off-heap from one 64-bit seed.
 *
 * <p>Definition: {@code X_ij} is element {@code i d + j} of the {@link RandomStream#DATA} stream and the
 * unscaled w* element j of {@link RandomStream#TRUTH} (see {@link Gaussian}); w* is that vector times
 * {@code norm / ||.||} (in double, rounded to float once), and {@code y_i = float(max(0, <w*, x_i>))} with the
 * dot product in double in the fixed order of {@link LabelDot}. So the data are bit-identical whatever the
 * thread count, the vector width or the machine. Rows are generated in blocks on a {@link KernelPool}, each
 * block's rows on vectors and labelled while they are still in cache.
 */
public final class PlantedModel implements AutoCloseable {

    private final OffHeapMatrix x;
    private final OffHeapVector y;
    private final OffHeapVector wStar;
    private final long seed;

    private PlantedModel(final OffHeapMatrix x, final OffHeapVector y, final OffHeapVector wStar, final long seed) {
        this.x = x;
        this.y = y;
        this.wStar = wStar;
        this.seed = seed;
    }

    /** Rows per task of the parallel generation: about 2^18 floats, a few hundred microseconds of work. */
    private static final int FLOATS_PER_TASK = 1 << 18;

    /** Generates the model on all available processors. */
    public static PlantedModel generate(final int n, final int d, final double norm, final long seed) {
        return generate(n, d, norm, seed, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Generates the model with {@code threads} threads; the result does not depend on {@code threads}.
     *
     * @param n       number of samples (rows), at least 1
     * @param d       dimension, at least 1
     * @param norm    ||w*||, finite and positive
     * @param seed    the seed of every random number
     * @param threads worker threads, at least 1
     */
    public static PlantedModel generate(final int n, final int d, final double norm, final long seed,
                                        final int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        try (KernelPool pool = new KernelPool(threads)) {
            return generate(n, d, norm, seed, pool);
        }
    }

    /**
     * Generates the model on the threads of {@code pool}; the result does not depend on the pool's size.
     *
     * @param n    number of samples (rows), at least 1
     * @param d    dimension, at least 1
     * @param norm ||w*||, finite and positive
     * @param seed the seed of every random number
     */
    public static PlantedModel generate(final int n, final int d, final double norm, final long seed,
                                        final KernelPool pool) {
        if (n < 1) {
            throw new IllegalArgumentException("n (samples) must be >= 1, got " + n);
        }
        if (d < 1) {
            throw new IllegalArgumentException("d (dimension) must be >= 1, got " + d);
        }
        if (!(norm > 0) || Double.isInfinite(norm)) {
            throw new IllegalArgumentException("norm of w* must be finite and > 0, got " + norm);
        }
        final OffHeapMatrix x = OffHeapMatrix.allocate(n, d);
        final OffHeapVector y = OffHeapVector.allocate(n);
        final OffHeapVector wStar = OffHeapVector.allocate(d);
        try (Arena arena = Arena.ofShared()) {
            fillTruth(wStar, norm, seed);
            final double[] wHeap = new double[x.strideFloats()];
            for (int j = 0; j < d; j++) {
                wHeap[j] = wStar.get(j);
            }
            final MemorySegment wide = arena.allocate((long) wHeap.length * Double.BYTES, 64);
            MemorySegment.copy(wHeap, 0, wide, ValueLayout.JAVA_DOUBLE, 0, wHeap.length);
            final int rowsPerTask = Math.max(1, FLOATS_PER_TASK / x.strideFloats());
            final int tasks = (int) ((n + (long) rowsPerTask - 1) / rowsPerTask);
            pool.run(tasks, task -> fillRows(x, y, new LabelDot(wide, wHeap, x.strideFloats()), seed,
                    task * rowsPerTask, (int) Math.min(n, (long) (task + 1) * rowsPerTask)));
            return new PlantedModel(x, y, wStar, seed);
        } catch (RuntimeException | Error e) {
            x.close();
            y.close();
            wStar.close();
            throw e;
        }
    }

    /**
     * The w* that {@link #generate} plants for (d, norm, seed), alone: what a process that holds no data (a
     * cluster's master) needs to measure the relative error. The caller owns and closes it.
     */
    public static OffHeapVector truth(final int d, final double norm, final long seed) {
        if (d < 1) {
            throw new IllegalArgumentException("d (dimension) must be >= 1, got " + d);
        }
        if (!(norm > 0) || Double.isInfinite(norm)) {
            throw new IllegalArgumentException("norm of w* must be finite and > 0, got " + norm);
        }
        final OffHeapVector wStar = OffHeapVector.allocate(d);
        fillTruth(wStar, norm, seed);
        return wStar;
    }

    private static void fillTruth(final OffHeapVector wStar, final double norm, final long seed) {
        final int d = wStar.length();
        final MemorySegment w = wStar.segment();
        Gaussian.fill(seed, RandomStream.TRUTH, 0, d, w, 0);
        double sumSquares = 0;
        for (int j = 0; j < d; j++) {
            final double v = w.getAtIndex(ValueLayout.JAVA_FLOAT, j);
            sumSquares += v * v;
        }
        // A Gaussian vector is zero with probability 0; guard anyway so a pathological seed cannot divide by 0.
        final double scale = sumSquares > 0 ? norm / Math.sqrt(sumSquares) : 0;
        for (int j = 0; j < d; j++) {
            w.setAtIndex(ValueLayout.JAVA_FLOAT, j, (float) (w.getAtIndex(ValueLayout.JAVA_FLOAT, j) * scale));
        }
        if (scale == 0) {
            w.setAtIndex(ValueLayout.JAVA_FLOAT, 0, (float) norm);
        }
    }

    /** Rows [from, to) of X and their labels. */
    private static void fillRows(final OffHeapMatrix x, final OffHeapVector y, final LabelDot labels,
                                 final long seed, final int from, final int to) {
        final int d = x.cols();
        final MemorySegment xs = x.segment();
        final MemorySegment ys = y.segment();
        final long stride = x.strideBytes();
        try (GaussianWorkspace workspace = new GaussianWorkspace()) {
            for (int i = from; i < to; i++) {
                Gaussian.fill(seed, RandomStream.DATA, (long) i * d, d, xs, i * stride, workspace);
                final double z = labels.dot(xs, i * stride);
                ys.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) Math.max(0.0, z));
            }
        }
    }

    /** The design matrix X, n x d. */
    public OffHeapMatrix x() {
        return x;
    }

    /** The labels y = ReLU(X w*), length n. */
    public OffHeapVector y() {
        return y;
    }

    /** The planted weights w*, length d. */
    public OffHeapVector wStar() {
        return wStar;
    }

    /** Number of samples. */
    public int n() {
        return x.rows();
    }

    /** Dimension. */
    public int d() {
        return x.cols();
    }

    /** The seed everything was generated from. */
    public long seed() {
        return seed;
    }

    /** Frees X, y and w*. */
    @Override
    public void close() {
        x.close();
        y.close();
        wStar.close();
    }
}
