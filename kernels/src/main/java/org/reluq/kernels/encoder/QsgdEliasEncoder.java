package org.reluq.kernels.encoder;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.reluq.kernels.codec.BitReader;
import org.reluq.kernels.codec.BitWriter;
import org.reluq.kernels.codec.EliasCodes;
import org.reluq.kernels.codec.MalformedFrameException;
import org.reluq.kernels.memory.OffHeapVector;
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

    private static final ThreadLocal<BitWriter> WRITER = ThreadLocal.withInitial(BitWriter::new);
    private static final ThreadLocal<BitReader> READER = ThreadLocal.withInitial(BitReader::new);

    QsgdEliasEncoder(final QsgdParams params) {
        super(params, 2, "elias");
    }

    /**
     * Every coordinate costs at most omega(gap) + 1 + omega(s) bits, and omega(g) <= 2g - 1, so at most
     * 2 + omega(s) bits a coordinate; each bucket adds its norm and the omega of its count.
     */
    private long maxPayloadBytes(final int d) {
        final long bucketBits = 32 + EliasCodes.omegaLength(params.bucketLength(d) + 1);
        final long bits = (long) d * (2 + EliasCodes.omegaLength(params.levels()))
                + params.bucketCount(d) * bucketBits;
        return (bits + 7) / 8;
    }

    @Override
    public int maxFrameBytes(final int d) {
        return Math.toIntExact(Frame.HEADER_BYTES + maxPayloadBytes(Frame.requireDimension(d)));
    }

    @Override
    public int encode(final OffHeapVector g, final long seed, final long stream, final MutableDirectBuffer dst,
                      final int offset) {
        final int d = Frame.requireDimension(g.length());
        final long capacity = maxPayloadBytes(d);
        Frame.requireCapacity(dst, offset, Frame.HEADER_BYTES + capacity);
        final int buckets = params.bucketCount(d);
        final float[] norms = norms(buckets);
        final MemorySegment codes = codes(d);
        Qsgd.quantize(g, params, seed, stream, norms, codes);
        final BitWriter out = WRITER.get().reset(BufferSegments.of(dst), offset + Frame.HEADER_BYTES, capacity);
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
        final int payloadBytes = (int) out.finish();
        Frame.writeHeader(dst, offset, new Frame.Header(ID, d, params.levels(), params.bucket(), code, seed, stream,
                payloadBytes));
        return Frame.seal(dst, offset, payloadBytes);
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

    @Override
    public void decodeAccumulate(final DirectBuffer src, final int offset, final int length, final float scale,
                                 final OffHeapVector acc) {
        final Frame.Header h = Frame.read(src, offset, length);
        final int d = acc.length();
        Frame.expect(h, ID, params.levels(), params.bucket(), code, d);
        final BitReader in = READER.get().reset(BufferSegments.of(src), offset + Frame.HEADER_BYTES, h.payloadBytes());
        final MemorySegment as = acc.segment();
        final int s = params.levels();
        final int bucketLength = params.bucketLength(d);
        final int buckets = params.bucketCount(d);
        for (int b = 0; b < buckets; b++) {
            final int start = b * bucketLength;
            final int end = Math.min(d, start + bucketLength);
            final float unit = checkNorm(Float.intBitsToFloat(in.readInt()), b) / s * scale;
            final int nonzeros = EliasCodes.readOmega(in) - 1;
            if (nonzeros > end - start) {
                throw new MalformedFrameException("bucket " + b + " claims " + nonzeros + " nonzeros in "
                        + (end - start) + " coordinates");
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
                as.set(ValueLayout.JAVA_FLOAT, at, Fma.fma((float) (negative ? -level : level), unit, x));
            }
        }
        final long rest = in.remaining();
        if (rest >= 8 || in.read((int) rest) != 0) {
            throw new MalformedFrameException("elias payload has " + rest + " bits after its last bucket"
                    + (rest < 8 ? " that are not zero" : ""));
        }
    }
}
