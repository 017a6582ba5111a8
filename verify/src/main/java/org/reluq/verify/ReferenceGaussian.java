package org.reluq.verify;

import org.reluq.kernels.random.Philox4x32;
import org.reluq.kernels.random.RandomStream;

/**
 * reluq's standard normals written for clarity, one element at a time from the definition in the
 * kernels' {@code Gaussian} (a 128-layer ziggurat fed by Philox4x32-10): its own tables, its own density,
 * no vectors. The kernels must give these bits exactly, at every vector width.
 */
public final class ReferenceGaussian {

    private static final int LAYERS = 128;
    private static final double R = 3.442619855899;
    private static final double AREA = 9.91256303526217e-3;
    private static final double[] X = new double[LAYERS + 1];
    private static final double[] F = new double[LAYERS + 1];

    static {
        X[0] = AREA / StrictMath.exp(-0.5 * R * R);
        X[1] = R;
        for (int i = 1; i < LAYERS - 1; i++) {
            X[i + 1] = StrictMath.sqrt(-2 * StrictMath.log(AREA / X[i] + StrictMath.exp(-0.5 * X[i] * X[i])));
        }
        for (int i = 0; i <= LAYERS; i++) {
            F[i] = StrictMath.exp(-0.5 * X[i] * X[i]);
        }
    }

    private ReferenceGaussian() {
    }

    /** Element {@code index} of {@code stream} under {@code seed}. */
    public static float sample(final long seed, final RandomStream stream, final long index) {
        final int[] block = new int[4];
        Philox4x32.block(seed, stream, index / 4, 0, block);
        int word = block[(int) (index % 4)];
        for (int attempt = 1; ; attempt++) {
            final int layer = word & 127;
            final boolean negative = (word & 128) != 0;
            final int u = word >>> 8;
            // the float product of u and float(X[i]) 2^-24
            final float x = u * ((float) X[layer] * 0x1.0p-24f);
            if (u < (int) Math.floor(0x1.0p24 * X[layer + 1] / X[layer])) {
                return negative ? -x : x;
            }
            Philox4x32.block(seed, stream, index / 4, 4 * attempt + (int) (index % 4), block);
            if (layer == 0) {
                if (x < R) {
                    return negative ? -x : x;
                }
                final double t = -StrictMath.log(((block[0] >>> 8) + 1) * 0x1.0p-24) / R;
                final double s = -StrictMath.log(((block[1] >>> 8) + 1) * 0x1.0p-24);
                if (2 * s >= t * t) {
                    return negative ? -(float) (R + t) : (float) (R + t);
                }
            } else {
                final double v = (block[0] >>> 8) * 0x1.0p-24;
                if (F[layer + 1] + v * (F[layer] - F[layer + 1]) < density(x)) {
                    return negative ? -x : x;
                }
            }
            word = block[3];
        }
    }

    /** Elements {@code [first, first + count)}. */
    public static float[] samples(final long seed, final RandomStream stream, final long first, final int count) {
        final float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            out[i] = sample(seed, stream, first + i);
        }
        return out;
    }

    /**
     * The definition's {@code exp(-x^2/2)}: z = -x^2/2, k = z / ln 2 rounded by adding 1.5 2^52, r = z - k ln 2
     * with ln 2 in two parts, exp(r) by the Taylor series to r^12 in Horner form, times 2^k.
     */
    static double density(final double x) {
        final double z = -0.5 * x * x;
        final double rounded = z * 0x1.71547652b82fep0 + 0x1.8p52;
        final double k = rounded - 0x1.8p52;
        final double r = z - k * 0x1.62e42fee00000p-1 - k * 0x1.a39ef35793c76p-33;
        double p = 1 / factorial(12);
        for (int n = 11; n >= 2; n--) {
            p = p * r + 1 / factorial(n);
        }
        p = (p * r + 1) * r + 1;
        return p * Math.scalb(1.0, (int) k);
    }

    private static double factorial(final int n) {
        double f = 1;
        for (int i = 2; i <= n; i++) {
            f *= i;
        }
        return f;
    }
}
