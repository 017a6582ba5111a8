package org.reluq.kernels.model;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.ArrayList;
import java.util.List;
import org.reluq.kernels.memory.OffHeapMatrix;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.random.Gaussian;
import org.reluq.kernels.random.RandomStream;

/**
 * The planted ReLU model of the paper: rows x_i ~ N(0, I_d), a planted w* of a given norm in a uniformly
 * random direction, and labels y_i = ReLU(&lt;w*, x_i&gt;), all generated off-heap from one 64-bit seed.
 *
 * <p>Every number is a pure function of (seed, stream, index) (see {@link Gaussian}), and the labels are
 * computed with a fixed-order double-precision dot product, so the data are bit-identical whatever the
 * thread count, the vector width or the machine.
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

    /** Generates the model on all available processors. */
    public static PlantedModel generate(final int n, final int d, final double norm, final long seed) {
        return generate(n, d, norm, seed, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Generates the model with {@code threads} threads; the result does not depend on {@code threads}.
     *
     * @param n      number of samples (rows), at least 1
     * @param d      dimension, at least 1
     * @param norm   ||w*||, finite and positive
     * @param seed   the seed of every random number
     * @param threads worker threads, at least 1
     */
    public static PlantedModel generate(final int n, final int d, final double norm, final long seed,
                                        final int threads) {
        if (n < 1) {
            throw new IllegalArgumentException("n (samples) must be >= 1, got " + n);
        }
        if (d < 1) {
            throw new IllegalArgumentException("d (dimension) must be >= 1, got " + d);
        }
        if (!(norm > 0) || Double.isInfinite(norm)) {
            throw new IllegalArgumentException("norm of w* must be finite and > 0, got " + norm);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        final OffHeapMatrix x = OffHeapMatrix.allocate(n, d);
        final OffHeapVector y = OffHeapVector.allocate(n);
        final OffHeapVector wStar = OffHeapVector.allocate(d);
        try {
            fillTruth(wStar, norm, seed);
            forEachRowBlock(n, threads, (from, to) -> fillRows(x, y, wStar, seed, from, to));
            return new PlantedModel(x, y, wStar, seed);
        } catch (RuntimeException | Error e) {
            x.close();
            y.close();
            wStar.close();
            throw e;
        }
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

    private static void fillRows(final OffHeapMatrix x, final OffHeapVector y, final OffHeapVector wStar,
                                 final long seed, final int from, final int to) {
        final int d = x.cols();
        final float[] w = wStar.toArray();
        final float[] row = new float[d];
        final MemorySegment xs = x.segment();
        final MemorySegment ys = y.segment();
        final long stride = x.strideBytes();
        for (int i = from; i < to; i++) {
            Gaussian.fill(seed, RandomStream.DATA, (long) i * d, row, 0, d);
            MemorySegment.copy(row, 0, xs, ValueLayout.JAVA_FLOAT, i * stride, d);
            ys.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) Math.max(0.0, exactOrderDot(row, w)));
        }
    }

    /** Dot product in double with four accumulators in a fixed order, so the result never depends on the JIT. */
    private static double exactOrderDot(final float[] x, final float[] w) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int j = 0;
        for (; j + 3 < x.length; j += 4) {
            s0 += (double) x[j] * w[j];
            s1 += (double) x[j + 1] * w[j + 1];
            s2 += (double) x[j + 2] * w[j + 2];
            s3 += (double) x[j + 3] * w[j + 3];
        }
        for (; j < x.length; j++) {
            s0 += (double) x[j] * w[j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    @FunctionalInterface
    private interface RowBlockTask {
        void run(int from, int to);
    }

    private static void forEachRowBlock(final int n, final int threads, final RowBlockTask task) {
        if (threads == 1 || n < 2) {
            task.run(0, n);
            return;
        }
        final int blocks = Math.min(n, threads * 8);
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            final List<Future<?>> futures = new ArrayList<>(blocks);
            for (int b = 0; b < blocks; b++) {
                final int from = (int) ((long) n * b / blocks);
                final int to = (int) ((long) n * (b + 1) / blocks);
                futures.add(pool.submit(() -> task.run(from, to)));
            }
            for (final Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while generating the planted model", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("generating the planted model failed", e.getCause());
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
