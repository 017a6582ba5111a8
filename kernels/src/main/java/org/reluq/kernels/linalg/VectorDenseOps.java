package org.reluq.kernels.linalg;

import static org.reluq.kernels.simd.Species.FLOAT;
import static org.reluq.kernels.simd.Species.VECTOR_BYTES;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import org.reluq.kernels.internal.Reductions;
import org.reluq.kernels.internal.VectorFma;

/** {@link DenseOps} on vectors, over whole padded segments of {@code bytes} bytes. */
final class VectorDenseOps {

    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private VectorDenseOps() {
    }

    /** {@code DenseOps.axpyThenDistanceSquared} on vectors. */
    static double axpyThenDistanceSquared(final MemorySegment ws, final float alpha, final MemorySegment gs,
                                          final MemorySegment ts, final long bytes) {
        final FloatVector a = FloatVector.broadcast(FLOAT, alpha);
        FloatVector s0 = FloatVector.zero(FLOAT);
        FloatVector s1 = s0;
        long j = 0;
        for (; j + 2 * VECTOR_BYTES <= bytes; j += 2 * VECTOR_BYTES) {
            final long k = j + VECTOR_BYTES;
            final FloatVector w0 = VectorFma.fma(a, FloatVector.fromMemorySegment(FLOAT, gs, j, NATIVE),
                    FloatVector.fromMemorySegment(FLOAT, ws, j, NATIVE));
            final FloatVector w1 = VectorFma.fma(a, FloatVector.fromMemorySegment(FLOAT, gs, k, NATIVE),
                    FloatVector.fromMemorySegment(FLOAT, ws, k, NATIVE));
            w0.intoMemorySegment(ws, j, NATIVE);
            w1.intoMemorySegment(ws, k, NATIVE);
            final FloatVector e0 = w0.sub(FloatVector.fromMemorySegment(FLOAT, ts, j, NATIVE));
            final FloatVector e1 = w1.sub(FloatVector.fromMemorySegment(FLOAT, ts, k, NATIVE));
            s0 = VectorFma.fma(e0, e0, s0);
            s1 = VectorFma.fma(e1, e1, s1);
        }
        for (; j < bytes; j += VECTOR_BYTES) {
            final FloatVector w0 = VectorFma.fma(a, FloatVector.fromMemorySegment(FLOAT, gs, j, NATIVE),
                    FloatVector.fromMemorySegment(FLOAT, ws, j, NATIVE));
            w0.intoMemorySegment(ws, j, NATIVE);
            final FloatVector e0 = w0.sub(FloatVector.fromMemorySegment(FLOAT, ts, j, NATIVE));
            s0 = VectorFma.fma(e0, e0, s0);
        }
        return Reductions.sum(s0.add(s1));
    }

    /** {@code DenseOps.distanceSquared} on vectors. */
    static double distanceSquared(final MemorySegment as, final MemorySegment bs, final long bytes) {
        FloatVector s0 = FloatVector.zero(FLOAT);
        FloatVector s1 = s0;
        long j = 0;
        for (; j + 2 * VECTOR_BYTES <= bytes; j += 2 * VECTOR_BYTES) {
            final FloatVector e0 = FloatVector.fromMemorySegment(FLOAT, as, j, NATIVE)
                    .sub(FloatVector.fromMemorySegment(FLOAT, bs, j, NATIVE));
            final FloatVector e1 = FloatVector.fromMemorySegment(FLOAT, as, j + VECTOR_BYTES, NATIVE)
                    .sub(FloatVector.fromMemorySegment(FLOAT, bs, j + VECTOR_BYTES, NATIVE));
            s0 = VectorFma.fma(e0, e0, s0);
            s1 = VectorFma.fma(e1, e1, s1);
        }
        for (; j < bytes; j += VECTOR_BYTES) {
            final FloatVector e0 = FloatVector.fromMemorySegment(FLOAT, as, j, NATIVE)
                    .sub(FloatVector.fromMemorySegment(FLOAT, bs, j, NATIVE));
            s0 = VectorFma.fma(e0, e0, s0);
        }
        return Reductions.sum(s0.add(s1));
    }

    /** {@code DenseOps.normSquared} on vectors. */
    static double normSquared(final MemorySegment as, final long bytes) {
        FloatVector s0 = FloatVector.zero(FLOAT);
        for (long j = 0; j < bytes; j += VECTOR_BYTES) {
            final FloatVector v = FloatVector.fromMemorySegment(FLOAT, as, j, NATIVE);
            s0 = VectorFma.fma(v, v, s0);
        }
        return Reductions.sum(s0);
    }

    /** {@code DenseOps.scale} on vectors. */
    static void scale(final MemorySegment vs, final float factor, final long bytes) {
        for (long j = 0; j < bytes; j += VECTOR_BYTES) {
            FloatVector.fromMemorySegment(FLOAT, vs, j, NATIVE).mul(factor).intoMemorySegment(vs, j, NATIVE);
        }
    }

    /** {@code DenseOps.add} on vectors. */
    static void add(final MemorySegment as, final MemorySegment vs, final long bytes) {
        for (long j = 0; j < bytes; j += VECTOR_BYTES) {
            FloatVector.fromMemorySegment(FLOAT, as, j, NATIVE).add(FloatVector.fromMemorySegment(FLOAT, vs, j, NATIVE))
                    .intoMemorySegment(as, j, NATIVE);
        }
    }
}
