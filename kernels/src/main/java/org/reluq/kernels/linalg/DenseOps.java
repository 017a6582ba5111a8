package org.reluq.kernels.linalg;

import java.lang.foreign.MemorySegment;
import org.reluq.kernels.internal.Padded;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.warmup.KernelFamily;

/**
 * O(d) vector operations of the trainers: the SGD update fused with the distance to a target, norms
 * and scaling. All run over the padded length; zero padding stays zero because every operation maps
 * (0, 0) to 0. Sums of squares accumulate in float with two accumulators (relative error at most
 * {@code gamma_d}, no cancellation). Before C2 has compiled them (see {@link KernelFamily}) the scalar twins
 * in {@code ScalarDenseOps} compute the same bits; {@code VectorDenseOps} holds the vector code, so the scalar
 * path never loads the Vector API.
 */
public final class DenseOps {

    private DenseOps() {
    }

    /**
     * {@code w += alpha * g}, then returns {@code ||w - target||^2}, in one pass.
     *
     * @throws IllegalArgumentException if the lengths differ or alpha is not finite
     */
    public static double axpyThenDistanceSquared(final OffHeapVector w, final float alpha, final OffHeapVector g,
                                                 final OffHeapVector target) {
        requireSameLength(w, g, "g");
        requireSameLength(w, target, "target");
        if (!Float.isFinite(alpha)) {
            throw new IllegalArgumentException("alpha must be finite, got " + alpha);
        }
        final MemorySegment ws = Padded.of(w);
        final MemorySegment gs = Padded.of(g);
        final MemorySegment ts = Padded.of(target);
        final long bytes = ws.byteSize();
        return KernelFamily.DENSE.vector() ? VectorDenseOps.axpyThenDistanceSquared(ws, alpha, gs, ts, bytes)
                : ScalarDenseOps.axpyThenDistanceSquared(ws, alpha, gs, ts, bytes / Float.BYTES);
    }

    /** {@code ||a - b||^2}. */
    public static double distanceSquared(final OffHeapVector a, final OffHeapVector b) {
        requireSameLength(a, b, "b");
        final MemorySegment as = Padded.of(a);
        final MemorySegment bs = Padded.of(b);
        final long bytes = as.byteSize();
        return KernelFamily.DENSE.vector() ? VectorDenseOps.distanceSquared(as, bs, bytes)
                : ScalarDenseOps.distanceSquared(as, bs, bytes / Float.BYTES);
    }

    /** {@code ||a||^2}. */
    public static double normSquared(final OffHeapVector a) {
        final MemorySegment as = Padded.of(a);
        final long bytes = as.byteSize();
        return KernelFamily.DENSE.vector() ? VectorDenseOps.normSquared(as, bytes)
                : ScalarDenseOps.normSquared(as, bytes / Float.BYTES);
    }

    /** {@code v *= factor}. */
    public static void scale(final OffHeapVector v, final float factor) {
        final MemorySegment vs = Padded.of(v);
        final long bytes = vs.byteSize();
        if (KernelFamily.DENSE.vector()) {
            VectorDenseOps.scale(vs, factor, bytes);
        } else {
            ScalarDenseOps.scale(vs, factor, bytes / Float.BYTES);
        }
    }

    /**
     * {@code acc += v}.
     *
     * @throws IllegalArgumentException if the lengths differ
     */
    public static void add(final OffHeapVector acc, final OffHeapVector v) {
        requireSameLength(acc, v, "v");
        final MemorySegment as = Padded.of(acc);
        final MemorySegment vs = Padded.of(v);
        final long bytes = as.byteSize();
        if (KernelFamily.DENSE.vector()) {
            VectorDenseOps.add(as, vs, bytes);
        } else {
            ScalarDenseOps.add(as, vs, bytes / Float.BYTES);
        }
    }

    private static void requireSameLength(final OffHeapVector a, final OffHeapVector b, final String what) {
        if (a.length() != b.length()) {
            throw new IllegalArgumentException(what + " has length " + b.length() + ", expected " + a.length());
        }
    }
}
