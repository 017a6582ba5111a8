package org.reluq.kernels.encoder;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.reluq.kernels.codec.BitPacking;
import org.reluq.kernels.codec.MalformedFrameException;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.parallel.KernelPool;
import org.reluq.kernels.random.Dithers;
import org.reluq.kernels.simd.Fma;
import org.reluq.kernels.warmup.KernelFamily;

/**
 * {@code natural} (encoder id 7; natural compression, Horváth et al. 2019): every coordinate rounded stochastically
 * to a neighbouring power of two, unbiased, sent as its sign and 8-bit exponent.
 *
 * <p>Definition (docs/wire-format.md, section 3.5): for float32 {@code x} with biased exponent e and fraction bits
 * m, {@code f = m 2^-23} and {@code E = e + [u_j < f]} with the 32-bit dither {@code u_j} of {@link Dithers}; the
 * code is {@code E << 1 | sign}, sign 1 iff x &lt; 0 and E &gt; 0, and decodes to {@code +-2^(E - 127)}, or 0
 * for E = 0. For a normal x = 2^(e-127) (1 + f) this is 2^(e-127) with probability 1 - f and twice that with
 * probability f; for a subnormal f 2^-126 it is 0 or 2^-126; so {@code E[Q(x)] = x} exactly (u is a multiple of
 * 2^-24 and f of 2^-23, so {@code P(u < f) = f}). A coordinate above 2^127 that would round to 2^128 is refused.
 * The variance factor is 1/8 for entries in the normal range ({@code f (1 - f) / (1 + f)^2 <= 1/8}); a subnormal
 * entry has more. The payload is the d codes packed at 9 bits in {@link BitPacking}'s layout.
 */
final class NaturalEncoder extends FramedEncoder<NaturalEncoder.State> {

    /** Encoder id in the frame. */
    static final int ID = 7;

    /** Bits of a code: 8 exponent bits and a sign. */
    static final int BITS = 9;

    /** Coordinates coded and packed per step: whole blocks and dither chunks. */
    private static final int CHUNK = 4096;

    /** A worker's memory: one chunk's codes, its dithers and the dithers' Philox scratch. */
    static final class State extends FramedEncoder.State {

        private final Arena arena = Arena.ofShared();
        final MemorySegment codes = arena.allocate(4L * CHUNK, 64);
        final float[] dithers = new float[Dithers.CHUNK];
        final int[] words = new int[Dithers.WORDS];

        State(final NaturalEncoder maker, final int d) {
            super(maker, d);
        }

        @Override
        public void close() {
            arena.close();
        }
    }

    NaturalEncoder() {
        super(State.class);
    }

    @Override
    public int id() {
        return ID;
    }

    @Override
    public String spec() {
        return "natural";
    }

    @Override
    public boolean unbiased() {
        return true;
    }

    @Override
    public double varianceFactor(final int d) {
        return 0.125;
    }

    @Override
    protected long maxPayloadBytes(final int d) {
        return BitPacking.packedBytes(d, BITS);
    }

    @Override
    protected State createState(final int d) {
        return new State(this, d);
    }

    /** Chunk by chunk on the calling thread: codes, then packed while in L1 (the pool is not used). */
    @Override
    protected int encodePayload(final OffHeapVector g, final long seed, final long stream, final State state,
                                final MemorySegment payload, final KernelPool pool) {
        final int d = g.length();
        final MemorySegment gs = g.segment();
        final boolean vector = KernelFamily.QUANTIZE.vector();
        for (int from = 0; from < d; from += CHUNK) {
            final int to = Math.min(d, from + CHUNK);
            for (int first = from; first < to; first += Dithers.CHUNK) {
                Dithers.fillChunk(seed, stream, first, state.dithers, 0, state.words);
                final int end = Math.min(to, first + Dithers.CHUNK);
                final long at = 4L * (first - from);
                int done = first;
                if (vector) {
                    done = NaturalVectors.codes(gs, first, end, state.dithers, state.codes, at);
                    if (done < 0) {
                        throw unsendable(gs, first, end);
                    }
                }
                if (codes(gs, done, end, first, state.dithers, state.codes, at) >= 0) {
                    throw unsendable(gs, first, end);
                }
            }
            BitPacking.pack(state.codes, 0, to - from, BITS, payload, BitPacking.packedBytes(from, BITS));
        }
        return (int) maxPayloadBytes(d);
    }

    /**
     * The codes of coordinates [from, to), dithers from coordinate {@code first}, one at a time, to byte
     * {@code at + 4 (j - first)} of codes, by the same integer and float operations as the vectors.
     *
     * @return -1, or the first coordinate that cannot be sent
     */
    private static int codes(final MemorySegment gs, final int from, final int to, final int first,
                             final float[] dithers, final MemorySegment codes, final long at) {
        for (int j = from; j < to; j++) {
            final int code = code(gs.getAtIndex(ValueLayout.JAVA_INT, j), dithers[j - first]);
            if (code >>> 1 >= 255) {
                return j;
            }
            codes.set(ValueLayout.JAVA_INT, at + 4L * (j - first), code);
        }
        return -1;
    }

    /** The code of the float with these bits and dither u; an exponent of 255 or more says it cannot be sent. */
    static int code(final int bits, final float u) {
        final int magnitude = bits & 0x7FFF_FFFF;
        // f = m 2^-23 as the float 1.m less 1 (exact); u < f is the sign of u - f (exact: both multiples of 2^-24)
        final float fraction = Float.intBitsToFloat(magnitude & 0x7F_FFFF | 0x3F80_0000) - 1f;
        final int exponent = (magnitude >>> 23) + (Float.floatToRawIntBits(u - fraction) >>> 31);
        return exponent << 1 | bits >>> 31 & -exponent >>> 31;
    }

    private static IllegalArgumentException unsendable(final MemorySegment gs, final int from, final int to) {
        for (int j = from; j < to; j++) {
            final float x = gs.getAtIndex(ValueLayout.JAVA_FLOAT, j);
            if (!Float.isFinite(x)) {
                return notFinite(j, x);
            }
            if (Math.abs(x) > 0x1.0p127f) {
                return new IllegalArgumentException("gradient entry " + j + " = " + x
                        + " is above 2^127: natural compression could round it to 2^128, beyond float32");
            }
        }
        throw new IllegalStateException("no unsendable entry in [" + from + ", " + to + ")");
    }

    @Override
    protected void decodePayload(final Frame.Header header, final MemorySegment payload, final float scale,
                                 final State state, final OffHeapVector acc) {
        final int d = acc.length();
        requirePayloadBytes(payload, maxPayloadBytes(d), "natural", d);
        if (!BitPacking.paddingIsZero(payload, 0, d, BITS)) {
            throw new MalformedFrameException("natural payload has nonzero bits after coordinate " + (d - 1));
        }
        final MemorySegment as = acc.segment();
        final boolean vector = KernelFamily.QUANTIZE.vector();
        for (int from = 0; from < d; from += CHUNK) {
            final int to = Math.min(d, from + CHUNK);
            BitPacking.unpack(payload, BitPacking.packedBytes(from, BITS), to - from, BITS, state.codes, 0);
            int done = from;
            if (vector) {
                done = NaturalVectors.decodeAccumulate(state.codes, from, to, scale, as);
                if (done < 0) {
                    throw firstBadCode(state.codes, from, to);
                }
            }
            for (int j = done; j < to; j++) {
                final int code = state.codes.getAtIndex(ValueLayout.JAVA_INT, j - from);
                if (!valid(code)) {
                    throw badCode(code, j);
                }
                final long at = 4L * j;
                as.set(ValueLayout.JAVA_FLOAT, at, Fma.fma(value(code), scale, as.get(ValueLayout.JAVA_FLOAT, at)));
            }
        }
    }

    /** The 9-bit codes, unpacked a chunk at a time, as one stream. */
    @Override
    protected void tallyPayload(final Frame.Header header, final MemorySegment payload, final State state,
                                final SymbolTally tally) {
        final SymbolTally.Stream codes = tally.stream("codes (exponent << 1 | sign)");
        final int d = state.dimension();
        for (int from = 0; from < d; from += CHUNK) {
            final int to = Math.min(d, from + CHUNK);
            BitPacking.unpack(payload, BitPacking.packedBytes(from, BITS), to - from, BITS, state.codes, 0);
            tallyInts(codes, state.codes, to - from);
        }
    }

    /** Whether a 9-bit code is one a sender makes: exponent below 255, no sign on zero. */
    static boolean valid(final int code) {
        return code >>> 1 < 255 && code != 1;
    }

    /** The value of a valid code: {@code +-2^(E - 127)}, or +0 for E = 0. */
    static float value(final int code) {
        return Float.intBitsToFloat(code << 31 | (code >>> 1) << 23);
    }

    private static MalformedFrameException badCode(final int code, final int j) {
        return new MalformedFrameException("natural code " + code + " at coordinate " + j
                + (code >>> 1 == 255 ? " has exponent 255 (infinity or NaN)" : " is a negative zero"));
    }

    private static MalformedFrameException firstBadCode(final MemorySegment codes, final int from, final int to) {
        for (int j = from; j < to; j++) {
            final int code = codes.getAtIndex(ValueLayout.JAVA_INT, j - from);
            if (!valid(code)) {
                return badCode(code, j);
            }
        }
        throw new IllegalStateException("no bad natural code in [" + from + ", " + to + ")");
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof NaturalEncoder;
    }

    @Override
    public int hashCode() {
        return ID;
    }
}
