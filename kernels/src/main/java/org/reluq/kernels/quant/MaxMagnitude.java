package org.reluq.kernels.quant;

import static org.reluq.kernels.simd.Species.INT;
import static org.reluq.kernels.simd.Species.LANES;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import org.reluq.kernels.warmup.KernelFamily;

/**
 * The largest magnitude of a run of floats, the max norm of {@link QsgdParams.Norm#MAX}: the largest of the
 * entries' bits with the sign cleared, as ints. For floats that order is the order of magnitudes, so the result is
 * the same bits in any order and on any path, and NaN (above infinity as bits) cannot hide: a result at or above
 * infinity's bits says an entry is not finite.
 */
final class MaxMagnitude {

    private static final int MAGNITUDE = 0x7FFF_FFFF;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private MaxMagnitude() {
    }

    /** The largest {@code |x| bits} of the {@code length} floats at byte {@code offset} of {@code s}. */
    static int bitsOf(final MemorySegment s, final long offset, final int length) {
        int k = 0;
        int max = 0;
        if (KernelFamily.QUANTIZE.vector()) {
            final int whole = length - length % (4 * LANES);
            IntVector m0 = IntVector.zero(INT);
            IntVector m1 = m0;
            IntVector m2 = m0;
            IntVector m3 = m0;
            // four accumulators: a max has the latency of an add, and the loads are the limit
            for (; k < whole; k += 4 * LANES) {
                final long at = offset + 4L * k;
                m0 = m0.max(IntVector.fromMemorySegment(INT, s, at, NATIVE).and(MAGNITUDE));
                m1 = m1.max(IntVector.fromMemorySegment(INT, s, at + 4L * LANES, NATIVE).and(MAGNITUDE));
                m2 = m2.max(IntVector.fromMemorySegment(INT, s, at + 8L * LANES, NATIVE).and(MAGNITUDE));
                m3 = m3.max(IntVector.fromMemorySegment(INT, s, at + 12L * LANES, NATIVE).and(MAGNITUDE));
            }
            max = m0.max(m1).max(m2.max(m3)).reduceLanes(VectorOperators.MAX);
        }
        for (; k < length; k++) {
            max = Math.max(max, s.get(ValueLayout.JAVA_INT_UNALIGNED, offset + 4L * k) & MAGNITUDE);
        }
        return max;
    }
}
