package org.reluq.verify;

/** Elias's gamma, delta and omega codes as strings of '0' and '1', straight from their definitions. */
public final class ReferenceElias {

    private ReferenceElias() {
    }

    /** floor(log2 n) zeros, then n in binary. */
    public static String gamma(final long n) {
        final String binary = Long.toBinaryString(n);
        return "0".repeat(binary.length() - 1) + binary;
    }

    /** gamma of the bit length of n, then n in binary without its leading 1. */
    public static String delta(final long n) {
        final String binary = Long.toBinaryString(n);
        return gamma(binary.length()) + binary.substring(1);
    }

    /** Recursively: omega(n) = groups ending in "0", where each group is the binary of the previous length - 1. */
    public static String omega(final long n) {
        String code = "0";
        long m = n;
        while (m > 1) {
            final String binary = Long.toBinaryString(m);
            code = binary + code;
            m = binary.length() - 1;
        }
        return code;
    }
}
