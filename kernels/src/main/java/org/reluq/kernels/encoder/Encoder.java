package org.reluq.kernels.encoder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.reluq.kernels.codec.MalformedFrameException;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.parallel.KernelPool;

/**
 * Turns a gradient into a self-describing frame (docs/wire-format.md) and back. Implementations are
 * immutable and thread-safe, equal when their specs are; get one from {@link Encoders#parse(String)}, or for a
 * frame from {@link Encoders#forFrame}. Memory lives in a caller-owned {@link EncoderState} (one per worker),
 * never in the encoder or a thread; {@link FramedEncoder} does the frame's header, CRC and checks for an
 * encoder, which then writes and reads its payload only.
 *
 * <p>Encoding rejects NaN and infinite entries with an {@link IllegalArgumentException} naming the first
 * one: a diverged gradient must not travel as a plausible one. Decoding treats every frame as untrusted:
 * it checks the header, the CRC32C, that the frame was made by this encoder with these parameters and for
 * the output's dimension, and every payload field, and throws {@link MalformedFrameException} naming the
 * problem; it never reads outside {@code [offset, offset + length)} and never allocates in proportion to
 * a field of the frame. When it throws, the output holds unspecified values.
 */
public interface Encoder {

    /** The encoder id written in byte 5 of every frame. */
    int id();

    /** The canonical spec string, e.g. {@code qsgd:s=4,bucket=512,code=packed}; parses to an equal encoder. */
    String spec();

    /**
     * Whether {@code E[Q(g)] = g} for every g (fp32 trivially, QSGD over its dithers); false for deterministic
     * roundings (fp16, bf16) and biased encoders ({@code sign}, error feedback).
     */
    boolean unbiased();

    /**
     * The variance factor omega of the decoded gradient at dimension d: {@code E||Q(g) - g||^2 <= omega ||g||^2}
     * for every g (0 for a lossless encoder; for a biased encoder the bound on the squared error it states, e.g.
     * a 16-bit format's rounding for entries in its normal range). Trainers divide their step by {@code 1 + omega}.
     */
    double varianceFactor(int d);

    /** The largest frame, header included, that encoding a vector of dimension d can produce. */
    int maxFrameBytes(int d);

    /**
     * A new state for one worker at dimension d: the scratch memory {@link #encode} and {@link #decodeAccumulate}
     * work in and, for a stateful encoder, what it keeps between rounds. The caller owns and closes it.
     *
     * @throws IllegalArgumentException if d is not positive or exceeds {@link Frame#MAX_DIMENSION}
     */
    EncoderState newState(int d);

    /**
     * Encodes g as one frame at {@code dst[offset ..]}.
     *
     * @param seed   the seed of any randomness (dithers); recorded in the frame
     * @param stream the random stream, e.g. worker and round; recorded in the frame
     * @param state  a state of this encoder (or an equal one) for g's dimension
     * @return the frame's length in bytes
     * @throws IllegalArgumentException if an entry of g is not finite, g is longer than
     *                                  {@link Frame#MAX_DIMENSION}, the state is not this encoder's for g's
     *                                  dimension, or dst has less than {@link #maxFrameBytes} bytes from offset
     */
    int encode(OffHeapVector g, long seed, long stream, EncoderState state, MutableDirectBuffer dst, int offset);

    /**
     * {@link #encode(OffHeapVector, long, long, EncoderState, MutableDirectBuffer, int)} with the work spread over
     * the pool's threads; the frame is byte-identical. Encoders whose work does not split (a single bit stream)
     * encode on the calling thread. With several non-finite entries, which one the error names may depend on
     * timing.
     */
    int encode(OffHeapVector g, long seed, long stream, EncoderState state, MutableDirectBuffer dst, int offset,
               KernelPool pool);

    /**
     * {@code acc += scale * decoded gradient} for the frame at {@code src[offset, offset + length)}.
     *
     * @param state a state of this encoder (or an equal one) for acc's dimension
     * @throws MalformedFrameException  if the frame is not a valid frame of this encoder for acc's dimension
     * @throws IllegalArgumentException if the state is not this encoder's for acc's dimension
     */
    void decodeAccumulate(DirectBuffer src, int offset, int length, float scale, EncoderState state,
                          OffHeapVector acc);

    /**
     * Decodes the frame into {@code out} as {@link #decode} does, with the same checks, and adds what it says to
     * {@code tally}: the symbols of its coded streams and the bits it sends as they are (the header, norms, kept
     * values), so a frame's length can be set beside the information in it. Measuring tools call it; it is not
     * fast.
     *
     * @throws MalformedFrameException as {@link #decodeAccumulate}, before anything is tallied
     */
    void tally(DirectBuffer src, int offset, int length, EncoderState state, OffHeapVector out, SymbolTally tally);

    /**
     * Overwrites out with the decoded gradient.
     *
     * @throws MalformedFrameException as {@link #decodeAccumulate}
     */
    default void decode(final DirectBuffer src, final int offset, final int length, final EncoderState state,
                        final OffHeapVector out) {
        out.clear();
        decodeAccumulate(src, offset, length, 1f, state, out);
    }
}
