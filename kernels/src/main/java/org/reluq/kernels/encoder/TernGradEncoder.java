package org.reluq.kernels.encoder;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.parallel.KernelPool;
import org.reluq.kernels.quant.Qsgd;
import org.reluq.kernels.quant.QsgdParams;

/**
 * {@code terngrad} (encoder id 6; Wen et al., NeurIPS 2017): ternary levels {-1, 0, 1} times a bucket's largest
 * magnitude, rounded stochastically, optionally after clipping every entry to {@code [-c sigma, c sigma]} with
 * sigma the gradient's RMS {@code sqrt(sum g_j^2 / d)} (TernGrad clips at c = 2.5 standard deviations; the RMS is
 * the standard deviation about 0). It is QSGD with s = 1 and max norms, so the payload is
 * {@code qsgd:s=1,norm=max,code=packed}'s (section 3.1 of docs/wire-format.md, 2 bits per coordinate) and the
 * header's levels, bucket and code fields are 1, the bucket size and 1. Unbiased without clipping, with the variance
 * factor of {@link QsgdParams#varianceFactor} ({@code min(b / 4, sqrt b)}); clipping makes it biased by what it
 * cuts off, and the stated factor is then that of the clipped vector's quantization.
 */
final class TernGradEncoder extends FramedEncoder<TernGradEncoder.State> {

    /** Encoder id in the frame. */
    static final int ID = 6;

    /** A worker's memory: the ternary quantizer's state and, when clipping, the clipped gradient. */
    static final class State extends FramedEncoder.State {

        final QsgdEncoder.State ternary;
        final OffHeapVector clipped;

        State(final TernGradEncoder maker, final int d) {
            super(maker, d);
            ternary = maker.ternary.createState(d);
            clipped = maker.clip > 0 ? OffHeapVector.allocate(d) : null;
        }

        @Override
        public void close() {
            ternary.close();
            if (clipped != null) {
                clipped.close();
            }
        }
    }

    private final QsgdPackedEncoder ternary;
    /** c, or 0 for no clipping. */
    private final float clip;

    /**
     * @param bucket 0 for one scale, else the bucket size
     * @param clip   c &gt; 0 finite, or 0 for no clipping
     */
    TernGradEncoder(final int bucket, final float clip) {
        super(State.class);
        if (!(clip >= 0) || Float.isInfinite(clip)) {
            throw new IllegalArgumentException("terngrad clip=" + clip + " is not a finite positive number");
        }
        this.ternary = new QsgdPackedEncoder(new QsgdParams(1, bucket, QsgdParams.Norm.MAX,
                QsgdParams.DitherWidth.BITS_32, QsgdParams.Spacing.UNIFORM));
        this.clip = clip;
    }

    @Override
    public int id() {
        return ID;
    }

    @Override
    public String spec() {
        final int bucket = ternary.params.bucket();
        return "terngrad:bucket=" + (bucket == 0 ? "none" : bucket) + ",clip=" + (clip == 0 ? "none" : clip);
    }

    @Override
    public boolean unbiased() {
        return clip == 0;
    }

    @Override
    public double varianceFactor(final int d) {
        return ternary.varianceFactor(d);
    }

    @Override
    protected int levelsField() {
        return 1;
    }

    @Override
    protected int bucketField() {
        return ternary.params.bucket();
    }

    @Override
    protected int codeField() {
        return 1;
    }

    @Override
    protected long maxPayloadBytes(final int d) {
        return ternary.maxPayloadBytes(d);
    }

    @Override
    protected State createState(final int d) {
        return new State(this, d);
    }

    @Override
    protected int encodePayload(final OffHeapVector g, final long seed, final long stream, final State state,
                                final MemorySegment payload, final KernelPool pool) {
        OffHeapVector sent = g;
        if (clip > 0) {
            final double rms = Math.sqrt(Qsgd.sumOfSquares(g, state.ternary.workspace()) / g.length());
            if (!Double.isFinite(rms)) {
                // finite floats' squares cannot overflow binary64 (d < 2^28), so an entry is NaN or infinite
                final int bad = firstNonFinite(g.segment(), g.length());
                throw notFinite(bad, g.get(bad));
            }
            clip(g, (float) (clip * rms), state.clipped);
            sent = state.clipped;
        }
        return ternary.encodePayload(sent, seed, stream, state.ternary, payload, pool);
    }

    /** {@code out_j = min(max(g_j, -t), t)}: a loop C2 compiles to vector min and max. */
    private static void clip(final OffHeapVector g, final float t, final OffHeapVector out) {
        final MemorySegment in = g.segment();
        final MemorySegment to = out.segment();
        for (long j = 0; j < g.length(); j++) {
            to.setAtIndex(ValueLayout.JAVA_FLOAT, j, Math.min(Math.max(in.getAtIndex(ValueLayout.JAVA_FLOAT, j), -t), t));
        }
    }

    @Override
    protected void decodePayload(final Frame.Header header, final MemorySegment payload, final float scale,
                                 final State state, final OffHeapVector acc) {
        ternary.decodePayload(header, payload, scale, state.ternary, acc);
    }

    @Override
    protected void tallyPayload(final Frame.Header header, final MemorySegment payload, final State state,
                                final SymbolTally tally) {
        ternary.tallyPayload(header, payload, state.ternary, tally);
    }

    @Override
    public boolean equals(final Object o) {
        return o instanceof TernGradEncoder other && other.ternary.equals(ternary) && other.clip == clip;
    }

    @Override
    public int hashCode() {
        return ternary.hashCode() * 31 + Float.hashCode(clip);
    }
}
