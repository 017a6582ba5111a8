package org.reluq.kernels.quant;

/**
 * The parameters of QSGD: {@code s} quantization levels and the bucket size (0: one norm for the whole
 * vector, otherwise one L2 norm per run of {@code bucket} consecutive coordinates, the last run shorter).
 *
 * @param levels s, from 1 to {@value #MAX_LEVELS}
 * @param bucket 0 for the whole vector, or a bucket size from 1 to {@value #MAX_BUCKET}
 */
public record QsgdParams(int levels, int bucket) {

    /** The largest s: levels and a sign fit 16 bits plus one. */
    public static final int MAX_LEVELS = 1 << 15;

    /** The largest bucket size. */
    public static final int MAX_BUCKET = 1 << 30;

    /** @throws IllegalArgumentException naming the bad value */
    public QsgdParams {
        if (levels < 1 || levels > MAX_LEVELS) {
            throw new IllegalArgumentException("QSGD levels s = " + levels + " is outside [1, " + MAX_LEVELS + "]");
        }
        if (bucket < 0 || bucket > MAX_BUCKET) {
            throw new IllegalArgumentException("QSGD bucket = " + bucket + " is outside [0, " + MAX_BUCKET
                    + "] (0 means one norm for the whole vector)");
        }
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
     * The variance bound of QSGD at dimension d (Alistarh et al., Lemma 3.1, per bucket):
     * {@code E||Q(v) - v||^2 <= min(b / s^2, sqrt(b) / s) ||v||^2} with b the bucket length (d when there is
     * one norm); 0 for d = 0.
     */
    public double varianceFactor(final int d) {
        final double b = Math.min(bucketLength(d), d);
        return Math.min(b / ((double) levels * levels), Math.sqrt(b) / levels);
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
