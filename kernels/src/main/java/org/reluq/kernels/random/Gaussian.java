package org.reluq.kernels.random;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Standard normal floats as a pure function of (seed, stream, index), by the ziggurat method of
 * Marsaglia and Tsang (J. Stat. Softw. 5(8), 2000) with 128 layers, fed by {@link Philox4x32}.
 *
 * <p>Element {@code e} takes word {@code e mod 4} of block {@code (e / 4, stream, sub 0)}: the low 7
 * bits pick the layer i, bit 7 the sign, the top 24 bits an integer u, and the candidate is
 * {@code x = u 2^-24 X[i]}. If u is below the layer's integer edge the point lies inside the layer's
 * rectangle and x is returned (about 98.8% of draws). Otherwise the draw takes extra words from block
 * {@code (e / 4, stream, 4a + e mod 4)} for attempt {@code a = 1, 2, ...}: a wedge or tail test, and a
 * restart on rejection, which keeps the distribution exact. The slow path uses {@link StrictMath}, so
 * the bits are the same on every JVM.
 */
public final class Gaussian {

    private static final int LAYERS = 128;
    private static final double R = 3.442619855899;
    private static final double AREA = 9.91256303526217e-3;
    /** Layer right edges: X[0] is the base strip's equivalent width, X[1] = R, decreasing to X[128] = 0. */
    private static final double[] X = new double[LAYERS + 1];
    /** The density exp(-x^2/2) at each edge. */
    private static final double[] F = new double[LAYERS + 1];
    /** X[i] 2^-24: the candidate is u times this. */
    private static final double[] SCALE = new double[LAYERS];
    /** Largest u whose candidate is certainly inside layer i's rectangle, plus one. */
    private static final int[] EDGE = new int[LAYERS];

    static {
        X[0] = AREA / density(R);
        X[1] = R;
        for (int i = 1; i < LAYERS - 1; i++) {
            X[i + 1] = StrictMath.sqrt(-2 * StrictMath.log(AREA / X[i] + density(X[i])));
        }
        X[LAYERS] = 0;
        for (int i = 0; i <= LAYERS; i++) {
            F[i] = density(X[i]);
        }
        for (int i = 0; i < LAYERS; i++) {
            SCALE[i] = X[i] * 0x1.0p-24;
            // floor keeps the fast path inside the rectangle; draws just past it take the exact wedge test
            EDGE[i] = (int) Math.floor(0x1.0p24 * X[i + 1] / X[i]);
        }
    }

    private Gaussian() {
    }

    private static double density(final double x) {
        return StrictMath.exp(-0.5 * x * x);
    }

    /** The standard normal element {@code index} of {@code stream} under {@code seed}. */
    public static float sample(final long seed, final RandomStream stream, final long index) {
        return sample(seed, stream, index, new int[4]);
    }

    /** Writes elements {@code [first, first + count)} of {@code stream} to {@code out[from ..]}. */
    public static void fill(final long seed, final RandomStream stream, final long first, final float[] out,
                            final int from, final int count) {
        final int[] words = new int[16];
        final int[] scratch = new int[4];
        final long end = first + count;
        long e = first;
        // whole groups of four blocks (sixteen elements) aligned on block boundaries
        final long groupStart = Math.min(end, (first + 15) & ~15L);
        for (; e < groupStart; e++) {
            out[from + (int) (e - first)] = sample(seed, stream, e, scratch);
        }
        for (; e + 16 <= end; e += 16) {
            Philox4x32.blocks4(seed, stream, e >>> 2, 0, words);
            final int base = from + (int) (e - first);
            for (int w = 0; w < 16; w++) {
                final int word = words[w];
                final int layer = word & (LAYERS - 1);
                final int u = word >>> 8;
                if (u < EDGE[layer]) {
                    out[base + w] = withSign((float) (u * SCALE[layer]), word);
                } else {
                    out[base + w] = fromWord(seed, stream, e + w, word, scratch);
                }
            }
        }
        for (; e < end; e++) {
            out[from + (int) (e - first)] = sample(seed, stream, e, scratch);
        }
    }

    /** {@code x} negated when bit 7 of {@code word} is set, without a branch (the sign is a coin flip). */
    private static float withSign(final float x, final int word) {
        return Float.intBitsToFloat(Float.floatToRawIntBits(x) | (word & LAYERS) << 24);
    }

    private static float sample(final long seed, final RandomStream stream, final long index, final int[] scratch) {
        Philox4x32.block(seed, stream, index >>> 2, 0, scratch);
        return fromWord(seed, stream, index, scratch[(int) (index & 3)], scratch);
    }

    /**
     * Writes elements {@code [first, first + count)} of {@code stream} as consecutive floats into
     * {@code out} starting at byte {@code offset}. Goes through a temporary heap array: for setting up
     * vectors, not for loops.
     */
    public static void fill(final long seed, final RandomStream stream, final long first, final int count,
                            final MemorySegment out, final long offset) {
        final float[] values = new float[count];
        fill(seed, stream, first, values, 0, count);
        MemorySegment.copy(values, 0, out, ValueLayout.JAVA_FLOAT, offset, count);
    }

    /** The full algorithm for one element whose first word is {@code word}. */
    private static float fromWord(final long seed, final RandomStream stream, final long index, int word,
                                  final int[] scratch) {
        for (int attempt = 1; ; attempt++) {
            final int layer = word & (LAYERS - 1);
            final int u = word >>> 8;
            final double x = u * SCALE[layer];
            if (u < EDGE[layer]) {
                return withSign((float) x, word);
            }
            Philox4x32.block(seed, stream, index >>> 2, 4 * attempt + (int) (index & 3), scratch);
            if (layer == 0) {
                if (x < R) {
                    return withSign((float) x, word);
                }
                final double tx = -StrictMath.log(Philox4x32.uniformOpenZero(scratch[0])) / R;
                final double ty = -StrictMath.log(Philox4x32.uniformOpenZero(scratch[1]));
                if (2 * ty >= tx * tx) {
                    return withSign((float) (R + tx), word);
                }
            } else {
                final double v = (scratch[0] >>> 8) * 0x1.0p-24;
                if (F[layer + 1] + v * (F[layer] - F[layer + 1]) < density(x)) {
                    return withSign((float) x, word);
                }
            }
            word = scratch[3];
        }
    }
}
