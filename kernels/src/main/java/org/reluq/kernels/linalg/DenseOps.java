package org.reluq.kernels.linalg;

import static org.reluq.kernels.simd.Species.FLOAT;
import static org.reluq.kernels.simd.Species.VECTOR_BYTES;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.simd.Fma;
import org.reluq.kernels.simd.Reductions;
import org.reluq.kernels.warmup.KernelFamily;

/**
 * O(d) vector operations of the trainers: the SGD update fused with the distance to a target, norms
 * and scaling. All run over the padded length; zero padding stays zero because every operation maps
 * (0, 0) to 0. Sums of squares accumulate in float with two accumulators (relative error at most
 * {@code gamma_d}, no cancellation). Before C2 has compiled them (see {@link KernelFamily}) the scalar twins
 * in {@code ScalarDenseOps} compute the same bits.
 */
public final class DenseOps {

    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

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
        final MemorySegment ws = w.segment();
        final MemorySegment gs = g.segment();
        final MemorySegment ts = target.segment();
        final long bytes = ws.byteSize();
        return KernelFamily.DENSE.vector() ? axpyThenDistanceSquared(ws, alpha, gs, ts, bytes)
                : ScalarDenseOps.axpyThenDistanceSquared(ws, alpha, gs, ts, bytes / Float.BYTES);
    }

    /** {@link #axpyThenDistanceSquared(OffHeapVector, float, OffHeapVector, OffHeapVector)} on vectors. */
    static double axpyThenDistanceSquared(final MemorySegment ws, final float alpha, final MemorySegment gs,
                                          final MemorySegment ts, final long bytes) {
        final FloatVector a = FloatVector.broadcast(FLOAT, alpha);
        FloatVector s0 = FloatVector.zero(FLOAT);
        FloatVector s1 = s0;
        long j = 0;
        for (; j + 2 * VECTOR_BYTES <= bytes; j += 2 * VECTOR_BYTES) {
            final long k = j + VECTOR_BYTES;
            final FloatVector w0 = Fma.fma(a, FloatVector.fromMemorySegment(FLOAT, gs, j, NATIVE),
                    FloatVector.fromMemorySegment(FLOAT, ws, j, NATIVE));
            final FloatVector w1 = Fma.fma(a, FloatVector.fromMemorySegment(FLOAT, gs, k, NATIVE),
                    FloatVector.fromMemorySegment(FLOAT, ws, k, NATIVE));
            w0.intoMemorySegment(ws, j, NATIVE);
            w1.intoMemorySegment(ws, k, NATIVE);
            final FloatVector e0 = w0.sub(FloatVector.fromMemorySegment(FLOAT, ts, j, NATIVE));
            final FloatVector e1 = w1.sub(FloatVector.fromMemorySegment(FLOAT, ts, k, NATIVE));
            s0 = Fma.fma(e0, e0, s0);
            s1 = Fma.fma(e1, e1, s1);
        }
        for (; j < bytes; j += VECTOR_BYTES) {
            final FloatVector w0 = Fma.fma(a, FloatVector.fromMemorySegment(FLOAT, gs, j, NATIVE),
                    FloatVector.fromMemorySegment(FLOAT, ws, j, NATIVE));
            w0.intoMemorySegment(ws, j, NATIVE);
            final FloatVector e0 = w0.sub(FloatVector.fromMemorySegment(FLOAT, ts, j, NATIVE));
            s0 = Fma.fma(e0, e0, s0);
        }
        return Reductions.sum(s0.add(s1));
    }

    /** {@code ||a - b||^2}. */
    public static double distanceSquared(final OffHeapVector a, final OffHeapVector b) {
        requireSameLength(a, b, "b");
        final MemorySegment as = a.segment();
        final MemorySegment bs = b.segment();
        final long bytes = as.byteSize();
        return KernelFamily.DENSE.vector() ? distanceSquared(as, bs, bytes)
                : ScalarDenseOps.distanceSquared(as, bs, bytes / Float.BYTES);
    }

    /** {@link #distanceSquared(OffHeapVector, OffHeapVector)} on vectors. */
    static double distanceSquared(final MemorySegment as, final MemorySegment bs, final long bytes) {
        FloatVector s0 = FloatVector.zero(FLOAT);
        FloatVector s1 = s0;
        long j = 0;
        for (; j + 2 * VECTOR_BYTES <= bytes; j += 2 * VECTOR_BYTES) {
            final FloatVector e0 = FloatVector.fromMemorySegment(FLOAT, as, j, NATIVE)
                    .sub(FloatVector.fromMemorySegment(FLOAT, bs, j, NATIVE));
            final FloatVector e1 = FloatVector.fromMemorySegment(FLOAT, as, j + VECTOR_BYTES, NATIVE)
                    .sub(FloatVector.fromMemorySegment(FLOAT, bs, j + VECTOR_BYTES, NATIVE));
            s0 = Fma.fma(e0, e0, s0);
            s1 = Fma.fma(e1, e1, s1);
        }
        for (; j < bytes; j += VECTOR_BYTES) {
            final FloatVector e0 = FloatVector.fromMemorySegment(FLOAT, as, j, NATIVE)
                    .sub(FloatVector.fromMemorySegment(FLOAT, bs, j, NATIVE));
            s0 = Fma.fma(e0, e0, s0);
        }
        return Reductions.sum(s0.add(s1));
    }

    /** {@code ||a||^2}. */
    public static double normSquared(final OffHeapVector a) {
        final MemorySegment as = a.segment();
        final long bytes = as.byteSize();
        return KernelFamily.DENSE.vector() ? normSquared(as, bytes) : ScalarDenseOps.normSquared(as, bytes / Float.BYTES);
    }

    /** {@link #normSquared(OffHeapVector)} on vectors. */
    static double normSquared(final MemorySegment as, final long bytes) {
        FloatVector s0 = FloatVector.zero(FLOAT);
        for (long j = 0; j < bytes; j += VECTOR_BYTES) {
            final FloatVector v = FloatVector.fromMemorySegment(FLOAT, as, j, NATIVE);
            s0 = Fma.fma(v, v, s0);
        }
        return Reductions.sum(s0);
    }

    /** {@code v *= factor}. */
    public static void scale(final OffHeapVector v, final float factor) {
        final MemorySegment vs = v.segment();
        final long bytes = vs.byteSize();
        if (!KernelFamily.DENSE.vector()) {
            ScalarDenseOps.scale(vs, factor, bytes / Float.BYTES);
            return;
        }
        for (long j = 0; j < bytes; j += VECTOR_BYTES) {
            FloatVector.fromMemorySegment(FLOAT, vs, j, NATIVE).mul(factor).intoMemorySegment(vs, j, NATIVE);
        }
    }

    /**
     * {@code acc += v}.
     *
     * @throws IllegalArgumentException if the lengths differ
     */
    public static void add(final OffHeapVector acc, final OffHeapVector v) {
        requireSameLength(acc, v, "v");
        final MemorySegment as = acc.segment();
        final MemorySegment vs = v.segment();
        final long bytes = as.byteSize();
        if (!KernelFamily.DENSE.vector()) {
            ScalarDenseOps.add(as, vs, bytes / Float.BYTES);
            return;
        }
        for (long j = 0; j < bytes; j += VECTOR_BYTES) {
            FloatVector.fromMemorySegment(FLOAT, as, j, NATIVE).add(FloatVector.fromMemorySegment(FLOAT, vs, j, NATIVE))
                    .intoMemorySegment(as, j, NATIVE);
        }
    }

    private static void requireSameLength(final OffHeapVector a, final OffHeapVector b, final String what) {
        if (a.length() != b.length()) {
            throw new IllegalArgumentException(what + " has length " + b.length() + ", expected " + a.length());
        }
    }
}
