package org.reluq.kernels.encoder;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.reluq.kernels.codec.MalformedFrameException;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.parallel.KernelPool;
import org.reluq.kernels.simd.Fma;
import org.reluq.kernels.warmup.KernelFamily;

/**
 * The uncompressed baseline ({@code fp32}, encoder id 1): the payload is the d floats, little-endian.
 * Decode-and-accumulate computes {@code acc_j = fma(x_j, scale, acc_j)}, fused where the hardware has FMA
 * ({@link Fma}). Non-finite values are rejected both ways.
 */
public final class Fp32Encoder extends FramedEncoder<FramedEncoder.EmptyState> {

    /** Encoder id in the frame. */
    public static final int ID = 1;

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfFloat LE_FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(LE);

    /** The fp32 encoder (stateless; {@code Encoders.parse("fp32")} gives one). */
    public Fp32Encoder() {
        super(EmptyState.class);
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
    public boolean unbiased() {
        return true;
    }

    @Override
    public double varianceFactor(final int d) {
        return 0;
    }

    @Override
    protected long maxPayloadBytes(final int d) {
        return 4L * d;
    }

    @Override
    protected EmptyState createState(final int d) {
        return new EmptyState(this, d);
    }

    @Override
    protected int encodePayload(final OffHeapVector g, final long seed, final long stream, final EmptyState state,
                                final MemorySegment payload, final KernelPool pool) {
        final int d = g.length();
        final MemorySegment gs = g.segment();
        final int bad = firstNonFinite(gs, d);
        if (bad >= 0) {
            throw notFinite(bad, g.get(bad));
        }
        MemorySegment.copy(gs, ValueLayout.JAVA_FLOAT, 0, payload, LE_FLOAT, 0, d);
        return 4 * d;
    }

    @Override
    protected void decodePayload(final Frame.Header header, final MemorySegment payload, final float scale,
                                 final EmptyState state, final OffHeapVector acc) {
        final int d = acc.length();
        if (payload.byteSize() != 4L * d) {
            throw new MalformedFrameException("fp32 payload of " + payload.byteSize() + " bytes for dimension " + d
                    + " (needs " + 4L * d + ")");
        }
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

    @Override
    public boolean equals(final Object o) {
        return o instanceof Fp32Encoder;
    }

    @Override
    public int hashCode() {
        return ID;
    }

    @Override
    protected void tallyPayload(final Frame.Header header, final MemorySegment payload, final EmptyState state,
                                final SymbolTally tally) {
        tallyFloats(payload, 0, state.dimension(), tally);
    }

}
