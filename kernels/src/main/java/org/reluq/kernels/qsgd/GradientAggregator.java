package org.reluq.kernels.qsgd;

import java.util.Objects;
import org.agrona.DirectBuffer;
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.encoder.EncoderState;
import org.reluq.kernels.memory.OffHeapVector;

/**
 * The master's side of distributed QSGD: adds the workers' decoded frames into one gradient. Frames are
 * checked as untrusted (the encoder's decoder throws {@code MalformedFrameException} naming the problem).
 * The sum depends on the order of {@link #add} calls; add frames in worker order for results that do not
 * depend on timing. Used unchanged by the in-process trainer and the cluster's master.
 */
public final class GradientAggregator implements AutoCloseable {

    private final Encoder encoder;
    private final EncoderState state;
    private final OffHeapVector sum;
    private int frames;

    /**
     * @param d       the dimension
     * @param encoder the encoder the workers use
     */
    public GradientAggregator(final int d, final Encoder encoder) {
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.state = encoder.newState(d);
        this.sum = OffHeapVector.allocate(d);
    }

    /** Starts a new round: the sum is zero. */
    public void begin() {
        sum.clear();
        frames = 0;
    }

    /** Adds the decoded gradient of the frame at {@code src[offset, offset + length)}. */
    public void add(final DirectBuffer src, final int offset, final int length) {
        encoder.decodeAccumulate(src, offset, length, 1f, state, sum);
        frames++;
    }

    /** Frames added since {@link #begin}. */
    public int frames() {
        return frames;
    }

    /** The sum of the decoded gradients (live view; do not close). */
    public OffHeapVector gradient() {
        return sum;
    }

    /** Frees the sum and the decoder's state. */
    @Override
    public void close() {
        sum.close();
        state.close();
    }
}
