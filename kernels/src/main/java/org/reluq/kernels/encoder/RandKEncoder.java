package org.reluq.kernels.encoder;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.reluq.kernels.codec.MalformedFrameException;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.parallel.KernelPool;
import org.reluq.kernels.random.Dithers;
import org.reluq.kernels.simd.Fma;

/**
 * {@code randk:k=K} (encoder id 9): {@code n = min(k, d)} coordinates drawn without replacement from the frame's
 * seed and stream, so only their values travel (float32 little-endian, in index order); a receiver draws the same
 * indices from the header. Coordinate j of the draw is kept when {@code u_j (d - j) < need} with the 32-bit dither
 * {@code u_j} of {@link Dithers} and need the count still to keep (selection sampling, Knuth's Algorithm S, in
 * binary64, exact: u is a multiple of 2^-24 and d below 2^28); so exactly n are kept and each with probability
 * n/d to within the dithers' resolution (each step's probability is need/(d - j) rounded up to a multiple of
 * 2^-24). Kept values decode scaled by d/n (the float32 of that ratio), which makes the encoder unbiased with
 * variance factor {@code d/n - 1}; a kept value whose product with that ratio overflows float32 is refused by the
 * sender and by the receiver, so no frame decodes to infinity.
 */
final class RandKEncoder extends SparseEncoder<RandKEncoder.State> {

    /** Encoder id in the frame. */
    static final int ID = 9;

    /** A worker's memory: the drawn indices and the dithers of a chunk. */
    static final class State extends FramedEncoder.State {

        final int[] indices;
        final float[] dithers = new float[Dithers.CHUNK];
        final int[] words = new int[Dithers.WORDS];

        State(final RandKEncoder maker, final int d) {
            super(maker, d);
            indices = new int[maker.kept(d)];
        }

        @Override
        public void close() {
            // heap only
        }
    }

    RandKEncoder(final int k) {
        super(State.class, k, "randk");
    }

    @Override
    public int id() {
        return ID;
    }

    @Override
    public String spec() {
        return "randk:k=" + k;
    }

    @Override
    public boolean unbiased() {
        return true;
    }

    @Override
    public double varianceFactor(final int d) {
        return (double) d / kept(d) - 1;
    }

    @Override
    protected long maxPayloadBytes(final int d) {
        return 4L * kept(d);
    }

    @Override
    protected State createState(final int d) {
        return new State(this, d);
    }

    /** The drawn indices of a frame with this seed and stream, in increasing order, into {@code state.indices}. */
    private void draw(final long seed, final long stream, final int d, final State state) {
        int need = kept(d);
        int n = 0;
        for (int first = 0; need > 0; first += Dithers.CHUNK) {
            Dithers.fillChunk(seed, stream, first, state.dithers, 0, state.words);
            final int end = Math.min(d, first + Dithers.CHUNK);
            for (int j = first; j < end && need > 0; j++) {
                if ((double) state.dithers[j - first] * (d - j) < need) {
                    state.indices[n++] = j;
                    need--;
                }
            }
        }
    }

    /** The float32 of d / n, the kept values' scale. */
    private float ratio(final int d) {
        return (float) ((double) d / kept(d));
    }

    @Override
    protected int encodePayload(final OffHeapVector g, final long seed, final long stream, final State state,
                                final MemorySegment payload, final KernelPool pool) {
        final int d = g.length();
        final MemorySegment gs = g.segment();
        // every entry is checked, kept or not: a diverged gradient is refused whatever the draw
        final int bad = firstNonFinite(gs, d);
        if (bad >= 0) {
            throw notFinite(bad, g.get(bad));
        }
        draw(seed, stream, d, state);
        final int kept = kept(d);
        final float ratio = ratio(d);
        for (int i = 0; i < kept; i++) {
            final int j = state.indices[i];
            final float x = gs.getAtIndex(ValueLayout.JAVA_FLOAT, j);
            if (Float.isInfinite(x * ratio)) {
                throw new IllegalArgumentException("gradient entry " + j + " = " + x + " times d/k = " + ratio
                        + " overflows float32: randk cannot send it");
            }
            payload.set(FLOAT_LE, 4L * i, x);
        }
        return 4 * kept;
    }

    @Override
    protected void decodePayload(final Frame.Header header, final MemorySegment payload, final float scale,
                                 final State state, final OffHeapVector acc) {
        final int d = acc.length();
        final int kept = kept(d);
        requirePayloadBytes(payload, 4L * kept, "randk", d);
        final float ratio = ratio(d);
        for (int i = 0; i < kept; i++) {
            final float value = value(payload, 4L * i, i);
            if (Float.isInfinite(value * ratio)) {
                throw new MalformedFrameException("kept value " + i + " = " + value + " times d/k = " + ratio
                        + " overflows float32");
            }
        }
        draw(header.seed(), header.stream(), d, state);
        final float unit = ratio * scale;
        final MemorySegment as = acc.segment();
        for (int i = 0; i < kept; i++) {
            final int j = state.indices[i];
            as.setAtIndex(ValueLayout.JAVA_FLOAT, j,
                    Fma.fma(payload.get(FLOAT_LE, 4L * i), unit, as.getAtIndex(ValueLayout.JAVA_FLOAT, j)));
        }
    }

    /** The values as float32s; the indices cost nothing, both sides draw them from the header's seed. */
    @Override
    protected void tallyPayload(final Frame.Header header, final MemorySegment payload, final State state,
                                final SymbolTally tally) {
        tallyFloats(payload, 0, kept(state.dimension()), tally);
    }
}
