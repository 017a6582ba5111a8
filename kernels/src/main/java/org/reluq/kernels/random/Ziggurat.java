package org.reluq.kernels.random;

/**
 * The ziggurat of {@link Gaussian}, one draw at a time: the layer tables and the scalar algorithm, which is
 * the definition the vector steps of {@link ZigguratVectors} reproduce bit for bit.
 *
 * <p>128 layers of equal area (Marsaglia and Tsang, J. Stat. Softw. 5(8), 2000): X[0] is the base strip's
 * equivalent width, X[1] = R the start of the tail, X decreasing to X[128] = 0; F the density
 * {@code exp(-x^2/2)} at the edges (the tables are built with {@link StrictMath}). The wedge test's density
 * is {@link #density}, written with IEEE additions and multiplications only, so that the vector slow path
 * computes the same bits as this one on every machine.
 */
final class Ziggurat {

    static final int LAYERS = 128;
    static final double R = 3.442619855899;
    private static final double AREA = 9.91256303526217e-3;
    /** Layer right edges. */
    private static final double[] X = new double[LAYERS + 1];
    /** The density at each edge. */
    static final double[] F = new double[LAYERS + 1];
    /** float(X[i]) 2^-24: the candidate is u times this. */
    static final float[] SCALE = new float[LAYERS];
    /** The bits of SCALE, for table lookups in int lanes. */
    static final int[] SCALE_BITS = new int[LAYERS];
    /** Largest u whose candidate is certainly inside layer i's rectangle, plus one. */
    static final int[] EDGE = new int[LAYERS];

    /** 1 / ln 2, and ln 2 split so that k ln2_hi is exact for the k of {@link #density}. */
    static final double LOG2E = 0x1.71547652b82fep0;
    static final double LN2_HI = 0x1.62e42fee00000p-1;
    static final double LN2_LO = 0x1.a39ef35793c76p-33;
    /** 1.5 2^52: adding it rounds to an integer, which then sits in the low bits. */
    static final double ROUNDER = 0x1.8p52;
    static final long ROUNDER_BITS = Double.doubleToRawLongBits(ROUNDER);
    /** 1/n! for n = 12 down to 2: exp(r) - 1 - r on |r| <= ln2/2 to below 2^-53 relative. */
    static final double[] TAYLOR = new double[11];

    static {
        X[0] = AREA / StrictMath.exp(-0.5 * R * R);
        X[1] = R;
        for (int i = 1; i < LAYERS - 1; i++) {
            X[i + 1] = StrictMath.sqrt(-2 * StrictMath.log(AREA / X[i] + StrictMath.exp(-0.5 * X[i] * X[i])));
        }
        X[LAYERS] = 0;
        for (int i = 0; i <= LAYERS; i++) {
            F[i] = StrictMath.exp(-0.5 * X[i] * X[i]);
        }
        for (int i = 0; i < LAYERS; i++) {
            SCALE[i] = (float) X[i] * 0x1.0p-24f;
            SCALE_BITS[i] = Float.floatToRawIntBits(SCALE[i]);
            // floor keeps the fast path inside the rectangle; draws just past it take the exact wedge test
            EDGE[i] = (int) Math.floor(0x1.0p24 * X[i + 1] / X[i]);
        }
        double factorial = 1;
        for (int n = 2; n <= 12; n++) {
            factorial *= n;
            TAYLOR[12 - n] = 1 / factorial;
        }
    }

    private Ziggurat() {
    }

    /**
     * {@code exp(-x^2/2)} for {@code 0 <= x <= R}, within a few units in the last place: {@code z = -x^2/2}
     * (exact for a float x), {@code k = round(z / ln 2)}, {@code r = z - k ln 2} in two parts, a degree-12
     * Taylor polynomial of {@code exp(r)} by Horner, times {@code 2^k}. Only additions and multiplications in
     * a fixed order (Java never fuses them), so a vector lane computes the same bits.
     */
    static double density(final double x) {
        final double z = -0.5 * x * x;
        final double t = z * LOG2E + ROUNDER;
        final double k = t - ROUNDER;
        final double r = z - k * LN2_HI - k * LN2_LO;
        double p = TAYLOR[0];
        for (int n = 1; n < TAYLOR.length; n++) {
            p = p * r + TAYLOR[n];
        }
        p = (p * r + 1) * r + 1;
        return p * Double.longBitsToDouble((Double.doubleToRawLongBits(t) - ROUNDER_BITS + 1023) << 52);
    }

    /** {@code x} negated when bit 7 of {@code word} is set, without a branch (the sign is a coin flip). */
    static float withSign(final float x, final int word) {
        return Float.intBitsToFloat(Float.floatToRawIntBits(x) | (word & LAYERS) << 24);
    }

    /** The candidate of {@code word}, without its sign. */
    static float candidate(final int word) {
        return (word >>> 8) * SCALE[word & (LAYERS - 1)];
    }

    /** Whether {@code word}'s candidate lies inside its layer's rectangle (the fast path). */
    static boolean inRectangle(final int word) {
        return (word >>> 8) < EDGE[word & (LAYERS - 1)];
    }

    /**
     * The wedge or tail test of a draw that failed the rectangle test, with the attempt's words
     * {@code block[at .. at + 3]}: the signed value, or NaN if the draw is rejected.
     */
    static float test(final int word, final int[] block, final int at) {
        final int layer = word & (LAYERS - 1);
        final float x = candidate(word);
        if (layer == 0) {
            if (x < R) {
                return withSign(x, word);
            }
            final double tx = -StrictMath.log(Philox4x32.uniformOpenZero(block[at])) / R;
            final double ty = -StrictMath.log(Philox4x32.uniformOpenZero(block[at + 1]));
            return 2 * ty >= tx * tx ? withSign((float) (R + tx), word) : Float.NaN;
        }
        final double v = (block[at] >>> 8) * 0x1.0p-24;
        return F[layer + 1] + v * (F[layer] - F[layer + 1]) < density(x) ? withSign(x, word) : Float.NaN;
    }

    /**
     * The full algorithm for element {@code index} of {@code stream} from attempt {@code attempt} on, whose
     * word is {@code word}; {@code scratch} holds one block.
     */
    static float fromWord(final long seed, final RandomStream stream, final long index, int word, final int attempt,
                          final int[] scratch) {
        for (int a = attempt; ; a++) {
            if (inRectangle(word)) {
                return withSign(candidate(word), word);
            }
            Philox4x32.block(seed, stream, index >>> 2, 4 * a + (int) (index & 3), scratch);
            final float x = test(word, scratch, 0);
            if (x == x) {
                return x;
            }
            word = scratch[3];
        }
    }
}
