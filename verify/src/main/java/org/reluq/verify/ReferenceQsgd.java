package org.reluq.verify;

import org.reluq.kernels.random.Philox4x32;
import org.reluq.kernels.random.RandomStream;
import org.reluq.kernels.simd.Fma;

/**
 * QSGD as docs/design.md ("The mathematics every module shares") and the kernels' documentation define it,
 * one coordinate at a time and
 * written for clarity: the scalar reference that the vector quantizer, dithers and decoder must match
 * bit for bit.
 */
public final class ReferenceQsgd {

    /** Norms per bucket and codes ({@code level << 1 | sign}) per coordinate. */
    public record Quantized(float[] norms, int[] codes) {
    }

    private ReferenceQsgd() {
    }

    /** The dither of coordinate j: word j mod 4 of Philox block (j / 4, stream low, DITHER, stream high). */
    public static float dither(final long seed, final long stream, final long j) {
        final int[] words = new int[4];
        final long block = j / 4;
        Philox4x32.block((int) block, (int) stream, RandomStream.DITHER.id(), (int) (stream >>> 32),
                (int) seed, (int) (seed >>> 32), words);
        final int word = words[(int) (j % 4)];
        return (word >>> 8) / 16777216f;
    }

    /**
     * The 16-bit dither of coordinate j: with {@code j = 128 g + 32 w + 16 h + b}, half h (0 low) of word w of
     * Philox block (16 g + b, stream low, DITHER16, stream high), as {@code (2 k + 1) / 2^17}.
     */
    public static float dither16(final long seed, final long stream, final long j) {
        final long group = j / 128;
        final int within = (int) (j % 128);
        final int w = within / 32;
        final int h = within / 16 % 2;
        final int b = within % 16;
        final int[] words = new int[4];
        Philox4x32.block((int) (16 * group + b), (int) stream, RandomStream.DITHER16.id(), (int) (stream >>> 32),
                (int) seed, (int) (seed >>> 32), words);
        final int k = h == 0 ? words[w] & 0xFFFF : words[w] >>> 16;
        return (2 * k + 1) / 131072f;
    }

    /** Sum of squares of v[start .. start + length): 16 double partials by index mod 16, then in order. */
    public static double squaredNorm(final float[] v, final int start, final int length) {
        final double[] partial = new double[16];
        for (int k = 0; k < length; k++) {
            final double x = v[start + k];
            partial[k % 16] = Math.fma(x, x, partial[k % 16]);
        }
        double sum = 0;
        for (final double p : partial) {
            sum += p;
        }
        return sum;
    }

    /** Quantizes v with s levels and the given bucket size (0 = whole vector), L2 norms and 32-bit dithers. */
    public static Quantized quantize(final float[] v, final int s, final int bucket, final long seed,
                                     final long stream) {
        return quantize(v, s, bucket, false, false, seed, stream);
    }

    /** {@link #quantize(float[], int, int, boolean, boolean, boolean, long, long)} with uniform levels. */
    public static Quantized quantize(final float[] v, final int s, final int bucket, final boolean maxNorm,
                                     final boolean dither16, final long seed, final long stream) {
        return quantize(v, s, bucket, maxNorm, dither16, false, seed, stream);
    }

    /**
     * The magnitude of the top level, in the unit {@code N / top} of the quantizer: s, or 2^(s - 1) with
     * exponential levels.
     */
    public static float top(final int s, final boolean exp) {
        return exp ? (float) Math.pow(2, s - 1) : s;
    }

    /** The magnitude of level l in units of {@code N / top}: l, or with exponential levels 0 and 2^(l - 1). */
    public static float magnitude(final int level, final boolean exp) {
        if (!exp) {
            return level;
        }
        return level == 0 ? 0f : (float) Math.pow(2, level - 1);
    }

    /**
     * Quantizes v with s levels and the given bucket size (0 = whole vector), max norms instead of L2 ones if
     * {@code maxNorm}, 16-bit dithers if {@code dither16}, exponentially spaced levels if {@code exp}. Inputs must be
     * finite.
     */
    public static Quantized quantize(final float[] v, final int s, final int bucket, final boolean maxNorm,
                                     final boolean dither16, final boolean exp, final long seed,
                                     final long stream) {
        final float top = top(s, exp);
        final int d = v.length;
        final int length = bucket == 0 ? d : bucket;
        final int buckets = d == 0 ? 0 : (d + length - 1) / length;
        final float[] norms = new float[buckets];
        final int[] codes = new int[d];
        for (int b = 0; b < buckets; b++) {
            final int start = b * length;
            final int end = Math.min(d, start + length);
            float norm = 0;
            if (maxNorm) {
                for (int j = start; j < end; j++) {
                    norm = Math.max(norm, Math.abs(v[j]));
                }
            } else {
                norm = (float) Math.sqrt(squaredNorm(v, start, end - start));
            }
            // the wire format's rule: a bucket's top level, top (N / top) in float32, must be a float32 value
            if (Float.isInfinite(norm) || Float.isInfinite(top * (norm / top))) {
                throw new IllegalArgumentException("bucket " + b + " of norm " + norm + " cannot be sent at s = " + s);
            }
            norms[b] = norm;
            if (norm == 0) {
                continue;
            }
            float pre = 1f;
            float inv = top / norm;
            if (Float.isInfinite(inv)) {
                pre = 0x1.0p64f;
                inv = top / (norm * pre);
            }
            for (int j = start; j < end; j++) {
                final float r = Math.abs(v[j]) * pre * inv;
                final int floor;
                final float fraction;
                if (!exp) {
                    floor = (int) r;
                    fraction = r - floor;
                } else if (r < 1) {
                    // below the first nonzero level (magnitude 1): between level 0 and 1
                    floor = 0;
                    fraction = r;
                } else {
                    // between 2^e (level e + 1) and 2^(e + 1) (level e + 2): the fraction of the way, exact
                    final int e = Math.getExponent(r);
                    final float low = (float) Math.pow(2, e);
                    floor = e + 1;
                    fraction = (r - low) / low;
                }
                final float u = dither16 ? dither16(seed, stream, j) : dither(seed, stream, j);
                final boolean roundUp = u < fraction;
                final int level = Math.min(floor + (roundUp ? 1 : 0), s);
                final int sign = v[j] < 0 && level != 0 ? 1 : 0;
                codes[j] = level << 1 | sign;
            }
        }
        return new Quantized(norms, codes);
    }

    /** {@link #decodeAccumulate(Quantized, int, int, boolean, float, float[])} with uniform levels. */
    public static void decodeAccumulate(final Quantized q, final int s, final int bucket, final float scale,
                                        final float[] acc) {
        decodeAccumulate(q, s, bucket, false, scale, acc);
    }

    /**
     * {@code acc_j = fma(signedMagnitude_j, (N_b / top) scale, acc_j)} for every coordinate, fused where the
     * kernels fuse ({@link Fma}: the hardware has FMA, or {@code -Dreluq.fma} says so).
     */
    public static void decodeAccumulate(final Quantized q, final int s, final int bucket, final boolean exp,
                                        final float scale, final float[] acc) {
        final int d = acc.length;
        final int length = bucket == 0 ? d : bucket;
        for (int j = 0; j < d; j++) {
            final float unit = q.norms()[j / length] / top(s, exp) * scale;
            final float magnitude = magnitude(q.codes()[j] >>> 1, exp);
            acc[j] = Fma.fma((q.codes()[j] & 1) == 1 ? -magnitude : magnitude, unit, acc[j]);
        }
    }

    /** {@link #decode(Quantized, int, int, boolean)} with uniform levels. */
    public static double[] decode(final Quantized q, final int s, final int bucket) {
        return decode(q, s, bucket, false);
    }

    /** The decoded vector Q(v) in double: {@code signedMagnitude (N_b / top)} (exact value of the float terms). */
    public static double[] decode(final Quantized q, final int s, final int bucket, final boolean exp) {
        final int d = q.codes().length;
        final int length = bucket == 0 ? d : bucket;
        final double[] out = new double[d];
        for (int j = 0; j < d; j++) {
            final float magnitude = magnitude(q.codes()[j] >>> 1, exp);
            out[j] = ((q.codes()[j] & 1) == 1 ? -magnitude : magnitude) * (double) (q.norms()[j / length] / top(s, exp));
        }
        return out;
    }
}
