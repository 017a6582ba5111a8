package org.reluq.kernels.qsgd;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.encoder.EncoderState;
import org.reluq.kernels.linalg.DenseOps;
import org.reluq.kernels.memory.OffHeapMatrix;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.relu.ReluGradient;

/**
 * One worker of distributed QSGD: computes the gradient of its share of a mini-batch at the current w with
 * the fused kernel and encodes it into its own frame buffer, ready to send. The in-process trainer and the
 * cluster's worker process use it unchanged. Each worker owns its gradient, its encoder state (scratch, and
 * what a stateful encoder keeps between rounds) and its frame memory; one thread at a time may use it.
 *
 * <p>Scaling: the share's gradient terms are scaled by {@code 1/m}, m the whole batch, so the K decoded
 * frames add up to the batch gradient (shares of unequal size weigh right); dithers come from the stream
 * {@link #ditherStream}, distinct for every worker and iteration.
 */
public final class GradientWorker implements AutoCloseable {

    private final int index;
    private final Encoder encoder;
    private final EncoderState state;
    private final OffHeapVector gradient;
    private final Arena arena = Arena.ofShared();
    private final UnsafeBuffer frame;
    private int frameLength;
    private double squaredResiduals;
    private long encodeNanos;

    /**
     * @param index   this worker's number k, from 0
     * @param d       the dimension
     * @param encoder how the gradient goes on the wire
     */
    public GradientWorker(final int index, final int d, final Encoder encoder) {
        if (index < 0) {
            throw new IllegalArgumentException("worker index must be >= 0, got " + index);
        }
        this.index = index;
        this.encoder = Objects.requireNonNull(encoder, "encoder");
        this.gradient = OffHeapVector.allocate(d);
        this.state = encoder.newState(d);
        final MemorySegment memory = arena.allocate(encoder.maxFrameBytes(d), 64);
        this.frame = new UnsafeBuffer(memory.address(), (int) memory.byteSize());
    }

    /**
     * The dither stream of worker k of K at an iteration: {@code iteration * K + k}, so that no two
     * (iteration, worker) pairs of a run share dithers.
     */
    public static long ditherStream(final long iteration, final int worker, final int workers) {
        return iteration * workers + worker;
    }

    /**
     * Computes the gradient of the rows {@code rows[offset .. offset + count)} at w, scaled by {@code scale}
     * ({@code 1/m}), and encodes it with dither seed {@code seed} and stream {@code stream}.
     *
     * @return false if the gradient is not finite or too large for float32 (the run has diverged; no frame
     *         was written), true otherwise
     * @throws IllegalArgumentException if shapes or indices are wrong
     */
    public boolean work(final OffHeapMatrix x, final OffHeapVector y, final OffHeapVector w, final int[] rows,
                        final int offset, final int count, final float scale, final long seed, final long stream) {
        squaredResiduals = ReluGradient.share(x, y, w, rows, offset, count, scale, gradient);
        final long encodeStart = System.nanoTime();
        try {
            frameLength = encoder.encode(gradient, seed, stream, state, frame, 0);
            return true;
        } catch (IllegalArgumentException e) {
            // encoders refuse NaN, infinite entries and norms beyond float32; that is divergence, not a bug
            final double normSquared = DenseOps.normSquared(gradient);
            if (!Double.isFinite(normSquared) || Math.sqrt(normSquared) > Float.MAX_VALUE) {
                frameLength = 0;
                return false;
            }
            throw e;
        } finally {
            encodeNanos = System.nanoTime() - encodeStart;
        }
    }

    /** This worker's number k. */
    public int index() {
        return index;
    }

    /**
     * This worker's encoder state (live; do not close): a distributed run saves its {@link EncoderState#carried}
     * vectors in checkpoints and writes them back on resume.
     */
    public EncoderState state() {
        return state;
    }

    /** The frame of the last {@link #work} call, at offset 0. */
    public DirectBuffer frame() {
        return frame;
    }

    /** The length of the last frame in bytes (0 if the last call found the gradient not finite). */
    public int frameLength() {
        return frameLength;
    }

    /**
     * Nanoseconds the last {@link #work} call spent encoding (the rest of the call is the gradient): a distributed
     * run reports the two apart.
     */
    public long encodeNanos() {
        return encodeNanos;
    }

    /** The sum of squared residuals of the last share (the batch loss is its sum over workers / (2m)). */
    public double squaredResiduals() {
        return squaredResiduals;
    }

    /** Frees the gradient, the encoder's state and the frame memory. */
    @Override
    public void close() {
        gradient.close();
        state.close();
        arena.close();
    }
}
