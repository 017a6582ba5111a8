package org.reluq.kernels.model;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.reluq.kernels.simd.Species;

/** {@link LabelDot}'s sixteen running sums on double vectors. */
final class LabelDotVectors {

    private static final VectorSpecies<Float> FLOAT = Species.FLOAT;
    private static final VectorSpecies<Double> DOUBLE = Species.DOUBLE;
    private static final int FLOAT_BYTES = FLOAT.vectorByteSize();
    private static final int DOUBLE_BYTES = DOUBLE.vectorByteSize();
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private LabelDotVectors() {
    }

    /** {@code <w, x>} by the definition for the row at byte {@code offset} of xs and w's doubles in ws. */
    static double dot(final MemorySegment xs, final long offset, final MemorySegment ws, final int length) {
        return switch (FLOAT.length()) {
            case 16 -> dot16(xs, offset, ws, length);
            case 8 -> dot8(xs, offset, ws, length);
            default -> dot4(xs, offset, ws, length);
        };
    }

    private static DoubleVector part(final MemorySegment xs, final long at, final int part) {
        return (DoubleVector) FloatVector.fromMemorySegment(FLOAT, xs, at, NATIVE)
                .convertShape(VectorOperators.F2D, DOUBLE, part);
    }

    private static DoubleVector weights(final MemorySegment ws, final long at) {
        return DoubleVector.fromMemorySegment(DOUBLE, ws, at, NATIVE);
    }

    private static double dot16(final MemorySegment xs, final long row, final MemorySegment ws, final long length) {
        DoubleVector c0 = DoubleVector.zero(DOUBLE);
        DoubleVector c8 = c0;
        for (long j = 0; j < length; j += LabelDot.STEP) {
            final FloatVector x = FloatVector.fromMemorySegment(FLOAT, xs, row + j * Float.BYTES, NATIVE);
            final long w = j * Double.BYTES;
            c0 = c0.add(((DoubleVector) x.convertShape(VectorOperators.F2D, DOUBLE, 0)).mul(weights(ws, w)));
            c8 = c8.add(((DoubleVector) x.convertShape(VectorOperators.F2D, DOUBLE, 1)).mul(weights(ws, w + DOUBLE_BYTES)));
        }
        final DoubleVector t = c0.add(c8);
        final double u0 = t.lane(0) + t.lane(4);
        final double u1 = t.lane(1) + t.lane(5);
        final double u2 = t.lane(2) + t.lane(6);
        final double u3 = t.lane(3) + t.lane(7);
        return (u0 + u2) + (u1 + u3);
    }

    private static double dot8(final MemorySegment xs, final long row, final MemorySegment ws, final long length) {
        DoubleVector c0 = DoubleVector.zero(DOUBLE);
        DoubleVector c4 = c0;
        DoubleVector c8 = c0;
        DoubleVector c12 = c0;
        for (long j = 0; j < length; j += LabelDot.STEP) {
            final long x = row + j * Float.BYTES;
            final long w = j * Double.BYTES;
            c0 = c0.add(part(xs, x, 0).mul(weights(ws, w)));
            c4 = c4.add(part(xs, x, 1).mul(weights(ws, w + DOUBLE_BYTES)));
            c8 = c8.add(part(xs, x + FLOAT_BYTES, 0).mul(weights(ws, w + 2 * DOUBLE_BYTES)));
            c12 = c12.add(part(xs, x + FLOAT_BYTES, 1).mul(weights(ws, w + 3 * DOUBLE_BYTES)));
        }
        final DoubleVector u = c0.add(c8).add(c4.add(c12));
        return (u.lane(0) + u.lane(2)) + (u.lane(1) + u.lane(3));
    }

    private static double dot4(final MemorySegment xs, final long row, final MemorySegment ws, final long length) {
        DoubleVector c0 = DoubleVector.zero(DOUBLE);
        DoubleVector c2 = c0;
        DoubleVector c4 = c0;
        DoubleVector c6 = c0;
        DoubleVector c8 = c0;
        DoubleVector c10 = c0;
        DoubleVector c12 = c0;
        DoubleVector c14 = c0;
        for (long j = 0; j < length; j += LabelDot.STEP) {
            final long x = row + j * Float.BYTES;
            final long w = j * Double.BYTES;
            c0 = c0.add(part(xs, x, 0).mul(weights(ws, w)));
            c2 = c2.add(part(xs, x, 1).mul(weights(ws, w + DOUBLE_BYTES)));
            c4 = c4.add(part(xs, x + FLOAT_BYTES, 0).mul(weights(ws, w + 2 * DOUBLE_BYTES)));
            c6 = c6.add(part(xs, x + FLOAT_BYTES, 1).mul(weights(ws, w + 3 * DOUBLE_BYTES)));
            c8 = c8.add(part(xs, x + 2 * FLOAT_BYTES, 0).mul(weights(ws, w + 4 * DOUBLE_BYTES)));
            c10 = c10.add(part(xs, x + 2 * FLOAT_BYTES, 1).mul(weights(ws, w + 5 * DOUBLE_BYTES)));
            c12 = c12.add(part(xs, x + 3 * FLOAT_BYTES, 0).mul(weights(ws, w + 6 * DOUBLE_BYTES)));
            c14 = c14.add(part(xs, x + 3 * FLOAT_BYTES, 1).mul(weights(ws, w + 7 * DOUBLE_BYTES)));
        }
        final DoubleVector v = c0.add(c8).add(c4.add(c12)).add(c2.add(c10).add(c6.add(c14)));
        return v.lane(0) + v.lane(1);
    }
}
