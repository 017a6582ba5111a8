package org.reluq.verify;

/**
 * Forward-error bounds for the float kernels, from the standard analysis of floating-point summation
 * (Higham, Accuracy and Stability of Numerical Algorithms, 2nd ed., section 3.1): a sum of k products
 * computed in float in any order, with or without FMA, is within {@code gamma_k sum |a_i b_i|} of the
 * exact value, {@code gamma_k = k u / (1 - k u)}, {@code u = 2^-24}. Each operation may also lose up to
 * half the smallest subnormal to underflow, which the {@link #UNDERFLOW} term covers.
 */
public final class ErrorBounds {

    /** Unit roundoff of float. */
    public static final double U = 0x1.0p-24;

    /** Absolute error one float operation may add through underflow (half the smallest subnormal, doubled for safety). */
    public static final double UNDERFLOW = Float.MIN_VALUE;

    private ErrorBounds() {
    }

    /** {@code gamma_k = k u / (1 - k u)}. */
    public static double gamma(final long k) {
        final double ku = k * U;
        if (ku >= 1) {
            throw new IllegalArgumentException("gamma_" + k + " is undefined in float");
        }
        return ku / (1 - ku);
    }

    /**
     * Bound on |fl(x.w) - x.w| for a length-d float dot product; d + 2 covers the final reduction of
     * the lane accumulators (at most log2(lanes) + 2 extra additions per term, far below d + 2 for the
     * lane counts of interest, and accounted for by using the padded length).
     */
    public static double dot(final int paddedLength, final double absDot) {
        return gamma(paddedLength + 2) * absDot + (paddedLength + 2) * UNDERFLOW;
    }

    /**
     * Bound on |c~ - c| for a row's gradient coefficient, where z is the exact dot product, dz the bound
     * on the kernel's z error, y the label and m the batch size. When |z| <= dz the kernel may take the
     * other branch of ReLU', and the bound covers every branch.
     */
    public static double coefficient(final double z, final double dz, final double y, final int m) {
        final double magnitude = Math.abs(z) + dz + Math.abs(y);
        // float 1/m, the residual subtraction and the product each round once: gamma_4 covers them
        final double rounding = gamma(4) * magnitude / m + 4 * UNDERFLOW;
        if (Math.abs(z) <= dz) {
            return (Math.abs(y) + 2 * dz) / m + rounding;
        }
        return dz / m + rounding;
    }
}
