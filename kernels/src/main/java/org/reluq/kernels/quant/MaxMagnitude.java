package org.reluq.kernels.quant;

import static org.reluq.kernels.simd.Vectorization.LANES;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.reluq.kernels.warmup.KernelFamily;

/**
 * The largest magnitude of a run of floats, the max norm of {@link QsgdParams.Norm#MAX}: the largest of the
 * entries' bits with the sign cleared, as ints. For floats that order is the order of magnitudes, so the result is
 * the same bits in any order and on any path, and NaN (above infinity as bits) cannot hide: a result at or above
 * infinity's bits says an entry is not finite. The vector loop is {@code QsgdVectors.maxMagnitudeBits}.
 */
final class MaxMagnitude {

    static final int MAGNITUDE = 0x7FFF_FFFF;

    private MaxMagnitude() {
    }

    /** The largest {@code |x| bits} of the {@code length} floats at byte {@code offset} of {@code s}. */
    static int bitsOf(final MemorySegment s, final long offset, final int length) {
        int k = 0;
        int max = 0;
        if (KernelFamily.QUANTIZE.vector()) {
            k = length - length % (4 * LANES);
            max = QsgdVectors.maxMagnitudeBits(s, offset, k);
        }
        for (; k < length; k++) {
            max = Math.max(max, s.get(ValueLayout.JAVA_INT_UNALIGNED, offset + 4L * k) & MAGNITUDE);
        }
        return max;
    }
}
