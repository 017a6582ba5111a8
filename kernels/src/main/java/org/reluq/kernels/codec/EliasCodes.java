package org.reluq.kernels.codec;

/**
 * Elias's universal codes of positive integers (1 to {@link Integer#MAX_VALUE}) on a most-significant-
 * bit-first {@link BitWriter} / {@link BitReader} stream. With {@code L = floor(log2 n)}:
 * <ul>
 *   <li>gamma: L zeros, then the L + 1 bits of n (2L + 1 bits);
 *   <li>delta: gamma(L + 1), then the L bits of n below its leading 1;
 *   <li>omega (the "recursive" code of the QSGD paper): the groups for n, then for the bit length of n
 *       minus 1, and so on down to 1, written last group first, then a single 0.
 * </ul>
 * Decoding is table-driven: the next {@value #TABLE_BITS} bits index a table holding the value and
 * length of every code that short (all omega codes of n up to 15, gamma up to 63); longer codes are
 * decoded a group at a time. Every decoder rejects streams that end early or encode a value above
 * {@link Integer#MAX_VALUE} with {@link MalformedFrameException}.
 */
public final class EliasCodes {

    /** Bits of look-ahead the decoding tables cover. */
    public static final int TABLE_BITS = 12;

    private static final int[] OMEGA_TABLE = omegaTable();

    private EliasCodes() {
    }

    /** Bits in the gamma code of n. */
    public static int gammaLength(final int n) {
        return 2 * floorLog2(n) + 1;
    }

    /** Bits in the delta code of n. */
    public static int deltaLength(final int n) {
        final int l = floorLog2(n);
        return gammaLength(l + 1) + l;
    }

    /** Bits in the omega code of n. */
    public static int omegaLength(final int n) {
        int bits = 1;
        for (long m = requirePositive(n); m > 1; m = floorLog2(m)) {
            bits += floorLog2(m) + 1;
        }
        return bits;
    }

    /** Writes the gamma code of n. */
    public static void writeGamma(final BitWriter out, final int n) {
        final int l = floorLog2(requirePositive(n));
        out.write(0, l);
        out.write(n, l + 1);
    }

    /** Writes the delta code of n. */
    public static void writeDelta(final BitWriter out, final int n) {
        final int l = floorLog2(requirePositive(n));
        writeGamma(out, l + 1);
        out.write(n, l);
    }

    /** Writes the omega code of n. */
    public static void writeOmega(final BitWriter out, final int n) {
        requirePositive(n);
        // built from its end (the final 0) backwards into one long: an int's code has at most 42 bits
        long code = 0;
        int length = 1;
        for (long m = n; m > 1; ) {
            final int bits = floorLog2(m) + 1;
            code |= m << length;
            length += bits;
            m = bits - 1;
        }
        out.write(code, length);
    }

    /** Reads a gamma code. */
    public static int readGamma(final BitReader in) {
        final int zeros = Long.numberOfLeadingZeros(in.peek());
        if (zeros > 30) {
            throw new MalformedFrameException("gamma code with " + zeros + " leading zeros exceeds 31 bits"
                    + " (or the stream ends) at bit " + in.position());
        }
        in.skip(zeros);
        return (int) in.read(zeros + 1);
    }

    /** Reads a delta code. */
    public static int readDelta(final BitReader in) {
        final int bits = readGamma(in);
        if (bits > 31) {
            throw new MalformedFrameException("delta code of a " + bits + "-bit number exceeds 31 bits at bit "
                    + in.position());
        }
        return (int) (1L << (bits - 1) | in.read(bits - 1));
    }

    /** Reads an omega code. */
    public static int readOmega(final BitReader in) {
        final int entry = OMEGA_TABLE[(int) (in.peek() >>> (64 - TABLE_BITS))];
        if (entry != 0) {
            in.skip(entry >>> 16);
            return entry & 0xFFFF;
        }
        long n = 1;
        while (true) {
            if (in.read(1) == 0) {
                return (int) n;
            }
            if (n > 30) {
                throw new MalformedFrameException("omega code group of " + (n + 1) + " bits exceeds 31 bits at bit "
                        + in.position());
            }
            n = 1L << n | in.read((int) n);
        }
    }

    /** For every 12-bit prefix that starts with a whole omega code: its length << 16 | its value, else 0. */
    private static int[] omegaTable() {
        final int[] table = new int[1 << TABLE_BITS];
        for (int prefix = 0; prefix < table.length; prefix++) {
            long n = 1;
            int used = 0;
            while (used < TABLE_BITS) {
                final int bit = prefix >>> (TABLE_BITS - 1 - used) & 1;
                used++;
                if (bit == 0) {
                    table[prefix] = used << 16 | (int) n;
                    break;
                }
                if (used + n > TABLE_BITS) {
                    break;
                }
                final int group = prefix >>> (TABLE_BITS - used - n) & ((1 << n) - 1);
                used += (int) n;
                n = 1L << n | group;
            }
        }
        return table;
    }

    private static int floorLog2(final long n) {
        return 63 - Long.numberOfLeadingZeros(n);
    }

    private static int requirePositive(final int n) {
        if (n < 1) {
            throw new IllegalArgumentException("Elias codes encode positive integers, got " + n);
        }
        return n;
    }
}
