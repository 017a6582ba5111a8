package org.reluq.bench.baseline;

import static org.reluq.kernels.simd.Species.FLOAT;
import static org.reluq.kernels.simd.Species.VECTOR_BYTES;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import org.reluq.kernels.internal.Padded;
import org.reluq.kernels.internal.Reductions;
import org.reluq.kernels.memory.OffHeapMatrix;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.parallel.KernelPool;

/**
 * The roofline probe: streams a matrix once and sums it with eight independent accumulators, the least
 * work that still reads every byte. A kernel that must read X once can at best match its time.
 */
public final class ReadProbe {

    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private ReadProbe() {
    }

    /** The sum of every element (padding included, which is zero). */
    public static float sum(final OffHeapMatrix x) {
        return sum(x.segment());
    }

    /** The sum of every element (padding included, which is zero). */
    public static float sum(final OffHeapVector v) {
        return sum(Padded.of(v));
    }

    /**
     * The sum of X read by the pool's threads, in {@code parts.length} contiguous parts added in order: the
     * roofline of a parallel kernel that reads X once.
     */
    public static float sum(final OffHeapMatrix x, final KernelPool pool, final float[] parts) {
        return sum(x.segment(), pool, parts);
    }

    /** The sum of the segment read by the pool's threads, in {@code parts.length} parts added in order. */
    public static float sum(final MemorySegment s, final KernelPool pool, final float[] parts) {
        final long chunk = (s.byteSize() / parts.length) & -VECTOR_BYTES;
        pool.run(parts.length, b -> parts[b] = sum(s.asSlice(b * chunk,
                b == parts.length - 1 ? s.byteSize() - b * chunk : chunk)));
        float total = 0;
        for (final float part : parts) {
            total += part;
        }
        return total;
    }

    /** The sum of the segment's floats (its size a multiple of 4 bytes). */
    public static float sum(final MemorySegment s) {
        final long bytes = s.byteSize();
        final long step = 8 * VECTOR_BYTES;
        FloatVector a0 = FloatVector.zero(FLOAT);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        FloatVector a6 = a0;
        FloatVector a7 = a0;
        long j = 0;
        for (; j + step <= bytes; j += step) {
            a0 = a0.add(FloatVector.fromMemorySegment(FLOAT, s, j, NATIVE));
            a1 = a1.add(FloatVector.fromMemorySegment(FLOAT, s, j + VECTOR_BYTES, NATIVE));
            a2 = a2.add(FloatVector.fromMemorySegment(FLOAT, s, j + 2 * VECTOR_BYTES, NATIVE));
            a3 = a3.add(FloatVector.fromMemorySegment(FLOAT, s, j + 3 * VECTOR_BYTES, NATIVE));
            a4 = a4.add(FloatVector.fromMemorySegment(FLOAT, s, j + 4 * VECTOR_BYTES, NATIVE));
            a5 = a5.add(FloatVector.fromMemorySegment(FLOAT, s, j + 5 * VECTOR_BYTES, NATIVE));
            a6 = a6.add(FloatVector.fromMemorySegment(FLOAT, s, j + 6 * VECTOR_BYTES, NATIVE));
            a7 = a7.add(FloatVector.fromMemorySegment(FLOAT, s, j + 7 * VECTOR_BYTES, NATIVE));
        }
        for (; j < bytes; j += VECTOR_BYTES) {
            a0 = a0.add(FloatVector.fromMemorySegment(FLOAT, s, j, NATIVE));
        }
        return Reductions.sum(a0.add(a1).add(a2.add(a3)).add(a4.add(a5).add(a6.add(a7))));
    }

    /**
     * The sum of the listed rows (padding included): one read of exactly the bytes a mini-batch touches.
     * Eight rows are read side by side, the fastest of the 1, 4 and 8 streams measured here (more streams
     * keep more cache misses in flight when rows are scattered).
     */
    public static float sumRows(final OffHeapMatrix x, final int[] rows) {
        final MemorySegment s = x.segment();
        final long stride = x.strideBytes();
        FloatVector a0 = FloatVector.zero(FLOAT);
        FloatVector a1 = a0;
        FloatVector a2 = a0;
        FloatVector a3 = a0;
        FloatVector a4 = a0;
        FloatVector a5 = a0;
        FloatVector a6 = a0;
        FloatVector a7 = a0;
        int k = 0;
        for (; k + 7 < rows.length; k += 8) {
            final long o0 = rows[k] * stride;
            final long o1 = rows[k + 1] * stride;
            final long o2 = rows[k + 2] * stride;
            final long o3 = rows[k + 3] * stride;
            final long o4 = rows[k + 4] * stride;
            final long o5 = rows[k + 5] * stride;
            final long o6 = rows[k + 6] * stride;
            final long o7 = rows[k + 7] * stride;
            for (long j = 0; j < stride; j += VECTOR_BYTES) {
                a0 = a0.add(FloatVector.fromMemorySegment(FLOAT, s, o0 + j, NATIVE));
                a1 = a1.add(FloatVector.fromMemorySegment(FLOAT, s, o1 + j, NATIVE));
                a2 = a2.add(FloatVector.fromMemorySegment(FLOAT, s, o2 + j, NATIVE));
                a3 = a3.add(FloatVector.fromMemorySegment(FLOAT, s, o3 + j, NATIVE));
                a4 = a4.add(FloatVector.fromMemorySegment(FLOAT, s, o4 + j, NATIVE));
                a5 = a5.add(FloatVector.fromMemorySegment(FLOAT, s, o5 + j, NATIVE));
                a6 = a6.add(FloatVector.fromMemorySegment(FLOAT, s, o6 + j, NATIVE));
                a7 = a7.add(FloatVector.fromMemorySegment(FLOAT, s, o7 + j, NATIVE));
            }
        }
        for (; k < rows.length; k++) {
            final long o = rows[k] * stride;
            for (long j = 0; j < stride; j += VECTOR_BYTES) {
                a0 = a0.add(FloatVector.fromMemorySegment(FLOAT, s, o + j, NATIVE));
            }
        }
        return Reductions.sum(a0.add(a1).add(a2.add(a3)).add(a4.add(a5).add(a6.add(a7))));
    }
}
