package org.reluq.kernels.encoder;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.reluq.kernels.codec.BitReader;
import org.reluq.kernels.codec.BitWriter;
import org.reluq.kernels.codec.MalformedFrameException;
import org.reluq.kernels.codec.RansCoder;
import org.reluq.kernels.quant.QsgdParams;
import org.reluq.kernels.quant.QsgdWorkspace;

/**
 * What the QSGD encoders ({@code qsgd}, encoder id 2) share: the parameters, which go in the header's
 * levels and bucket fields and the code byte (low four bits: the payload format; {@link #EXP_LEVELS}: the levels'
 * spacing, which decoding needs; {@link #MAX_NORM} and {@link #DITHER_16}: how the sender quantized, which a
 * receiver does not need but a reader of the frame may want), and the state.
 */
abstract sealed class QsgdEncoder extends FramedEncoder<QsgdEncoder.State>
        permits QsgdPackedEncoder, QsgdEliasEncoder, QsgdRansEncoder {

    /** Encoder id in the frame. */
    static final int ID = 2;

    /** Code byte flag: the norms are max norms. */
    static final int MAX_NORM = 0x10;
    /** Code byte flag: 16-bit dithers. */
    static final int DITHER_16 = 0x20;
    /** Code byte flag: exponentially spaced levels. */
    static final int EXP_LEVELS = 0x40;
    /** The code byte's payload format bits. */
    static final int FORMAT = 0x0F;

    static final ValueLayout.OfFloat FLOAT_LE = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * A worker's QSGD memory: the bucket norms, an int32 code for every coordinate (chunks encoded on a pool's
     * threads each use their own range, so no two threads share a byte), the kernels' scratch for each thread
     * that encodes, and the Elias code's bit writer and reader.
     */
    static final class State extends FramedEncoder.State {

        final float[] norms;
        final MemorySegment codes;
        final BitWriter writer = new BitWriter();
        final BitReader reader = new BitReader();
        private final Arena arena = Arena.ofShared();
        private QsgdWorkspace[] workspaces = {new QsgdWorkspace()};
        private RansCoder.Workspace rans;

        State(final QsgdEncoder maker, final int d) {
            super(maker, d);
            norms = new float[maker.params.bucketCount(d)];
            codes = arena.allocate(4L * d, 64);
        }

        /** The scratch of the calling thread (worker 0). */
        QsgdWorkspace workspace() {
            return workspaces[0];
        }

        /**
         * One scratch per worker number of a pool of {@code threads}, grown on the calling thread before the
         * pool's tasks read it.
         */
        QsgdWorkspace[] workspaces(final int threads) {
            if (workspaces.length < threads) {
                final QsgdWorkspace[] grown = Arrays.copyOf(workspaces, threads);
                for (int i = workspaces.length; i < threads; i++) {
                    grown[i] = new QsgdWorkspace();
                }
                workspaces = grown;
            }
            return workspaces;
        }

        /** The rANS coder's memory for this alphabet, made on first use (by the rANS code only). */
        RansCoder.Workspace rans(final int alphabet) {
            if (rans == null) {
                rans = new RansCoder.Workspace(alphabet, dimension(),
                        arena.allocate(RansCoder.Workspace.scratchBytes(dimension()), 64));
            }
            return rans;
        }

        @Override
        public void close() {
            arena.close();
        }
    }

    final QsgdParams params;
    /** The header's code byte. */
    final int code;
    /** The code's name in the spec. */
    private final String codeName;

    QsgdEncoder(final QsgdParams params, final int format, final String codeName) {
        super(State.class);
        this.params = params;
        this.code = format | (params.norm() == QsgdParams.Norm.MAX ? MAX_NORM : 0)
                | (params.dither() == QsgdParams.DitherWidth.BITS_16 ? DITHER_16 : 0)
                | (params.exponential() ? EXP_LEVELS : 0);
        this.codeName = codeName;
    }

    @Override
    public final int id() {
        return ID;
    }

    @Override
    public final boolean unbiased() {
        return true;
    }

    @Override
    public final double varianceFactor(final int d) {
        return params.varianceFactor(d);
    }

    @Override
    public final String spec() {
        return "qsgd:s=" + params.levels() + ",bucket=" + (params.bucket() == 0 ? "none" : params.bucket())
                + (params.norm() == QsgdParams.Norm.MAX ? ",norm=max" : "")
                + (params.dither() == QsgdParams.DitherWidth.BITS_16 ? ",dither=16" : "")
                + (params.exponential() ? ",levels=exp" : "") + ",code=" + codeName;
    }

    @Override
    protected final int levelsField() {
        return params.levels();
    }

    @Override
    protected final int bucketField() {
        return params.bucket();
    }

    @Override
    protected final int codeField() {
        return code;
    }

    @Override
    protected final State createState(final int d) {
        return new State(this, d);
    }

    @Override
    public final boolean equals(final Object o) {
        return o instanceof QsgdEncoder other && other.getClass() == getClass() && other.params.equals(params);
    }

    @Override
    public final int hashCode() {
        return params.hashCode() * 31 + code;
    }

    /** The stream every QSGD code tallies its codes {@code level << 1 | sign} in, whatever the payload format. */
    static final String CODES = "codes (level << 1 | sign)";

    /**
     * Tallies the d bucket norms as verbatim float32s and the stream of codes {@link #CODES}, which every payload
     * format adds to with {@link #tallyInts}, so the three codes of one quantizer tally the same information.
     */
    final SymbolTally.Stream tallyNorms(final int d, final SymbolTally tally) {
        tally.verbatim(32.0 * params.bucketCount(d));
        return tally.stream(CODES);
    }

    /** A decoded norm, rejecting negative and non-finite values as a malformed frame. */
    static float checkNorm(final float norm, final int bucket) {
        if (!(norm >= 0) || Float.isInfinite(norm)) {
            throw new MalformedFrameException("norm " + norm + " of bucket " + bucket
                    + " is not a finite non-negative float");
        }
        return norm;
    }
}
