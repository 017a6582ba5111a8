package org.reluq.kernels.encoder;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.reluq.kernels.codec.MalformedFrameException;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.simd.Fma;
import org.reluq.kernels.simd.Vectorization;
import org.reluq.kernels.warmup.KernelFamily;

/**
 * The uncompressed baseline ({@code fp32}, encoder id 1): the payload is the d floats, little-endian.
 * Decode-and-accumulate computes {@code acc_j = fma(x_j, scale, acc_j)}, fused where the hardware has FMA
 * ({@link Fma}). Non-finite values are rejected both ways.
 */
public final class Fp32Encoder implements Encoder {

    /** Encoder id in the frame. */
    public static final int ID = 1;

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);

    /** The fp32 encoder (stateless; {@code Encoders.parse("fp32")} gives one). */
    public Fp32Encoder() {
        // nothing to set up until first use
    }

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
        int j = 0;
        if (KernelFamily.QUANTIZE.vector()) {
            j = EncoderVectors.scaledAdd(payload, d, scale, as);
        }
        for (; j < d; j++) {
            as.set(ValueLayout.JAVA_FLOAT, 4L * j, Fma.fma(payload.get(LE_FLOAT, 4L * j), scale,
                    as.get(ValueLayout.JAVA_FLOAT, 4L * j)));
        }
    }

    /** The index of the first NaN or infinite float of the d at the start of s (little-endian), or -1. */
    private static int firstNonFinite(final MemorySegment s, final int d) {
        int j = 0;
        if (KernelFamily.QUANTIZE.vector() && Vectorization.MASKS_AND_CONVERSIONS) {
            j = EncoderVectors.finitePrefix(s, d);
        }
        for (; j < d; j++) {
            if (!Float.isFinite(s.get(LE_FLOAT, 4L * j))) {
                return j;
            }
        }
        return -1;
    }
}
