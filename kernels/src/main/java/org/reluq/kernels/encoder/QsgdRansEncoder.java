package org.reluq.kernels.encoder;

import java.lang.foreign.MemorySegment;
import org.reluq.kernels.codec.MalformedFrameException;
import org.reluq.kernels.codec.RansCoder;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.parallel.KernelPool;
import org.reluq.kernels.quant.Qsgd;
import org.reluq.kernels.quant.QsgdParams;

/**
 * QSGD with its codes entropy-coded ({@code code=rans}, code byte 3): the payload is the bucket norms (float32
 * little-endian), then {@link RansCoder}'s coding of the d codes {@code level << 1 | sign} over the alphabet
 * {@code [0, 2 s + 2)}. The model is the frame's own symbol counts, so the codes cost about their empirical entropy
 * (at s = 1 with buckets of 512 on a Gaussian gradient 0.26 bits, at s = 4 0.73, against the packed code's 2 and 4).
 * A decoder also rejects a model that lists code 1 (a sign on level 0) and, by the alphabet, levels above s.
 */
final class QsgdRansEncoder extends QsgdEncoder {

    QsgdRansEncoder(final QsgdParams params) {
        super(params, 3, "rans");
    }

    private int alphabet() {
        return 2 * params.levels() + 2;
    }

    @Override
    protected long maxPayloadBytes(final int d) {
        return 4L * params.bucketCount(d) + RansCoder.maxBytes(alphabet(), d);
    }

    /** Quantizes on the calling thread (the coder is one sequential stream), then codes the levels. */
    @Override
    protected int encodePayload(final OffHeapVector g, final long seed, final long stream, final State state,
                                final MemorySegment payload, final KernelPool pool) {
        final int d = g.length();
        final int buckets = params.bucketCount(d);
        Qsgd.quantize(g, params, seed, stream, state.norms, state.codes, state.workspace());
        for (int b = 0; b < buckets; b++) {
            payload.set(FLOAT_LE, 4L * b, state.norms[b]);
        }
        return (int) (4L * buckets + RansCoder.encode(state.codes, 0, d, state.rans(alphabet()), payload,
                4L * buckets));
    }

    /** The norms verbatim and the codes, which decoding left in the state. */
    @Override
    protected void tallyPayload(final Frame.Header header, final MemorySegment payload, final State state,
                                final SymbolTally tally) {
        tallyInts(tallyNorms(state.dimension(), tally), state.codes, state.dimension());
    }

    @Override
    protected void decodePayload(final Frame.Header header, final MemorySegment payload, final float scale,
                                 final State state, final OffHeapVector acc) {
        final int d = acc.length();
        final int buckets = params.bucketCount(d);
        if (payload.byteSize() < 4L * buckets) {
            throw new MalformedFrameException("rANS QSGD payload of " + payload.byteSize() + " bytes cannot hold "
                    + buckets + " norms");
        }
        final float[] norms = state.norms;
        for (int b = 0; b < buckets; b++) {
            norms[b] = payload.get(FLOAT_LE, 4L * b);
        }
        RansCoder.decode(payload, 4L * buckets, payload.byteSize() - 4L * buckets, d, state.rans(alphabet()),
                state.codes, 0);
        // every decoded code is a symbol of the model, and a sender's model lists only codes it sends: a model
        // that lists code 1 (a sign on level 0) is refused, whether or not a coordinate decodes to it
        if (RansCoder.modelLists(payload, 4L * buckets, 1)) {
            throw new MalformedFrameException("rANS QSGD model lists code 1 (a sign on level 0)");
        }
        try {
            // Qsgd checks every norm and level and names the bad one; here that is a bad frame
            Qsgd.decodeAccumulate(state.codes, 0, norms, params, 0, d, scale, acc);
        } catch (IllegalArgumentException e) {
            throw new MalformedFrameException(e.getMessage());
        }
    }
}
