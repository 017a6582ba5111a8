package org.reluq.bench.baseline;

import org.reluq.kernels.random.Philox4x32;
import org.reluq.kernels.random.RandomStream;

/**
 * QSGD as a developer first writes it: scalar loops over a float[], the same dithers as reluq (one
 * Philox block per four coordinates), codes into an int[], then a scalar bit writer. Its codes equal
 * reluq's, so the benchmarks compare the same work.
 */
public final class NaiveQsgd {

    private NaiveQsgd() {
    }

    /**
     * Quantizes v with s levels and buckets of {@code bucket} (0: whole vector) into norms and codes, and
     * packs the codes at {@code bits} bits each, least significant bit first, into {@code packed}.
     *
     * @return the number of 64-bit words written
     */
    public static int quantizeAndPack(final float[] v, final int s, final int bucket, final long seed,
                                      final long stream, final float[] norms, final int[] codes, final int bits,
                                      final long[] packed) {
        final int d = v.length;
        final int length = bucket == 0 ? d : bucket;
        final int[] words = new int[4];
        for (int start = 0, b = 0; start < d; start += length, b++) {
            final int end = Math.min(d, start + length);
            double squares = 0;
            for (int j = start; j < end; j++) {
                squares += (double) v[j] * v[j];
            }
            final float norm = (float) Math.sqrt(squares);
            norms[b] = norm;
            final float inv = norm == 0 ? 0f : s / norm;
            for (int j = start; j < end; j++) {
                if ((j & 3) == 0 || j == start) {
                    Philox4x32.block(j >>> 2, (int) stream, RandomStream.DITHER.id(), (int) (stream >>> 32),
                            (int) seed, (int) (seed >>> 32), words);
                }
                final float u = Philox4x32.uniform(words[j & 3]);
                final float r = Math.abs(v[j]) * inv;
                final int floor = (int) r;
                final int level = Math.min(floor + (u < r - floor ? 1 : 0), s);
                codes[j] = level << 1 | (v[j] < 0 && level != 0 ? 1 : 0);
            }
        }
        long buffer = 0;
        int filled = 0;
        int at = 0;
        for (int j = 0; j < d; j++) {
            buffer |= (long) codes[j] << filled;
            filled += bits;
            if (filled >= 64) {
                packed[at++] = buffer;
                filled -= 64;
                buffer = filled == 0 ? 0 : (long) codes[j] >>> (bits - filled);
            }
        }
        if (filled > 0) {
            packed[at++] = buffer;
        }
        return at;
    }
}
