package org.reluq.kernels.random;

/**
 * Philox4x32-10, the counter-based generator of Salmon, Moraes, Dror and Shaw ("Parallel random
 * numbers: as easy as 1, 2, 3", SC'11). Each call maps a 128-bit counter and a 64-bit key to 128
 * random bits; there is no state, so any element of any stream can be computed on any thread in
 * any order and always gives the same bits. It passes TestU01's BigCrush.
 *
 * <p>reluq's convention: the key is the user's 64-bit seed; the counter is
 * {@code (index low, index high, stream, sub)} where {@link RandomStream} names the stream and
 * {@code sub} separates draws that need more than one block for the same index.
 */
public final class Philox4x32 {

    private static final long M0 = 0xD2511F53L;
    private static final long M1 = 0xCD9E8D57L;
    private static final int W0 = 0x9E3779B9;
    private static final int W1 = 0xBB67AE85;
    private static final long LOW32 = 0xFFFF_FFFFL;

    private Philox4x32() {
    }

    /**
     * Computes one block: the four output words for counter {@code (c0, c1, c2, c3)} and key
     * {@code (k0, k1)}, written to {@code out[0..3]}.
     */
    public static void block(int c0, int c1, int c2, int c3, int k0, int k1, final int[] out) {
        for (int round = 0; round < 10; round++) {
            if (round > 0) {
                k0 += W0;
                k1 += W1;
            }
            final long p0 = (c0 & LOW32) * M0;
            final long p1 = (c2 & LOW32) * M1;
            final int n0 = (int) (p1 >>> 32) ^ c1 ^ k0;
            final int n2 = (int) (p0 >>> 32) ^ c3 ^ k1;
            c1 = (int) p1;
            c3 = (int) p0;
            c0 = n0;
            c2 = n2;
        }
        out[0] = c0;
        out[1] = c1;
        out[2] = c2;
        out[3] = c3;
    }

    /**
     * Four consecutive blocks, for counters {@code (index + b, stream, sub)}, b = 0..3, written to
     * {@code out[4b .. 4b + 3]}: the same words as four calls to
     * {@link #block(long, RandomStream, long, int, int[])}.
     */
    public static void blocks4(final long seed, final RandomStream stream, final long index, final int sub,
                               final int[] out) {
        blocks4(seed, stream, index, sub, index + 1, sub, index + 2, sub, index + 3, sub, out);
    }

    /**
     * Four blocks for any four counters {@code (index_b, stream, sub_b)}, b = 0..3, written to
     * {@code out[4b .. 4b + 3]}: the same words as four calls to
     * {@link #block(long, RandomStream, long, int, int[])}, computed as four interleaved chains so the
     * multiplier latency overlaps (about four times the throughput of one block at a time).
     */
    public static void blocks4(final long seed, final RandomStream stream, final long index0, final int sub0,
                               final long index1, final int sub1, final long index2, final int sub2,
                               final long index3, final int sub3, final int[] out) {
        int k0 = (int) seed;
        int k1 = (int) (seed >>> 32);
        final int s = stream.id();
        int a0 = (int) index0;
        int a1 = (int) (index0 >>> 32);
        int a2 = s;
        int a3 = sub0;
        int b0 = (int) index1;
        int b1 = (int) (index1 >>> 32);
        int b2 = s;
        int b3 = sub1;
        int c0 = (int) index2;
        int c1 = (int) (index2 >>> 32);
        int c2 = s;
        int c3 = sub2;
        int d0 = (int) index3;
        int d1 = (int) (index3 >>> 32);
        int d2 = s;
        int d3 = sub3;
        for (int round = 0; round < 10; round++) {
            if (round > 0) {
                k0 += W0;
                k1 += W1;
            }
            final long pa0 = (a0 & LOW32) * M0;
            final long pa1 = (a2 & LOW32) * M1;
            final long pb0 = (b0 & LOW32) * M0;
            final long pb1 = (b2 & LOW32) * M1;
            final long pc0 = (c0 & LOW32) * M0;
            final long pc1 = (c2 & LOW32) * M1;
            final long pd0 = (d0 & LOW32) * M0;
            final long pd1 = (d2 & LOW32) * M1;
            a0 = (int) (pa1 >>> 32) ^ a1 ^ k0;
            a2 = (int) (pa0 >>> 32) ^ a3 ^ k1;
            a1 = (int) pa1;
            a3 = (int) pa0;
            b0 = (int) (pb1 >>> 32) ^ b1 ^ k0;
            b2 = (int) (pb0 >>> 32) ^ b3 ^ k1;
            b1 = (int) pb1;
            b3 = (int) pb0;
            c0 = (int) (pc1 >>> 32) ^ c1 ^ k0;
            c2 = (int) (pc0 >>> 32) ^ c3 ^ k1;
            c1 = (int) pc1;
            c3 = (int) pc0;
            d0 = (int) (pd1 >>> 32) ^ d1 ^ k0;
            d2 = (int) (pd0 >>> 32) ^ d3 ^ k1;
            d1 = (int) pd1;
            d3 = (int) pd0;
        }
        out[0] = a0;
        out[1] = a1;
        out[2] = a2;
        out[3] = a3;
        out[4] = b0;
        out[5] = b1;
        out[6] = b2;
        out[7] = b3;
        out[8] = c0;
        out[9] = c1;
        out[10] = c2;
        out[11] = c3;
        out[12] = d0;
        out[13] = d1;
        out[14] = d2;
        out[15] = d3;
    }

    /** Block for element {@code index} of {@code stream} under {@code seed}, sub-block {@code sub}. */
    public static void block(final long seed, final RandomStream stream, final long index, final int sub,
                             final int[] out) {
        block((int) index, (int) (index >>> 32), stream.id(), sub, (int) seed, (int) (seed >>> 32), out);
    }

    /** A uniform float in [0, 1) from the top 24 bits of {@code word}; every value is a multiple of 2^-24. */
    public static float uniform(final int word) {
        return (word >>> 8) * 0x1.0p-24f;
    }

    /** A uniform double in (0, 1] from the top 24 bits of {@code word}: safe to take the logarithm of. */
    public static double uniformOpenZero(final int word) {
        return ((word >>> 8) + 1) * 0x1.0p-24;
    }

    /**
     * An integer uniform in [0, bound) from one word, by Lemire's multiply-shift. Its bias is at most
     * bound / 2^32 in probability, below 1e-4 for bounds up to 400 000 rows.
     */
    public static int below(final int word, final int bound) {
        return (int) (((word & LOW32) * bound) >>> 32);
    }
}
