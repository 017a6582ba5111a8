package org.reluq.kernels.encoder;

import java.lang.foreign.MemorySegment;
import org.reluq.kernels.codec.BitPacking;
import org.reluq.kernels.codec.MalformedFrameException;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.parallel.KernelPool;
import org.reluq.kernels.quant.PackedQsgd;
import org.reluq.kernels.quant.Qsgd;
import org.reluq.kernels.quant.QsgdParams;
import org.reluq.kernels.quant.QsgdWorkspace;

/**
 * QSGD with fixed-width codes ({@code code=packed}, code byte 1): the payload is the bucket norms
 * (float32 little-endian), then every coordinate's code {@code level << 1 | sign} bit-packed at
 * {@code bits(s) + 1} bits in {@link BitPacking}'s layout. Whole blocks in one bucket are packed as their
 * codes are made ({@link PackedQsgd}); other codes are made and packed 4096 at a time, so they never leave L1.
 */
final class QsgdPackedEncoder extends QsgdEncoder {

    /** Coordinates quantized and packed per step: whole 512-value blocks and whole dither chunks. */
    private static final int CHUNK = 4096;

    QsgdPackedEncoder(final QsgdParams params) {
        super(params, 1, "packed");
    }

    private long payloadBytes(final int d) {
        return 4L * params.bucketCount(d) + BitPacking.packedBytes(d, params.codeBits());
    }

    @Override
    protected long maxPayloadBytes(final int d) {
        return payloadBytes(d);
    }

    /**
     * Bucket norms, then codes and packing chunk by chunk; with a pool, the buckets' norms and the chunks are
     * spread over its threads (chunks start on whole 512-value blocks, so each writes its own bytes).
     */
    @Override
    protected int encodePayload(final OffHeapVector g, final long seed, final long stream, final State state,
                                final MemorySegment payload, final KernelPool pool) {
        final int d = g.length();
        final int buckets = params.bucketCount(d);
        final float[] norms = state.norms;
        final int bits = params.codeBits();
        final int chunks = (d + CHUNK - 1) / CHUNK;
        if (pool == null || pool.threads() == 1) {
            final QsgdWorkspace workspace = state.workspace();
            Qsgd.norms(g, params, norms, workspace);
            for (int c = 0; c < chunks; c++) {
                encodeChunk(g, seed, stream, state, workspace, c, payload, buckets, bits);
            }
        } else {
            final QsgdWorkspace[] workspaces = state.workspaces(pool.threads());
            final int parts = Math.min(buckets, 8 * pool.threads());
            pool.run(parts, (p, worker) -> Qsgd.norms(g, params, norms, (int) ((long) p * buckets / parts),
                    (int) ((long) (p + 1) * buckets / parts), workspaces[worker]));
            pool.run(chunks, (c, worker) -> encodeChunk(g, seed, stream, state, workspaces[worker], c, payload,
                    buckets, bits));
        }
        for (int b = 0; b < buckets; b++) {
            payload.set(FLOAT_LE, 4L * b, norms[b]);
        }
        return (int) payloadBytes(d);
    }

    /**
     * Quantizes and packs chunk c (CHUNK coordinates): whole blocks straight into the payload when they lie in
     * one bucket each, the rest through the chunk's own range of the state's codes.
     */
    private void encodeChunk(final OffHeapVector g, final long seed, final long stream, final State state,
                             final QsgdWorkspace workspace, final int c, final MemorySegment payload,
                             final int buckets, final int bits) {
        final int from = c * CHUNK;
        final int to = Math.min(g.length(), from + CHUNK);
        final long at = 4L * buckets + BitPacking.packedBytes(from, bits);
        final int fused = PackedQsgd.fits(params) ? (to - from) / BitPacking.BLOCK : 0;
        if (fused > 0) {
            PackedQsgd.packBlocks(g, params, seed, stream, state.norms, from, fused, payload, at, workspace);
        }
        final int rest = from + fused * BitPacking.BLOCK;
        if (rest < to) {
            Qsgd.codes(g, params, seed, stream, state.norms, rest, to, state.codes, 4L * rest, workspace);
            BitPacking.pack(state.codes, 4L * rest, to - rest, bits, payload,
                    at + BitPacking.packedBytes(rest - from, bits));
        }
    }

    /** The norms verbatim and the codes, unpacked a chunk at a time. */
    @Override
    protected void tallyPayload(final Frame.Header header, final MemorySegment payload, final State state,
                                final SymbolTally tally) {
        final int d = state.dimension();
        final int buckets = params.bucketCount(d);
        final int bits = params.codeBits();
        final SymbolTally.Stream codes = tallyNorms(d, tally);
        for (int from = 0; from < d; from += CHUNK) {
            final int to = Math.min(d, from + CHUNK);
            BitPacking.unpack(payload, 4L * buckets + BitPacking.packedBytes(from, bits), to - from, bits,
                    state.codes, 0);
            tallyInts(codes, state.codes, to - from);
        }
    }

    @Override
    protected void decodePayload(final Frame.Header header, final MemorySegment payload, final float scale,
                                 final State state, final OffHeapVector acc) {
        final int d = acc.length();
        requirePayloadBytes(payload, payloadBytes(d), "packed QSGD", d);
        final int buckets = params.bucketCount(d);
        final float[] norms = state.norms;
        for (int b = 0; b < buckets; b++) {
            norms[b] = payload.get(FLOAT_LE, 4L * b);
        }
        final int bits = params.codeBits();
        if (!BitPacking.paddingIsZero(payload, 4L * buckets, d, bits)) {
            throw new MalformedFrameException("packed QSGD payload has nonzero bits after coordinate " + (d - 1));
        }
        for (int from = 0; from < d; from += CHUNK) {
            final int to = Math.min(d, from + CHUNK);
            BitPacking.unpack(payload, 4L * buckets + BitPacking.packedBytes(from, bits), to - from, bits,
                    state.codes, 0);
            try {
                // Qsgd checks every norm and level and names the bad one; here that is a bad frame
                Qsgd.decodeAccumulate(state.codes, 0, norms, params, from, to, scale, acc);
            } catch (IllegalArgumentException e) {
                throw new MalformedFrameException(e.getMessage());
            }
        }
    }
}
