package org.reluq.kernels.encoder;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.reluq.kernels.codec.BitPacking;
import org.reluq.kernels.codec.MalformedFrameException;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.parallel.KernelPool;
import org.reluq.kernels.simd.Fma;

/**
 * {@code sign} (encoder id 5): one bit per coordinate and one scale, the mean magnitude {@code m = (sum |g_j|) / d}
 * (summed in double, rounded to float once). Coordinate j decodes to {@code -m} if its bit is 1 ({@code g_j < 0})
 * and {@code +m} otherwise. The payload is m as a little-endian float32, then the d bits packed at one bit each in
 * {@link BitPacking}'s layout. Biased: {@code ||Q(g) - g||^2 = ||g||^2 - d m^2}, at most {@code ||g||^2}, so
 * {@link #varianceFactor} is 1; meant for error feedback ({@code ef(sign)}).
 *
 * <p>A decoder rejects a scale that is negative or not finite, a sign bit set when the scale is 0, and nonzero
 * bits after the last coordinate: each gradient has exactly one frame.
 */
public final class SignEncoder extends FramedEncoder<SignEncoder.State> {

    /** Encoder id in the frame. */
    public static final int ID = 5;

    private static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** A worker's sign memory: one int32 bit per coordinate, packed and unpacked there. */
    public static final class State extends FramedEncoder.State {

        private final Arena arena = Arena.ofShared();
        final MemorySegment bits;

        State(final SignEncoder maker, final int d) {
            super(maker, d);
            bits = arena.allocate(4L * d, 64);
        }

        @Override
        public void close() {
            arena.close();
        }
    }

    /** The sign encoder ({@code Encoders.parse("sign")} gives one). */
    public SignEncoder() {
        super(State.class);
    }

    @Override
    public int id() {
        return ID;
    }

    @Override
    public String spec() {
        return "sign";
    }

    @Override
    public boolean unbiased() {
        return false;
    }

    @Override
    public double varianceFactor(final int d) {
        return 1;
    }

    @Override
    protected long maxPayloadBytes(final int d) {
        return 4 + BitPacking.packedBytes(d, 1);
    }

    @Override
    protected State createState(final int d) {
        return new State(this, d);
    }

    @Override
    protected int encodePayload(final OffHeapVector g, final long seed, final long stream, final State state,
                                final MemorySegment payload, final KernelPool pool) {
        final int d = g.length();
        final MemorySegment gs = g.segment();
        double sum = 0;
        for (int j = 0; j < d; j++) {
            final float x = gs.getAtIndex(ValueLayout.JAVA_FLOAT, j);
            if (!Float.isFinite(x)) {
                throw notFinite(j, x);
            }
            sum += Math.abs(x);
            state.bits.setAtIndex(ValueLayout.JAVA_INT, j, x < 0 ? 1 : 0);
        }
        final float scale = (float) (sum / d);
        payload.set(FLOAT_LE, 0, scale);
        if (scale == 0) {
            // every entry is zero (or so small that its mean rounds to 0): no sign bits, as a decoder demands
            state.bits.fill((byte) 0);
        }
        BitPacking.pack(state.bits, 0, d, 1, payload, 4);
        return (int) maxPayloadBytes(d);
    }

    @Override
    protected void decodePayload(final Frame.Header header, final MemorySegment payload, final float scale,
                                 final State state, final OffHeapVector acc) {
        final int d = acc.length();
        requirePayloadBytes(payload, maxPayloadBytes(d), "sign", d);
        final float m = payload.get(FLOAT_LE, 0);
        if (!(m >= 0) || Float.isInfinite(m)) {
            throw new MalformedFrameException("sign scale " + m + " is not a finite non-negative float");
        }
        if (!BitPacking.paddingIsZero(payload, 4, d, 1)) {
            throw new MalformedFrameException("sign payload has nonzero bits after coordinate " + (d - 1));
        }
        if (m == 0) {
            for (long at = 4; at < payload.byteSize(); at += 4) {
                if (payload.get(INT_LE, at) != 0) {
                    throw new MalformedFrameException("sign bits set with scale 0 (payload word at byte " + at + ")");
                }
            }
        }
        // the bits straight from the packed words: in whole block b, coordinate 512 b + 16 t + k is bit t of the
        // block's word k; the tail is one least-significant-bit-first stream
        final MemorySegment as = acc.segment();
        final int blocks = d / BitPacking.BLOCK;
        for (int b = 0; b < blocks; b++) {
            final long words = 4 + 64L * b;
            final int first = b * BitPacking.BLOCK;
            for (int k = 0; k < BitPacking.BLOCK_LANES; k++) {
                final int word = payload.get(INT_LE, words + 4L * k);
                for (int t = 0; t < 32; t++) {
                    accumulate(as, first + 16 * t + k, word >>> t & 1, m, scale);
                }
            }
        }
        final long tailWords = 4 + 64L * blocks;
        for (int j = blocks * BitPacking.BLOCK; j < d; j++) {
            final int i = j - blocks * BitPacking.BLOCK;
            accumulate(as, j, payload.get(INT_LE, tailWords + 4L * (i >>> 5)) >>> (i & 31) & 1, m, scale);
        }
    }

    /** The scale verbatim and the d sign bits as a stream. */
    @Override
    protected void tallyPayload(final Frame.Header header, final MemorySegment payload, final State state,
                                final SymbolTally tally) {
        final int d = state.dimension();
        BitPacking.unpack(payload, 4, d, 1, state.bits, 0);
        tallyInts(tally.stream("signs"), state.bits, d);
        tally.verbatim(32);
    }

    /**
     * {@code acc_j = fma(bit ? -m : m, scale, acc_j)}, the sign put in by flipping m's sign bit: a branch on random
     * signs mispredicted half the time (4.4 ms per 2^20 coordinates against about 1 ms).
     */
    private static void accumulate(final MemorySegment as, final int j, final int bit, final float m,
                                   final float scale) {
        final float value = Float.intBitsToFloat(Float.floatToRawIntBits(m) ^ bit << 31);
        as.setAtIndex(ValueLayout.JAVA_FLOAT, j, Fma.fma(value, scale, as.getAtIndex(ValueLayout.JAVA_FLOAT, j)));
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof SignEncoder;
    }

    @Override
    public int hashCode() {
        return ID;
    }
}
