package org.reluq.kernels.encoder;

/**
 * One worker's memory for one encoder at one dimension, owned by the caller: scratch for encoding and
 * decoding and, for a stateful encoder (error feedback), what survives from round to round. Get one from
 * {@link Encoder#newState(int)}, use it from one thread at a time (an encoder given a pool spreads its own
 * work over the pool's threads), and close it to free its memory; a closed state must not be used again.
 */
public interface EncoderState extends AutoCloseable {

    /** The dimension this state serves. */
    int dimension();

    /** Frees the state's memory. */
    @Override
    void close();
}
