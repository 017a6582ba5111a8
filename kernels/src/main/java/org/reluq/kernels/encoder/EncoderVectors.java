package org.reluq.kernels.encoder;

import static org.reluq.kernels.simd.Species.FLOAT;
import static org.reluq.kernels.simd.Species.INT;
import static org.reluq.kernels.simd.Species.LANES;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import org.reluq.kernels.internal.VectorFma;

/**
 * The encoders' loops on vectors, over whole vectors; the encoders finish each range one value at a time by
 * the same operations, which is all they do on the scalar path.
 */
final class EncoderVectors {

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private EncoderVectors() {
    }

    /**
     * {@code acc_j = fma(x_j, scale, acc_j)} for the whole vectors of the d little-endian floats x at the start
     * of {@code payload}; returns the first index not done.
     */
    static int scaledAdd(final MemorySegment payload, final int d, final float scale, final MemorySegment as) {
        final FloatVector s = FloatVector.broadcast(FLOAT, scale);
        final int whole = d - d % LANES;
        for (int j = 0; j < whole; j += LANES) {
            VectorFma.fma(FloatVector.fromMemorySegment(FLOAT, payload, 4L * j, LE), s,
                    FloatVector.fromMemorySegment(FLOAT, as, 4L * j, NATIVE)).intoMemorySegment(as, 4L * j, NATIVE);
        }
        return whole;
    }

    /**
     * The start of the first whole vector of the d little-endian floats at the start of s that holds a NaN or
     * an infinity, else the end of the whole vectors.
     */
    static int finitePrefix(final MemorySegment s, final int d) {
        final int whole = d - d % LANES;
        for (int j = 0; j < whole; j += LANES) {
            if (!FloatVector.fromMemorySegment(FLOAT, s, 4L * j, LE).test(VectorOperators.IS_FINITE).allTrue()) {
                return j;
            }
        }
        return whole;
    }

    /** Bit k set for each of the 64 int codes {@code j + k} (native order) that is not zero. */
    static long nonzeros64(final MemorySegment codes, final int j) {
        long found = 0;
        for (int k = 0; k < 64; k += LANES) {
            found |= IntVector.fromMemorySegment(INT, codes, 4L * (j + k), NATIVE).compare(VectorOperators.NE, 0)
                    .toLong() << k;
        }
        return found;
    }
}
