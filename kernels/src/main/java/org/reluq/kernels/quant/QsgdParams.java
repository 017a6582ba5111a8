package org.reluq.kernels.quant;

import java.util.Objects;

/**
 * The parameters of QSGD: {@code s} quantization levels, the bucket size (0: one norm for the whole
 * vector, otherwise one norm per run of {@code bucket} consecutive coordinates, the last run shorter), the norm
 * that scales a bucket and the width of the dithers.
 *
 * @param levels s, from 1 to {@value #MAX_LEVELS}
 * @param bucket 0 for the whole vector, or a bucket size from 1 to {@value #MAX_BUCKET}
 * @param norm   the bucket's scale: its L2 norm (QSGD) or its largest magnitude (QSGDinf, TernGrad)
 * @param dither the dithers' width ({@link org.reluq.kernels.random.Dithers})
 */
public record QsgdParams(int levels, int bucket, Norm norm, DitherWidth dither) {

    /** The largest s: levels and a sign fit 16 bits plus one. */
    public static final int MAX_LEVELS = 1 << 15;

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

    /** @throws IllegalArgumentException naming the bad value */
    public QsgdParams {
        if (levels < 1 || levels > MAX_LEVELS) {
            throw new IllegalArgumentException("QSGD levels s = " + levels + " is outside [1, " + MAX_LEVELS + "]");
        }
        if (bucket < 0 || bucket > MAX_BUCKET) {
            throw new IllegalArgumentException("QSGD bucket = " + bucket + " is outside [0, " + MAX_BUCKET
                    + "] (0 means one norm for the whole vector)");
        }
        Objects.requireNonNull(norm, "norm");
        Objects.requireNonNull(dither, "dither");
    }

    /** s levels and the bucket size, with L2 norms and 32-bit dithers (QSGD as its paper defines it). */
    public QsgdParams(final int levels, final int bucket) {
        this(levels, bucket, Norm.L2, DitherWidth.BITS_32);
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
     * {@code E||Q(v) - v||^2 <= F ||v||^2} with {@code F = min(b / s^2, sqrt(b) / s)} for L2 norms (Alistarh et
     * al., Lemma 3.1) and {@code F = min(b / (4 s^2), sqrt(b) / s)} for max norms (a coordinate's variance is
     * {@code (N/s)^2 p (1 - p)}, at most {@code (N/s)^2 / 4} and at most {@code (N/s) |v_j|}, and
     * {@code N <= ||v||_2}); 0 for d = 0.
     */
    public double varianceFactor(final int d) {
        final double b = Math.min(bucketLength(d), d);
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
