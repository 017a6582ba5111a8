package org.reluq.bench;

import org.reluq.kernels.linalg.DenseOps;
import org.reluq.kernels.memory.OffHeapMatrix;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.random.Gaussian;
import org.reluq.kernels.random.RandomStream;

/** Seeded inputs shared by the benchmarks, and heap copies for the baselines that need arrays. */
public final class BenchData {

    /** The seed of every benchmark's data. */
    public static final long SEED = 0x5EED_1901_0658_7L;

    private BenchData() {
    }

    /** A Gaussian point w ~ N(0, I/d), not the planted one, so about half the rows have z below 0. */
    public static OffHeapVector point(final int d) {
        final OffHeapVector w = OffHeapVector.allocate(d);
        Gaussian.fill(SEED, RandomStream.INIT, 0, d, w.segment(), 0);
        DenseOps.scale(w, (float) (1 / Math.sqrt(d)));
        return w;
    }

    /** X as one flat row-major float[] without padding, as a heap-array user stores it. */
    public static float[] flat(final OffHeapMatrix x) {
        final int d = x.cols();
        final float[] out = new float[Math.multiplyExact(x.rows(), d)];
        for (int i = 0; i < x.rows(); i++) {
            System.arraycopy(x.row(i), 0, out, i * d, d);
        }
        return out;
    }
}
