package org.reluq.kernels.quant;

import java.util.Objects;

/**
 * The parameters of QSGD: {@code s} quantization levels, the bucket size (0: one norm for the whole
 * vector, otherwise one norm per run of {@code bucket} consecutive coordinates, the last run shorter), the norm
 * that scales a bucket, the width of the dithers and the spacing of the levels.
 *
 * <p>A level {@code l} in 0..s stands for the magnitude {@code magnitude(l) * (N / top())}: with uniform levels
 * {@code magnitude(l) = l} and {@code top() = s}, so the magnitudes are {@code l N / s}; with exponential ones
 * (NUQSGD, Ramezani-Kebrya et al.) {@code magnitude(l) = 2^(l - 1)} for {@code l >= 1} and {@code top() = 2^(s - 1)},
 * so the magnitudes are 0 and {@code 2^(l - s) N}: {@code 0, 2^(1 - s) N, ..., N / 2, N}. At s = 1 and 2 the two
 * spacings are the same levels.
 *
 * @param levels  s, from 1 to {@value #MAX_LEVELS} ({@value #MAX_EXP_LEVELS} with exponential levels)
 * @param bucket  0 for the whole vector, or a bucket size from 1 to {@value #MAX_BUCKET}
 * @param norm    the bucket's scale: its L2 norm (QSGD) or its largest magnitude (QSGDinf, TernGrad)
 * @param dither  the dithers' width ({@link org.reluq.kernels.random.Dithers})
 * @param spacing how the levels are spaced
 */
public record QsgdParams(int levels, int bucket, Norm norm, DitherWidth dither, Spacing spacing) {

    /** The largest s: levels and a sign fit 16 bits plus one. */
    public static final int MAX_LEVELS = 1 << 15;

    /** The largest s with exponential levels: {@code top() = 2^(s - 1)} is then at most 2^31. */
    public static final int MAX_EXP_LEVELS = 32;

    /** The largest bucket size. */
    public static final int MAX_BUCKET = 1 << 30;

    /** What a bucket's scale N is. */
    public enum Norm {
        /** {@code N = ||v||_2}, the QSGD paper's choice. */
        L2,
        /** {@code N = max |v_j|}: every level up to s is used ("QSGDinf"; with s = 1 TernGrad's scaler). */
        MAX
    }

    /** How many random bits a coordinate's dither has. */
    public enum DitherWidth {
        /** 24-bit uniforms from a 32-bit Philox word each, four per block. */
        BITS_32,
        /** 16-bit uniforms with a half-step offset, eight per Philox block: half the Philox work. */
        BITS_16
    }

    /** How the levels' magnitudes are spaced between 0 and N. */
    public enum Spacing {
        /** {@code l N / s}: QSGD's levels. */
        UNIFORM,
        /** 0 and {@code 2^(l - s) N}: NUQSGD's exponentially spaced levels, finer near 0 where most entries are. */
        EXP
    }

    /** @throws IllegalArgumentException naming the bad value */
    public QsgdParams {
        Objects.requireNonNull(norm, "norm");
        Objects.requireNonNull(dither, "dither");
        Objects.requireNonNull(spacing, "spacing");
        final int max = spacing == Spacing.EXP ? MAX_EXP_LEVELS : MAX_LEVELS;
        if (levels < 1 || levels > max) {
            throw new IllegalArgumentException("QSGD levels s = " + levels + " is outside [1, " + max + "]"
                    + (spacing == Spacing.EXP ? " for exponential levels" : ""));
        }
        if (bucket < 0 || bucket > MAX_BUCKET) {
            throw new IllegalArgumentException("QSGD bucket = " + bucket + " is outside [0, " + MAX_BUCKET
                    + "] (0 means one norm for the whole vector)");
        }
    }

    /** s levels and the bucket size, with L2 norms, 32-bit dithers and uniform levels (QSGD as its paper has it). */
    public QsgdParams(final int levels, final int bucket) {
        this(levels, bucket, Norm.L2, DitherWidth.BITS_32, Spacing.UNIFORM);
    }

    /** Whether the levels are exponentially spaced. */
    public boolean exponential() {
        return spacing == Spacing.EXP;
    }

    /** The magnitude of the top level s in units of {@code N / top()}: s, or 2^(s - 1) (exact in float32). */
    public float top() {
        return exponential() ? Math.scalb(1f, levels - 1) : levels;
    }

    /** The magnitude of level l (0..s) in units of {@code N / top()}: l, or 0 and 2^(l - 1) (exact in float32). */
    public float magnitude(final int level) {
        if (!exponential()) {
            return level;
        }
        return level == 0 ? 0f : Math.scalb(1f, level - 1);
    }

    /** How many norms a vector of dimension d has (0 for d = 0). */
    public int bucketCount(final int d) {
        if (d == 0) {
            return 0;
        }
        return bucket == 0 ? 1 : (int) ((d + (long) bucket - 1) / bucket);
    }

    /** The length of every bucket but the last, for dimension d. */
    public int bucketLength(final int d) {
        return bucket == 0 ? d : bucket;
    }

    /**
     * The variance bound at dimension d, per bucket of length b (b = d with one norm):
     * {@code E||Q(v) - v||^2 <= F ||v||^2}. Uniform levels: {@code F = min(b / s^2, sqrt(b) / s)} for L2 norms
     * (Alistarh et al., Lemma 3.1) and {@code F = min(b / (4 s^2), sqrt(b) / s)} for max norms (a coordinate's
     * variance is {@code (N/s)^2 p (1 - p)}, at most {@code (N/s)^2 / 4} and at most {@code (N/s) |v_j|}, and
     * {@code N <= ||v||_2}). Exponential levels, with {@code g = 2^(1 - s)} the first level over N:
     * {@code F = 1/8 + min(g sqrt(b), b g^2 / 4)} for either norm, the 1/8 only for s >= 2 (between levels
     * {@code a} and {@code 2a} a coordinate's variance {@code (2a - r)(r - a) N^2} is at most {@code r^2 N^2 / 8};
     * below g it is {@code (g - r) r N^2}, at most {@code g r N^2} and {@code g^2 N^2 / 4}). 0 for d = 0.
     */
    public double varianceFactor(final int d) {
        final double b = Math.min(bucketLength(d), d);
        if (exponential()) {
            final double g = Math.scalb(1.0, 1 - levels);
            return (levels >= 2 ? 0.125 : 0) + Math.min(g * Math.sqrt(b), b * g * g / 4);
        }
        final double squares = norm == Norm.L2 ? b : b / 4;
        return Math.min(squares / ((double) levels * levels), Math.sqrt(b) / levels);
    }

    /** Bits that hold a level 0..s. */
    public int levelBits() {
        return 32 - Integer.numberOfLeadingZeros(levels);
    }

    /** Bits of one fixed-width code: the level and a sign bit. */
    public int codeBits() {
        return levelBits() + 1;
    }
}
