package org.reluq.kernels.encoder;

import java.util.List;
import org.reluq.kernels.memory.OffHeapVector;

/**
 * One worker's memory for one encoder at one dimension, owned by the caller: scratch for encoding and
 * decoding and, for a stateful encoder (error feedback), what survives from round to round. Get one from
 * {@link Encoder#newState(int)}, use it from one thread at a time (an encoder given a pool spreads its own
 * work over the pool's threads), and close it to free its memory; a closed state must not be used again.
 */
public interface EncoderState extends AutoCloseable {

    /** The dimension this state serves. */
    int dimension();

    /**
     * What this state carries from one round to the next, as live views a checkpoint saves and a resumed run
     * writes back: empty for a stateless encoder, the residual for error feedback. Scratch is not included.
     */
    default List<OffHeapVector> carried() {
        return List.of();
    }

    /** Frees the state's memory. */
    @Override
    void close();
}
