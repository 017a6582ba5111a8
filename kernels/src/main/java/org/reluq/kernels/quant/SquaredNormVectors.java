package org.reluq.kernels.quant;

import static org.reluq.kernels.simd.Species.FLOAT;
import static org.reluq.kernels.simd.Species.LANES;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.reluq.kernels.simd.Species;

/** {@link SquaredNorm} on vectors: the 16 partials in two, four or eight double vectors. */
final class SquaredNormVectors {

    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final VectorSpecies<Double> DOUBLE = Species.DOUBLE;
    private static final int HALF = LANES / 2;

    private SquaredNormVectors() {
    }

    /**
     * Adds the squares of the whole groups of 16 of the {@code length} floats at byte {@code offset} of
     * {@code s} into the partials {@code p} (which it overwrites) and returns how many floats it took.
     */
    static int partials(final MemorySegment s, final long offset, final int length, final double[] p) {
        DoubleVector a0 = DoubleVector.zero(DOUBLE);
        DoubleVector a1 = a0;
        DoubleVector a2 = a0;
        DoubleVector a3 = a0;
        DoubleVector a4 = a0;
        DoubleVector a5 = a0;
        DoubleVector a6 = a0;
        DoubleVector a7 = a0;
        final int whole = length - length % 16;
        for (int k = 0; k < whole; k += 16) {
            final long at = offset + 4L * k;
            final FloatVector v0 = FloatVector.fromMemorySegment(FLOAT, s, at, NATIVE);
            a0 = square(v0, 0, a0);
            a1 = square(v0, 1, a1);
            if (LANES <= 8) {
                final FloatVector v1 = FloatVector.fromMemorySegment(FLOAT, s, at + 4L * LANES, NATIVE);
                a2 = square(v1, 0, a2);
                a3 = square(v1, 1, a3);
            }
            if (LANES == 4) {
                final FloatVector v2 = FloatVector.fromMemorySegment(FLOAT, s, at + 8L * LANES, NATIVE);
                final FloatVector v3 = FloatVector.fromMemorySegment(FLOAT, s, at + 12L * LANES, NATIVE);
                a4 = square(v2, 0, a4);
                a5 = square(v2, 1, a5);
                a6 = square(v3, 0, a6);
                a7 = square(v3, 1, a7);
            }
        }
        // partial i sits in lane i mod HALF of accumulator i / HALF
        a0.intoArray(p, 0);
        a1.intoArray(p, HALF);
        if (LANES <= 8) {
            a2.intoArray(p, 2 * HALF);
            a3.intoArray(p, 3 * HALF);
        }
        if (LANES == 4) {
            a4.intoArray(p, 4 * HALF);
            a5.intoArray(p, 5 * HALF);
            a6.intoArray(p, 6 * HALF);
            a7.intoArray(p, 7 * HALF);
        }
        return whole;
    }

    private static DoubleVector square(final FloatVector v, final int part, final DoubleVector acc) {
        final DoubleVector x = (DoubleVector) v.convertShape(VectorOperators.F2D, DOUBLE, part);
        return x.mul(x).add(acc);
    }
}
