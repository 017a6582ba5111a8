package org.reluq.kernels.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.reluq.kernels.simd.Vectorization;
import org.reluq.kernels.warmup.KernelFamily;

/**
 * The sum of squares of a run of floats, in double and in an order that does not depend on the vector
 * width, so a quantization is bit-identical on every machine.
 *
 * <p>Definition: element k of the run (k from 0) is added to partial {@code k mod 16} as
 * {@code p = (double) x * (double) x + p}; then the sum is {@code ((p0 + p1) + p2) + ... + p15}.
 * In double the squares of floats are exact and cannot overflow, so only NaN or infinite entries make
 * the result non-finite; an exact product also makes a fused multiply-add give the same bits, so the code
 * multiplies and adds, which is fast on hardware without FMA too. On the path of {@link KernelFamily#QUANTIZE}
 * a 512-bit vector carries the 16 partials in two double vectors, a 256-bit one in four, a 128-bit one in eight
 * ({@code SquaredNormVectors}), at 256 bits and wider; the scalar path keeps them in the array.
 */
final class SquaredNorm {

    /** The number of partial sums, and the length of the scratch array {@link #of} takes. */
    static final int PARTIALS = 16;

    /**
     * Whether the vector loop beats the scalar one: its float-to-double conversions are slower than scalar code at
     * 128 bits (3.3 against 1.1 ms for 2^20 floats here) and without AVX; measured, not assumed.
     */
    private static final boolean VECTORS_PAY = Vectorization.LANES >= 8 && Vectorization.MASKS_AND_CONVERSIONS;

    private SquaredNorm() {
    }

    /**
     * The sum of squares of the {@code length} floats at byte {@code offset} of {@code s}; {@code p} is
     * scratch for the {@value #PARTIALS} partial sums (overwritten), taken once by a caller that sums many
     * buckets.
     */
    static double of(final MemorySegment s, final long offset, final int length, final double[] p) {
        int k = 0;
        if (KernelFamily.QUANTIZE.vector() && VECTORS_PAY) {
            k = SquaredNormVectors.partials(s, offset, length, p);
        } else {
            Arrays.fill(p, 0, PARTIALS, 0.0);
            // whole groups of 16 first: the inner loop has no modulo, and C2 may vectorize it
            for (; k + PARTIALS <= length; k += PARTIALS) {
                for (int i = 0; i < PARTIALS; i++) {
                    final double x = s.get(ValueLayout.JAVA_FLOAT_UNALIGNED, offset + 4L * (k + i));
                    p[i] = x * x + p[i];
                }
            }
        }
        for (; k < length; k++) {
            final double x = s.get(ValueLayout.JAVA_FLOAT_UNALIGNED, offset + 4L * k);
            p[k % PARTIALS] = x * x + p[k % PARTIALS];
        }
        double sum = p[0];
        for (int i = 1; i < PARTIALS; i++) {
            sum += p[i];
        }
        return sum;
    }
}
