package org.reluq.kernels.random;

/**
 * The independent random streams of reluq: each is a distinct value of the third Philox counter word,
 * so draws of one stream never collide with another's whatever the seed or index.
 */
public enum RandomStream {
    /** Entries of the design matrix X, indexed by {@code row * d + column}. */
    DATA(1),
    /** The planted direction w*, indexed by coordinate. */
    TRUTH(2),
    /** Mini-batch row indices, indexed by draw number. */
    SAMPLING(3),
    /** The Gaussian initial point, indexed by coordinate. */
    INIT(4),
    /** Quantization dithers, indexed by coordinate, with a 64-bit dither stream per worker and round. */
    DITHER(5),
    /** 16-bit quantization dithers, eight per block, with the same 64-bit dither streams. */
    DITHER16(6);

    private final int id;

    RandomStream(final int id) {
        this.id = id;
    }

    /** The counter word that identifies this stream. */
    public int id() {
        return id;
    }
}
