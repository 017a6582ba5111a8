package org.reluq.kernels.quant;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.random.Dithers;
import org.reluq.kernels.simd.Fma;
import org.reluq.kernels.warmup.KernelFamily;

/**
 * QSGD stochastic quantization (Alistarh et al., NeurIPS 2017) and its fused decode-and-accumulate.
 *
 * <p>Definition, per bucket with norm {@code N} (docs/design.md, "The mathematics every module shares";
 * every step is a float32
 * operation unless said otherwise, so the vector and scalar paths agree bit for bit):
 * <ol>
 *   <li>{@link QsgdParams.Norm#L2}: {@code N = (float) sqrt(sum of squares)}, the sum in double as
 *       {@link SquaredNorm} defines it; {@link QsgdParams.Norm#MAX}: {@code N = max |v_j|} (exact).
 *   <li>{@code inv = T / N} with {@code T = }{@link QsgdParams#top()} (s, or 2^(s-1) with exponential levels);
 *       should that overflow (N below about {@code T 2^-128}), {@code |v_j|} and N are first multiplied by 2^64
 *       (exactly), so {@code pre = 2^64}, else {@code pre = 1}.
 *   <li>{@code r = (|v_j| pre) inv}; uniform levels: {@code l = floor(r)}, {@code p = r - l} (exact); exponential
 *       levels: {@code l = 0, p = r} below 1, else {@code l = e + 1}, {@code p = r 2^-e - 1} with e the float
 *       exponent of r (exact); {@code level = min(l + (u_j < p ? 1 : 0), s)} with the dither {@code u_j} of
 *       {@link Dithers}, 32- or 16-bit as {@link QsgdParams#dither()} says.
 *   <li>{@code sign = 1} if {@code v_j < 0} and the level is not 0, else 0. The code of coordinate j is
 *       {@code level << 1 | sign}.
 * </ol>
 * A zero bucket has N = 0 and all codes 0. Entries must be finite: NaN or infinity is rejected with the
 * index of the first one (a gradient that has diverged must not travel as a plausible one), and so is a
 * bucket whose norm overflows float32 (about 3.4e38) or whose top level would decode beyond it
 * ({@link #requireFiniteTop}). With 32-bit dithers (multiples of 2^-24) {@code E[level] - r} is in
 * {@code [0, 2^-24)} per coordinate; with 16-bit ones (odd multiples of 2^-17) within {@code +-2^-17}.
 *
 * <p>Decoding: coordinate j of bucket b is {@code (sign ? -m : m) * (N_b / T)} with {@code m = }
 * {@link QsgdParams#magnitude}{@code (level)}; decode-and-accumulate adds it times a scale as
 * {@code acc_j = fma(signedMagnitude, (N_b / T) scale, acc_j)}, fused where the hardware has FMA ({@link Fma}).
 *
 * <p>Both passes run on the path of {@link KernelFamily#QUANTIZE}, on vectors ({@code QsgdVectors}) or in scalar
 * code, with the same bits.
 */
public final class Qsgd {

    private static final float TWO_TO_64 = 0x1.0p64f;

    private Qsgd() {
    }

    /**
     * Quantizes v: one norm per bucket into {@code norms}, one code per coordinate into {@code codes}
     * (int32 in native order).
     *
     * @param seed      the dither seed
     * @param stream    the dither stream (e.g. worker and round): a new one for every quantization
     * @param workspace the calling thread's scratch
     * @throws IllegalArgumentException if an entry is not finite, a norm overflows, or an output is too small
     */
    public static void quantize(final OffHeapVector v, final QsgdParams params, final long seed, final long stream,
                                final float[] norms, final MemorySegment codes, final QsgdWorkspace workspace) {
        norms(v, params, norms, workspace);
        codes(v, params, seed, stream, norms, 0, v.length(), codes, 0, workspace);
    }

    /**
     * The first pass of {@link #quantize}: the L2 norm of every bucket of v into {@code norms}.
     *
     * @throws IllegalArgumentException if an entry is not finite, a norm overflows, or norms is too small
     */
    public static void norms(final OffHeapVector v, final QsgdParams params, final float[] norms,
                             final QsgdWorkspace workspace) {
        norms(v, params, norms, 0, params.bucketCount(v.length()), workspace);
    }

    /**
     * {@link #norms(OffHeapVector, QsgdParams, float[], QsgdWorkspace)} for the buckets {@code [from, to)} only (each bucket's
     * norm is the same however the buckets are split among calls or threads).
     *
     * @throws IllegalArgumentException if the range is not within the buckets, an entry is not finite, a norm
     *                                  overflows, or norms is too small
     */
    public static void norms(final OffHeapVector v, final QsgdParams params, final float[] norms, final int from,
                             final int to, final QsgdWorkspace workspace) {
        final int d = v.length();
        final int buckets = requireNorms(params, d, norms);
        if (from < 0 || from > to || to > buckets) {
            throw new IllegalArgumentException("buckets [" + from + ", " + to + ") are not within [0, " + buckets + ")");
        }
        final MemorySegment vs = v.segment();
        final int length = params.bucketLength(d);
        final double[] partials = workspace.partials;
        final boolean l2 = params.norm() == QsgdParams.Norm.L2;
        for (int b = from; b < to; b++) {
            final int start = b * length;
            final int count = Math.min(length, d - start);
            norms[b] = l2 ? norm(vs, start, count, b, partials) : maxNorm(vs, start, count);
            requireFiniteTop(norms[b], params, b);
        }
    }

    /**
     * The second pass of {@link #quantize} over coordinates {@code [from, to)}: their codes, written from
     * byte {@code codesOffset} of {@code codes}, given the norms of {@link #norms}. Encoders call it chunk by
     * chunk to pack codes while they are in L1.
     *
     * @param from      a multiple of {@link Dithers#CHUNK}
     * @param workspace the calling thread's scratch
     * @throws IllegalArgumentException if the range or an output is out of bounds
     */
    public static void codes(final OffHeapVector v, final QsgdParams params, final long seed, final long stream,
                             final float[] norms, final int from, final int to, final MemorySegment codes,
                             final long codesOffset, final QsgdWorkspace workspace) {
        final int d = v.length();
        requireRange(d, from, to, params, norms, codes, codesOffset);
        if (from % Dithers.CHUNK != 0) {
            throw new IllegalArgumentException("code range starts at " + from + ", not a multiple of " + Dithers.CHUNK);
        }
        final MemorySegment vs = v.segment();
        final int length = params.bucketLength(d);
        final float[] dithers = workspace.dithers;
        final long base = codesOffset - 4L * from;
        for (int chunk = from; chunk < to; chunk += Dithers.CHUNK) {
            fillDithers(params, seed, stream, chunk, dithers, 0, workspace);
            final int chunkEnd = Math.min(to, chunk + Dithers.CHUNK);
            for (int start = chunk; start < chunkEnd; ) {
                final int b = start / length;
                final int end = (int) Math.min(chunkEnd, (long) (b + 1) * length);
                segment(vs, dithers, chunk, start, end, norms[b], params, codes, base);
                start = end;
            }
        }
    }

    /**
     * {@code acc += scale * Q(v)}, decoding the codes and norms that {@link #quantize} wrote for a vector of
     * dimension {@code acc.length()}.
     *
     * @throws IllegalArgumentException if a code's level exceeds s, a code is a sign on level 0, a bucket of norm
     *                                  0 has a nonzero code, a norm is negative or not finite, or an array is too
     *                                  small
     */
    public static void decodeAccumulate(final MemorySegment codes, final float[] norms, final QsgdParams params,
                                        final float scale, final OffHeapVector acc) {
        decodeAccumulate(codes, 0, norms, params, 0, acc.length(), scale, acc);
    }

    /**
     * {@link #decodeAccumulate(MemorySegment, float[], QsgdParams, float, OffHeapVector)} for coordinates
     * {@code [from, to)} only, their codes read from byte {@code codesOffset} of {@code codes}.
     */
    public static void decodeAccumulate(final MemorySegment codes, final long codesOffset, final float[] norms,
                                        final QsgdParams params, final int from, final int to, final float scale,
                                        final OffHeapVector acc) {
        final int d = acc.length();
        requireRange(d, from, to, params, norms, codes, codesOffset);
        final int length = params.bucketLength(d);
        final int s = params.levels();
        final MemorySegment as = acc.segment();
        final long base = codesOffset - 4L * from;
        final boolean vector = KernelFamily.QUANTIZE.vector();
        final boolean exp = params.exponential();
        for (int start = from; start < to; ) {
            final int b = start / length;
            final int end = (int) Math.min(to, (long) (b + 1) * length);
            if (!(norms[b] >= 0) || Float.isInfinite(norms[b])) {
                throw new IllegalArgumentException("QSGD norm " + norms[b] + " of bucket " + b
                        + " is not a finite non-negative float");
            }
            requireFiniteTop(norms[b], params, b);
            if (norms[b] == 0) {
                requireZeroCodes(codes, base, start, end, b);
            }
            final float unit = norms[b] / params.top() * scale;
            int j = start;
            if (vector) {
                j = QsgdVectors.decodeAccumulate(codes, base, start, end, s, exp, unit, as);
                if (j < 0) {
                    throw badCode(codes, base, start, end, s);
                }
            }
            // the rest (all of it on the scalar path) one coordinate at a time, by the same float operations
            for (; j < end; j++) {
                final int code = codes.get(ValueLayout.JAVA_INT_UNALIGNED, base + 4L * j);
                if (!valid(code, s)) {
                    throw badCode(codes, base, j, end, s);
                }
                final float magnitude = params.magnitude(code >>> 1);
                final long at = 4L * j;
                as.set(ValueLayout.JAVA_FLOAT, at, Fma.fma((code & 1) != 0 ? -magnitude : magnitude, unit,
                        as.get(ValueLayout.JAVA_FLOAT, at)));
            }
            start = end;
        }
    }

    /** Whether a code is one {@link #quantize} makes: a level up to s, and no sign on level 0 (code 1). */
    private static boolean valid(final int code, final int s) {
        return Integer.compareUnsigned(code >>> 1, s) <= 0 && code != 1;
    }

    private static IllegalArgumentException badCode(final MemorySegment codes, final long base, final int from,
                                                    final int end, final int s) {
        for (int j = from; j < end; j++) {
            final int code = codes.get(ValueLayout.JAVA_INT_UNALIGNED, base + 4L * j);
            if (!valid(code, s)) {
                return new IllegalArgumentException("QSGD code " + Integer.toUnsignedString(code) + " at coordinate "
                        + j + (code == 1 ? " is a sign on level 0" : " has level " + (code >>> 1) + " above s = " + s));
            }
        }
        throw new IllegalStateException("no bad code in [" + from + ", " + end + ")");
    }

    /** Rejects a nonzero code in a bucket of norm 0, whose coordinates {@link #quantize} codes as 0. */
    private static void requireZeroCodes(final MemorySegment codes, final long base, final int from, final int end,
                                         final int bucket) {
        for (int j = from; j < end; j++) {
            final int code = codes.get(ValueLayout.JAVA_INT_UNALIGNED, base + 4L * j);
            if (code != 0) {
                throw new IllegalArgumentException("QSGD code " + Integer.toUnsignedString(code) + " at coordinate "
                        + j + " is not 0 in bucket " + bucket + " of norm 0");
            }
        }
    }

    private static void requireRange(final int d, final int from, final int to, final QsgdParams params,
                                     final float[] norms, final MemorySegment codes, final long codesOffset) {
        Objects.requireNonNull(codes, "codes");
        if (from < 0 || from > to || to > d) {
            throw new IllegalArgumentException("coordinates [" + from + ", " + to + ") are not within [0, " + d + ")");
        }
        requireNorms(params, d, norms);
        final long bytes = 4L * (to - from);
        if (codesOffset < 0 || codesOffset > codes.byteSize() || codes.byteSize() - codesOffset < bytes) {
            throw new IllegalArgumentException("codes holds " + codes.byteSize() + " bytes, " + (to - from)
                    + " codes at offset " + codesOffset + " need " + (codesOffset + bytes));
        }
    }

    /** The number of buckets of dimension d, after checking that {@code norms} holds them all. */
    static int requireNorms(final QsgdParams params, final int d, final float[] norms) {
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(norms, "norms");
        final int buckets = params.bucketCount(d);
        if (norms.length < buckets) {
            throw new IllegalArgumentException("norms holds " + norms.length + " floats, the " + buckets
                    + " buckets need " + buckets);
        }
        return buckets;
    }

    /**
     * Rejects a bucket whose top level would decode beyond float32: {@code top (N / top)} in float32 overflows for N
     * within a few ulps of {@code Float.MAX_VALUE} with uniform levels (e.g. s = 127, N = 3.4028235e38), so no frame
     * decodes to infinity ({@link QsgdParams#top()}: s, or a power of two, which never overflows).
     *
     * @throws IllegalArgumentException naming the bucket, its norm and s
     */
    public static void requireFiniteTop(final float norm, final QsgdParams params, final int bucket) {
        final float top = params.top();
        if (Float.isInfinite(top * (norm / top))) {
            throw new IllegalArgumentException("bucket " + bucket + " of norm " + norm + " with s = " + params.levels()
                    + " would decode to values beyond float32 (s (N / s) overflows)");
        }
    }

    /**
     * The sum of squares of v as {@link QsgdParams.Norm#L2} norms sum a bucket (binary64, 16 partials by index,
     * the same bits on every path and width): for encoders that scale by a vector's RMS.
     */
    public static double sumOfSquares(final OffHeapVector v, final QsgdWorkspace workspace) {
        return SquaredNorm.of(v.segment(), 0, v.length(), workspace.partials);
    }

    /**
     * The dithers of coordinates {@code [first, first + Dithers.CHUNK)} at the width the parameters say, into
     * {@code out} from {@code offset}.
     */
    static void fillDithers(final QsgdParams params, final long seed, final long stream, final int first,
                            final float[] out, final int offset, final QsgdWorkspace workspace) {
        if (params.dither() == QsgdParams.DitherWidth.BITS_16) {
            Dithers.fillChunk16(seed, stream, first, out, offset, workspace.words);
        } else {
            Dithers.fillChunk(seed, stream, first, out, offset, workspace.words);
        }
    }

    /** The bucket's largest magnitude; rejects non-finite entries. */
    private static float maxNorm(final MemorySegment vs, final int start, final int length) {
        final int bits = MaxMagnitude.bitsOf(vs, 4L * start, length);
        if (bits >= Float.floatToRawIntBits(Float.POSITIVE_INFINITY)) {
            requireFinite(vs, start, length);
        }
        return Float.intBitsToFloat(bits);
    }

    private static void requireFinite(final MemorySegment vs, final int start, final int length) {
        for (int j = start; j < start + length; j++) {
            final float x = vs.getAtIndex(ValueLayout.JAVA_FLOAT, j);
            if (!Float.isFinite(x)) {
                throw new IllegalArgumentException("v[" + j + "] = " + x
                        + " is not finite: QSGD quantizes finite vectors only");
            }
        }
    }

    /** The bucket's float L2 norm; rejects non-finite entries and norms beyond float range. */
    private static float norm(final MemorySegment vs, final int start, final int length, final int bucket,
                              final double[] partials) {
        final double squares = SquaredNorm.of(vs, 4L * start, length, partials);
        if (!Double.isFinite(squares)) {
            requireFinite(vs, start, length);
        }
        final float norm = (float) Math.sqrt(squares);
        if (Float.isInfinite(norm)) {
            throw new IllegalArgumentException("the L2 norm of bucket " + bucket + " (" + Math.sqrt(squares)
                    + ") overflows float32");
        }
        return norm;
    }

    /**
     * The factor {@code pre} of the definition for a bucket of norm {@code norm > 0}: 2^64 when {@code top / norm}
     * overflows float32, else 1; the quantizer's scale is then {@code top / (norm pre)} ({@link QsgdParams#top()}).
     */
    static float prescale(final float norm, final float top) {
        return Float.isInfinite(top / norm) ? TWO_TO_64 : 1f;
    }

    /**
     * Codes of coordinates [from, to), all in one bucket of norm {@code norm}, dithers from chunk start; the
     * code of coordinate j goes to byte {@code base + 4 j}.
     */
    private static void segment(final MemorySegment vs, final float[] dithers, final int chunk, final int from,
                                final int to, final float norm, final QsgdParams params, final MemorySegment codes,
                                final long base) {
        if (norm == 0) {
            codes.asSlice(base + 4L * from, 4L * (to - from)).fill((byte) 0);
            return;
        }
        final int s = params.levels();
        final boolean exp = params.exponential();
        final float pre = prescale(norm, params.top());
        final float inv = params.top() / (norm * pre);
        final int whole = !KernelFamily.QUANTIZE.vector() ? from
                : exp ? QsgdVectors.expCodes(vs, dithers, chunk, from, to, pre, inv, s, codes, base)
                : QsgdVectors.codes(vs, dithers, chunk, from, to, pre, inv, s, codes, base);
        // the rest (all of it on the scalar path) one at a time, by the same float operations (so the same bits)
        codesScalar(vs, dithers, chunk, whole, to, pre, inv, s, exp, codes, base);
    }

    /**
     * Steps 3 and 4 of the definition for coordinates [from, to) of one bucket, one at a time, given the bucket's
     * {@code pre} and {@code inv = top / (norm pre)}: the dither of j is {@code dithers[j - chunk]}, its code goes to
     * byte {@code base + 4 j}.
     */
    static void codesScalar(final MemorySegment vs, final float[] dithers, final int chunk, final int from,
                            final int to, final float pre, final float inv, final int s, final boolean exp,
                            final MemorySegment codes, final long base) {
        if (exp) {
            expCodesScalar(vs, dithers, chunk, from, to, pre, inv, s, codes, base);
            return;
        }
        for (int j = from; j < to; j++) {
            final float x = vs.getAtIndex(ValueLayout.JAVA_FLOAT, j);
            final float r = Math.abs(x) * pre * inv;
            final int floor = (int) r;
            // without branches, which random data mispredict half the time: u < p is the sign of u - p (never
            // -0: equal floats subtract to +0), and x < 0 with a level is x's sign bit where the level is not 0
            final int up = Float.floatToRawIntBits(dithers[j - chunk] - (r - floor)) >>> 31;
            final int level = Math.min(floor + up, s);
            final int negative = Float.floatToRawIntBits(x) >>> 31 & -level >>> 31;
            codes.set(ValueLayout.JAVA_INT_UNALIGNED, base + 4L * j, level << 1 | negative);
        }
    }

    /**
     * {@link #codesScalar} for exponential levels: {@code r = (|v_j| pre) inv} lies in {@code [0, 2^(s-1)]}; below 1
     * the level rounds between 0 and 1 with {@code p = r}, else r is in {@code [2^e, 2^(e+1))} (e its float
     * exponent), between levels e + 1 and e + 2 with {@code p = r 2^-e - 1}, the fraction bits of r (exact).
     */
    private static void expCodesScalar(final MemorySegment vs, final float[] dithers, final int chunk,
                                       final int from, final int to, final float pre, final float inv, final int s,
                                       final MemorySegment codes, final long base) {
        for (int j = from; j < to; j++) {
            final float x = vs.getAtIndex(ValueLayout.JAVA_FLOAT, j);
            final int bits = Float.floatToRawIntBits(Math.abs(x) * pre * inv);
            final int exponent = bits >>> 23;
            // all ones where r >= 1 (biased exponent 127 or more), else 0: chosen by bits, without branches
            final int big = (126 - exponent) >> 31;
            final int floor = (exponent - 126) & big;
            final int fractionBits = Float.floatToRawIntBits(
                    Float.intBitsToFloat(bits & 0x007F_FFFF | Float.floatToRawIntBits(1f)) - 1f);
            final float fraction = Float.intBitsToFloat(fractionBits & big | bits & ~big);
            final int up = Float.floatToRawIntBits(dithers[j - chunk] - fraction) >>> 31;
            final int level = Math.min(floor + up, s);
            final int negative = Float.floatToRawIntBits(x) >>> 31 & -level >>> 31;
            codes.set(ValueLayout.JAVA_INT_UNALIGNED, base + 4L * j, level << 1 | negative);
        }
    }
}
