package org.reluq.kernels.encoder;

import static org.reluq.kernels.simd.Species.FLOAT;
import static org.reluq.kernels.simd.Species.LANES;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.reluq.kernels.codec.MalformedFrameException;
import org.reluq.kernels.memory.OffHeapVector;

/**
 * The uncompressed baseline ({@code fp32}, encoder id 1): the payload is the d floats, little-endian.
 * Decode-and-accumulate computes {@code acc_j = fma(x_j, scale, acc_j)}. Non-finite values are rejected
 * both ways.
 */
public final class Fp32Encoder implements Encoder {

    /** Encoder id in the frame. */
    public static final int ID = 1;

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    @Override
    public int id() {
        return ID;
    }

    @Override
    public String spec() {
        return "fp32";
    }

    @Override
    public double varianceFactor(final int d) {
        return 0;
    }

    @Override
    public int maxFrameBytes(final int d) {
        return Frame.HEADER_BYTES + 4 * Frame.requireDimension(d);
    }

    @Override
    public int encode(final OffHeapVector g, final long seed, final long stream, final MutableDirectBuffer dst,
                      final int offset) {
        final int d = Frame.requireDimension(g.length());
        Frame.requireCapacity(dst, offset, maxFrameBytes(d));
        final MemorySegment gs = g.segment();
        final int bad = firstNonFinite(gs, d);
        if (bad >= 0) {
            throw new IllegalArgumentException("gradient entry " + bad + " = " + g.get(bad)
                    + " is not finite: frames carry finite gradients only");
        }
        Frame.writeHeader(dst, offset, new Frame.Header(ID, d, 0, 0, 0, seed, stream, 4 * d));
        MemorySegment.copy(gs, ValueLayout.JAVA_FLOAT, 0, BufferSegments.of(dst),
                ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE), offset + Frame.HEADER_BYTES, d);
        return Frame.seal(dst, offset, 4 * d);
    }

    @Override
    public void decodeAccumulate(final DirectBuffer src, final int offset, final int length, final float scale,
                                 final OffHeapVector acc) {
        final Frame.Header h = Frame.read(src, offset, length);
        final int d = acc.length();
        Frame.expect(h, ID, 0, 0, 0, d);
        if (h.payloadBytes() != 4L * d) {
            throw new MalformedFrameException("fp32 payload of " + h.payloadBytes() + " bytes for dimension " + d
                    + " (needs " + 4L * d + ")");
        }
        final MemorySegment payload = BufferSegments.of(src).asSlice(offset + Frame.HEADER_BYTES, 4L * d);
        final int bad = firstNonFinite(payload, d);
        if (bad >= 0) {
            throw new MalformedFrameException("fp32 payload entry " + bad + " is not finite");
        }
        final MemorySegment as = acc.segment();
        final FloatVector s = FloatVector.broadcast(FLOAT, scale);
        for (int j = 0; j < d; j += LANES) {
            final VectorMask<Float> in = FLOAT.indexInRange(j, d);
            FloatVector.fromMemorySegment(FLOAT, payload, 4L * j, LE, in)
                    .fma(s, FloatVector.fromMemorySegment(FLOAT, as, 4L * j, ByteOrder.nativeOrder(), in))
                    .intoMemorySegment(as, 4L * j, ByteOrder.nativeOrder(), in);
        }
    }

    /** The index of the first NaN or infinite float of the d at the start of s (little-endian), or -1. */
    private static int firstNonFinite(final MemorySegment s, final int d) {
        for (int j = 0; j < d; j += LANES) {
            final VectorMask<Float> in = FLOAT.indexInRange(j, d);
            final VectorMask<Float> bad = FloatVector.fromMemorySegment(FLOAT, s, 4L * j, LE, in)
                    .test(VectorOperators.IS_FINITE, in).not().and(in);
            if (bad.anyTrue()) {
                return j + bad.firstTrue();
            }
        }
        return -1;
    }
}
