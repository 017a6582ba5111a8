package org.reluq.verify;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The decoded vectors of {@code natural}, {@code terngrad}, {@code topk} and {@code randk} as their documentation
 * defines them, written for clarity (sorting, BigDecimal-free double arithmetic, one coordinate at a time): the
 * scalar references the encoders must match bit for bit. Inputs must be finite. Decode-and-accumulate into zeros
 * with scale 1 computes {@code fma(value, 1, 0)}, so a kept -0 comes out +0, as here.
 */
public final class ReferenceEncoders {

    private ReferenceEncoders() {
    }

    /** natural: each coordinate rounded to a power of two below or above it, up with probability f (its fraction). */
    public static float[] natural(final float[] v, final long seed, final long stream) {
        final float[] out = new float[v.length];
        for (int j = 0; j < v.length; j++) {
            final int bits = Float.floatToRawIntBits(v[j]);
            final int exponent = bits >>> 23 & 0xFF;
            final double fraction = (bits & 0x7F_FFFF) / 8388608.0;
            final int rounded = exponent + (ReferenceQsgd.dither(seed, stream, j) < fraction ? 1 : 0);
            if (rounded >= 255) {
                throw new IllegalArgumentException("entry " + j + " rounds beyond float32");
            }
            final double magnitude = rounded == 0 ? 0 : Math.scalb(1.0, rounded - 127);
            out[j] = (float) (v[j] < 0 ? -magnitude : magnitude) + 0f;
        }
        return out;
    }

    /**
     * terngrad: entries clipped to {@code [-c rms, c rms]} (c = 0: not clipped; rms from the 16-partial sum of
     * squares), then QSGD with s = 1, max norms and 32-bit dithers, decoded.
     */
    public static float[] terngrad(final float[] v, final int bucket, final float clip, final long seed,
                                   final long stream) {
        float[] sent = v;
        if (clip > 0) {
            final float t = (float) (clip * Math.sqrt(ReferenceQsgd.squaredNorm(v, 0, v.length) / v.length));
            sent = new float[v.length];
            for (int j = 0; j < v.length; j++) {
                sent[j] = Math.min(Math.max(v[j], -t), t);
            }
        }
        final ReferenceQsgd.Quantized q = ReferenceQsgd.quantize(sent, 1, bucket, true, false, seed, stream);
        final float[] out = new float[v.length];
        ReferenceQsgd.decodeAccumulate(q, 1, bucket, 1f, out);
        return out;
    }

    /** topk: the min(k, d) largest magnitudes (ties to the lower index) kept, the rest 0. */
    public static float[] topk(final float[] v, final int k) {
        final Integer[] order = IntStream.range(0, v.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer j) -> -Math.abs(v[j])).thenComparingInt(j -> j));
        final float[] out = new float[v.length];
        for (int i = 0; i < Math.min(k, v.length); i++) {
            out[order[i]] = v[order[i]] + 0f;
        }
        return out;
    }

    /**
     * randk: selection sampling over the 32-bit dithers ({@code u_j (d - j) < need} keeps j), kept values times
     * the float32 of d / n, the rest 0.
     */
    public static float[] randk(final float[] v, final int k, final long seed, final long stream) {
        final int d = v.length;
        final int n = Math.min(k, d);
        final float ratio = (float) ((double) d / n);
        final float[] out = new float[d];
        int need = n;
        for (int j = 0; j < d; j++) {
            if ((double) ReferenceQsgd.dither(seed, stream, j) * (d - j) < need) {
                out[j] = (float) ((double) v[j] * ratio) + 0f;
                if (Float.isInfinite(out[j])) {
                    throw new IllegalArgumentException("entry " + j + " times d/n overflows float32");
                }
                need--;
            }
        }
        return out;
    }
}
