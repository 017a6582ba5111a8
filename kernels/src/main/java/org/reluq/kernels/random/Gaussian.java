package org.reluq.kernels.random;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Standard normal floats as a pure function of (seed, stream, index), by the ziggurat method of
 * Marsaglia and Tsang (J. Stat. Softw. 5(8), 2000) with 128 layers, fed by {@link Philox4x32}.
 *
 * <p>Element {@code e} takes word {@code e mod 4} of block {@code (e / 4, stream, sub 0)}: the low 7
 * bits pick the layer, bit 7 the sign, the top 24 bits the abscissa. About 1.2% of draws fall outside
 * their layer's rectangle; those take their extra words from block {@code (e / 4, stream, 4a + e mod 4)}
 * for attempt {@code a = 1, 2, ...} and restart on rejection, which keeps the distribution exact. The
 * slow path uses {@link StrictMath} so the bits are the same on every JVM.
 */
public final class Gaussian {

    private static final int LAYERS = 128;
    private static final double R = 3.442619855899;
    private static final double AREA = 9.91256303526217e-3;
    /** Layer right edges: X[0] is the base strip's equivalent width, X[1] = R, decreasing to X[128] = 0. */
    private static final double[] X = new double[LAYERS + 1];
    /** The density exp(-x^2/2) at each edge. */
    private static final double[] F = new double[LAYERS + 1];

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
    }

    private Gaussian() {
    }

    private static double density(final double x) {
        return StrictMath.exp(-0.5 * x * x);
    }

    /** The standard normal element {@code index} of {@code stream} under {@code seed}. */
    public static float sample(final long seed, final RandomStream stream, final long index) {
        final int[] block = new int[4];
        Philox4x32.block(seed, stream, index >>> 2, 0, block);
        return fromWord(seed, stream, index, block[(int) (index & 3)], block);
    }

    /**
     * Writes elements {@code [first, first + count)} of {@code stream} as consecutive floats into
     * {@code out} starting at byte {@code offset}.
     */
    public static void fill(final long seed, final RandomStream stream, final long first, final int count,
                            final MemorySegment out, final long offset) {
        final int[] block = new int[4];
        final int[] scratch = new int[4];
        long blockIndex = -1;
        for (int k = 0; k < count; k++) {
            final long e = first + k;
            if ((e >>> 2) != blockIndex) {
                blockIndex = e >>> 2;
                Philox4x32.block(seed, stream, blockIndex, 0, block);
            }
            final float v = fromWord(seed, stream, e, block[(int) (e & 3)], scratch);
            out.set(ValueLayout.JAVA_FLOAT_UNALIGNED, offset + (long) k * Float.BYTES, v);
        }
    }

    private static float fromWord(final long seed, final RandomStream stream, final long index, int word,
                                  final int[] scratch) {
        for (int attempt = 1; ; attempt++) {
            final int layer = word & (LAYERS - 1);
            final double x = (word >>> 8) * 0x1.0p-24 * X[layer];
            final boolean negative = (word & LAYERS) != 0;
            if (x < X[layer + 1]) {
                return (float) (negative ? -x : x);
            }
            Philox4x32.block(seed, stream, index >>> 2, 4 * attempt + (int) (index & 3), scratch);
            if (layer == 0) {
                final double tx = -StrictMath.log(Philox4x32.uniformOpenZero(scratch[0])) / R;
                final double ty = -StrictMath.log(Philox4x32.uniformOpenZero(scratch[1]));
                if (2 * ty >= tx * tx) {
                    return (float) (negative ? -(R + tx) : R + tx);
                }
            } else {
                final double u = (scratch[0] >>> 8) * 0x1.0p-24;
                if (F[layer + 1] + u * (F[layer] - F[layer + 1]) < density(x)) {
                    return (float) (negative ? -x : x);
                }
            }
            word = scratch[3];
        }
    }
}
