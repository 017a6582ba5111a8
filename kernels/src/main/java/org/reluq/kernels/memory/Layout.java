package org.reluq.kernels.memory;

/**
 * The memory layout rules every off-heap array follows.
 *
 * <p>Arrays start on a 64-byte cache-line boundary and their length is padded with zeros to a whole
 * number of {@link #PAD_FLOATS} floats: two 64-byte lines, which is two of the widest vectors the kernels use
 * (512 bits; {@code Species} caps wider hardware there). Kernels unroll their loops by two vectors, so they need no tail and no masked loads;
 * a tail would also double the kernels' compiled size, which stops C2 from inlining their reductions.
 */
public final class Layout {

    /** Alignment of every allocation and of every matrix row, in bytes. */
    public static final long LINE_BYTES = 64;

    /** Padding granule in floats: two lines, two 512-bit vectors. */
    public static final int PAD_FLOATS = 2 * (int) (LINE_BYTES / Float.BYTES);

    /** Largest length (floats) of a single array or matrix row. */
    public static final int MAX_LENGTH = Integer.MAX_VALUE - PAD_FLOATS;

    private Layout() {
    }

    /**
     * The padded length for {@code length} floats.
     *
     * @throws IllegalArgumentException if {@code length} is not in [1, {@link #MAX_LENGTH}]
     */
    public static int paddedLength(final String what, final long length) {
        if (length < 1 || length > MAX_LENGTH) {
            throw new IllegalArgumentException(what + " must be in [1, " + MAX_LENGTH + "], got " + length);
        }
        return (int) ((length + PAD_FLOATS - 1) / PAD_FLOATS * PAD_FLOATS);
    }
}
