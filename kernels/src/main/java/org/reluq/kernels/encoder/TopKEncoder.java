package org.reluq.kernels.encoder;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.reluq.kernels.codec.MalformedFrameException;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.parallel.KernelPool;
import org.reluq.kernels.simd.Fma;

/**
 * {@code topk:k=K} (encoder id 8): the {@code min(k, d)} coordinates of largest magnitude, ties to the lower index,
 * sent as their indices (u32, strictly increasing) then their values (float32), all little-endian; the others decode
 * to 0. Biased, {@code ||Q(g) - g||^2 <= (1 - k/d) ||g||^2}; meant for error feedback ({@code ef(topk:k=K)}).
 * Selection is a radix select on the magnitudes' bits (two histogram passes over g, then one to collect), so it
 * costs O(d) whatever k, and the kept set is a pure function of g.
 */
final class TopKEncoder extends SparseEncoder<TopKEncoder.State> {

    /** Encoder id in the frame. */
    static final int ID = 8;

    private static final int HIGH_BITS = 16;
    private static final int LOW_BITS = 15;

    /** A worker's memory: the radix histogram. */
    static final class State extends FramedEncoder.State {

        final int[] histogram = new int[1 << HIGH_BITS];

        State(final TopKEncoder maker, final int d) {
            super(maker, d);
        }

        @Override
        public void close() {
            // heap only
        }
    }

    TopKEncoder(final int k) {
        super(State.class, k, "topk");
    }

    @Override
    public int id() {
        return ID;
    }

    @Override
    public String spec() {
        return "topk:k=" + k;
    }

    @Override
    public boolean unbiased() {
        return false;
    }

    @Override
    public double varianceFactor(final int d) {
        return 1 - (double) kept(d) / d;
    }

    @Override
    protected long maxPayloadBytes(final int d) {
        return 8L * kept(d);
    }

    @Override
    protected State createState(final int d) {
        return new State(this, d);
    }

    @Override
    protected int encodePayload(final OffHeapVector g, final long seed, final long stream, final State state,
                                final MemorySegment payload, final KernelPool pool) {
        final int d = g.length();
        final int kept = kept(d);
        final MemorySegment gs = g.segment();
        final int[] histogram = state.histogram;
        // the magnitudes' bits order them; a non-finite entry is refused before it can be chosen
        java.util.Arrays.fill(histogram, 0);
        for (int j = 0; j < d; j++) {
            final int magnitude = gs.getAtIndex(ValueLayout.JAVA_INT, j) & 0x7FFF_FFFF;
            if (magnitude >= 0x7F80_0000) {
                throw notFinite(j, Float.intBitsToFloat(gs.getAtIndex(ValueLayout.JAVA_INT, j)));
            }
            histogram[magnitude >>> LOW_BITS]++;
        }
        // the high bin holding the k-th largest, and how many lie above it
        int high = histogram.length - 1;
        int above = 0;
        while (above + histogram[high] < kept) {
            above += histogram[high--];
        }
        java.util.Arrays.fill(histogram, 0, 1 << LOW_BITS, 0);
        for (int j = 0; j < d; j++) {
            final int magnitude = gs.getAtIndex(ValueLayout.JAVA_INT, j) & 0x7FFF_FFFF;
            if (magnitude >>> LOW_BITS == high) {
                histogram[magnitude & (1 << LOW_BITS) - 1]++;
            }
        }
        int low = (1 << LOW_BITS) - 1;
        while (above + histogram[low] < kept) {
            above += histogram[low--];
        }
        final int threshold = high << LOW_BITS | low;
        // every magnitude above the threshold, and of those equal to it the first (kept - above) by index
        int ties = kept - above;
        int n = 0;
        for (int j = 0; j < d && n < kept; j++) {
            final int bits = gs.getAtIndex(ValueLayout.JAVA_INT, j);
            final int magnitude = bits & 0x7FFF_FFFF;
            if (magnitude > threshold || magnitude == threshold && ties-- > 0) {
                payload.set(INT_LE, 4L * n, j);
                payload.set(FLOAT_LE, 4L * kept + 4L * n, Float.intBitsToFloat(bits));
                n++;
            }
        }
        return 8 * kept;
    }

    @Override
    protected void decodePayload(final Frame.Header header, final MemorySegment payload, final float scale,
                                 final State state, final OffHeapVector acc) {
        final int d = acc.length();
        final int kept = kept(d);
        requirePayloadBytes(payload, 8L * kept, "topk", d);
        final MemorySegment as = acc.segment();
        int previous = -1;
        for (int i = 0; i < kept; i++) {
            final int j = payload.get(INT_LE, 4L * i);
            if (j <= previous || j >= d) {
                throw new MalformedFrameException("topk index " + Integer.toUnsignedString(j) + " (entry " + i
                        + ") is not above the previous " + previous + " and below d = " + d);
            }
            final float value = value(payload, 4L * kept + 4L * i, i);
            as.setAtIndex(ValueLayout.JAVA_FLOAT, j, Fma.fma(value, scale, as.getAtIndex(ValueLayout.JAVA_FLOAT, j)));
            previous = j;
        }
    }

    /** The index set as {@code log2 C(d, n)} bits, the values as float32s. */
    @Override
    protected void tallyPayload(final Frame.Header header, final MemorySegment payload, final State state,
                                final SymbolTally tally) {
        final int kept = kept(state.dimension());
        tally.subset(state.dimension(), kept);
        tallyFloats(payload, 4L * kept, kept, tally);
    }
}
