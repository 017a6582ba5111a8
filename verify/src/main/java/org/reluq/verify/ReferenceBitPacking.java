package org.reluq.verify;

/**
 * The bit-packing layout of docs/wire-format.md, one bit at a time: the reference the vector packer must
 * match byte for byte.
 */
public final class ReferenceBitPacking {

    private ReferenceBitPacking() {
    }

    /** The packed bytes of {@code values} at {@code bits} bits each. */
    public static byte[] pack(final int[] values, final int bits) {
        final int blocks = values.length / 512;
        final int tail = values.length % 512;
        final byte[] out = new byte[blocks * 64 * bits + 4 * ((tail * bits + 31) / 32)];
        for (int i = 0; i < values.length; i++) {
            for (int k = 0; k < bits; k++) {
                if ((values[i] >>> k & 1) == 1) {
                    setBit(out, position(i, k, bits, blocks));
                }
            }
        }
        return out;
    }

    /** The values unpacked from {@code packed}. */
    public static int[] unpack(final byte[] packed, final int count, final int bits) {
        final int blocks = count / 512;
        final int[] values = new int[count];
        for (int i = 0; i < count; i++) {
            for (int k = 0; k < bits; k++) {
                final long bit = position(i, k, bits, blocks);
                if ((packed[(int) (bit / 8)] >>> (bit % 8) & 1) == 1) {
                    values[i] |= 1 << k;
                }
            }
        }
        return values;
    }

    /** Bit number (byte * 8 + bit within the byte) of bit k of value i. */
    private static long position(final int i, final int k, final int bits, final int blocks) {
        if (i < blocks * 512) {
            final int block = i / 512;
            final int lane = i % 512 % 16;
            final int slot = i % 512 / 16;
            final int inLane = slot * bits + k;
            final int word = 16 * (inLane / 32) + lane;
            return 8L * (64L * bits * block + 4L * word) + inLane % 32;
        }
        final long tailStart = 64L * bits * blocks;
        return 8 * tailStart + (long) (i - blocks * 512) * bits + k;
    }

    private static void setBit(final byte[] out, final long bit) {
        out[(int) (bit / 8)] |= (byte) (1 << (bit % 8));
    }
}
