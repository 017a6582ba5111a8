package org.reluq.kernels.encoder;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.reluq.kernels.codec.BitReader;
import org.reluq.kernels.codec.BitWriter;
import org.reluq.kernels.codec.EliasCodes;
import org.reluq.kernels.codec.MalformedFrameException;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.parallel.KernelPool;
import org.reluq.kernels.quant.Qsgd;
import org.reluq.kernels.quant.QsgdParams;
import org.reluq.kernels.simd.Fma;
import org.reluq.kernels.simd.Vectorization;
import org.reluq.kernels.warmup.KernelFamily;

/**
 * QSGD with the paper's sparse Elias coding ({@code code=elias}, code byte 2). The payload is one bit
 * stream, most significant bit first; per bucket: the norm's 32 bits, Elias omega of (nonzeros + 1), then
 * for each nonzero coordinate Elias omega of the gap from the previous one (the first counts from one
 * before the bucket's start), its sign bit (1 = negative) and Elias omega of its level. The stream ends
 * with zero bits to a whole byte.
 */
final class QsgdEliasEncoder extends QsgdEncoder {

    QsgdEliasEncoder(final QsgdParams params) {
        super(params, 2, "elias");
    }

    /**
     * Every coordinate costs at most omega(gap) + 1 + omega(s) bits, and omega(g) <= 2g - 1, so at most
     * 2 + omega(s) bits a coordinate; each bucket adds its norm and the omega of its count.
     */
    @Override
    protected long maxPayloadBytes(final int d) {
        final long bucketBits = 32 + EliasCodes.omegaLength(params.bucketLength(d) + 1);
        final long bits = (long) d * (2 + EliasCodes.omegaLength(params.levels()))
                + params.bucketCount(d) * bucketBits;
        return (bits + 7) / 8;
    }

    @Override
    protected int encodePayload(final OffHeapVector g, final long seed, final long stream, final State state,
                                final MemorySegment payload, final KernelPool pool) {
        final int d = g.length();
        final int buckets = params.bucketCount(d);
        final float[] norms = state.norms;
        final MemorySegment codes = state.codes;
        Qsgd.quantize(g, params, seed, stream, norms, codes, state.workspace());
        final BitWriter out = state.writer.reset(payload, 0, payload.byteSize());
        final int length = params.bucketLength(d);
        for (int b = 0; b < buckets; b++) {
            final int start = b * length;
            final int end = Math.min(d, start + length);
            out.writeInt(Float.floatToRawIntBits(norms[b]));
            EliasCodes.writeOmega(out, nonzeros(codes, start, end) + 1);
            int previous = start - 1;
            // the nonzero codes found 64 at a time: at small s most coordinates are zero
            for (int j = start; j < end; j += 64) {
                long found = nonzeroWindow(codes, j, end);
                while (found != 0) {
                    final int at = j + Long.numberOfTrailingZeros(found);
                    found &= found - 1;
                    final int code = codes.getAtIndex(ValueLayout.JAVA_INT, at);
                    EliasCodes.writeOmega(out, at - previous);
                    out.write(code & 1, 1);
                    EliasCodes.writeOmega(out, code >>> 1);
                    previous = at;
                }
            }
        }
        return (int) out.finish();
    }

    /** Bit k set for each code {@code j + k}, k below 64 and {@code j + k < end}, that is not zero. */
    private static long nonzeroWindow(final MemorySegment codes, final int j, final int end) {
        if (end - j >= 64 && KernelFamily.QUANTIZE.vector() && Vectorization.MASKS_AND_CONVERSIONS) {
            return EncoderVectors.nonzeros64(codes, j);
        }
        long found = 0;
        for (int k = 0, n = Math.min(64, end - j); k < n; k++) {
            found |= (codes.getAtIndex(ValueLayout.JAVA_INT, j + k) != 0 ? 1L : 0L) << k;
        }
        return found;
    }

    private static int nonzeros(final MemorySegment codes, final int start, final int end) {
        int count = 0;
        for (int j = start; j < end; j += 64) {
            count += Long.bitCount(nonzeroWindow(codes, j, end));
        }
        return count;
    }

    /**
     * The norms verbatim and the codes the nonzeros stand for (zero elsewhere), rebuilt in the state from the
     * checked payload: the information of the quantized levels, which the Elias code sends as gaps and levels.
     */
    @Override
    protected void tallyPayload(final Frame.Header header, final MemorySegment payload, final State state,
                                final SymbolTally tally) {
        final int d = state.dimension();
        final MemorySegment codes = state.codes;
        codes.fill((byte) 0);
        final BitReader in = state.reader.reset(payload, 0, payload.byteSize());
        final int bucketLength = params.bucketLength(d);
        final int buckets = params.bucketCount(d);
        for (int b = 0; b < buckets; b++) {
            in.readInt();
            final int nonzeros = EliasCodes.readOmega(in) - 1;
            long position = (long) b * bucketLength - 1;
            for (int k = 0; k < nonzeros; k++) {
                position += EliasCodes.readOmega(in);
                final int sign = (int) in.read(1);
                codes.setAtIndex(ValueLayout.JAVA_INT, position, EliasCodes.readOmega(in) << 1 | sign);
            }
        }
        tallyInts(tallyNorms(d, tally), codes, d);
    }

    @Override
    protected void decodePayload(final Frame.Header header, final MemorySegment payload, final float scale,
                                 final State state, final OffHeapVector acc) {
        final int d = acc.length();
        final BitReader in = state.reader.reset(payload, 0, payload.byteSize());
        final MemorySegment as = acc.segment();
        final int s = params.levels();
        final int bucketLength = params.bucketLength(d);
        final int buckets = params.bucketCount(d);
        for (int b = 0; b < buckets; b++) {
            final int start = b * bucketLength;
            final int end = Math.min(d, start + bucketLength);
            final float norm = checkNorm(Float.intBitsToFloat(in.readInt()), b);
            try {
                Qsgd.requireFiniteTop(norm, params, b);
            } catch (IllegalArgumentException e) {
                throw new MalformedFrameException(e.getMessage());
            }
            final float unit = norm / params.top() * scale;
            final int nonzeros = EliasCodes.readOmega(in) - 1;
            if (nonzeros > end - start) {
                throw new MalformedFrameException("bucket " + b + " claims " + nonzeros + " nonzeros in "
                        + (end - start) + " coordinates");
            }
            if (norm == 0 && nonzeros > 0) {
                throw new MalformedFrameException("bucket " + b + " of norm 0 claims " + nonzeros + " nonzeros");
            }
            long position = start - 1L;
            for (int k = 0; k < nonzeros; k++) {
                position += EliasCodes.readOmega(in);
                if (position >= end) {
                    throw new MalformedFrameException("nonzero " + k + " of bucket " + b + " lands at coordinate "
                            + position + ", past the bucket's end " + end);
                }
                final boolean negative = in.read(1) == 1;
                final int level = EliasCodes.readOmega(in);
                if (level > s) {
                    throw new MalformedFrameException("level " + level + " at coordinate " + position
                            + " exceeds s = " + s);
                }
                final long at = 4 * position;
                final float x = as.get(ValueLayout.JAVA_FLOAT, at);
                final float magnitude = params.magnitude(level);
                as.set(ValueLayout.JAVA_FLOAT, at, Fma.fma(negative ? -magnitude : magnitude, unit, x));
            }
        }
        final long rest = in.remaining();
        if (rest >= 8 || in.read((int) rest) != 0) {
            throw new MalformedFrameException("elias payload has " + rest + " bits after its last bucket"
                    + (rest < 8 ? " that are not zero" : ""));
        }
    }
}
