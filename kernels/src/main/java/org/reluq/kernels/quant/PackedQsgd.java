package org.reluq.kernels.quant;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.reluq.kernels.codec.BitPacking;
import org.reluq.kernels.codec.Regions;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.random.Dithers;
import org.reluq.kernels.warmup.KernelFamily;

/**
 * QSGD codes packed as they are made: for whole {@link BitPacking#BLOCK}-coordinate blocks, the bytes that
 * {@link Qsgd#codes} followed by {@link BitPacking#pack} at {@code codeBits} bits would write, without writing
 * the codes anywhere. Each code vector is shifted into its lanes' packed words while still in a register,
 * which saves a store and a load per code and the packing pass ({@code PackedQsgdVectors}). On the scalar path of
 * {@link KernelFamily#QUANTIZE} a block's codes go through a buffer and {@link BitPacking#pack}: the same bytes.
 *
 * <p>Every block must lie in one bucket: one norm for the whole vector, or buckets of a multiple of
 * {@link BitPacking#BLOCK} coordinates; and the levels must be uniform ({@link #fits}). Other bucket sizes,
 * exponential levels and the coordinates after the last whole block go through {@link Qsgd#codes} and
 * {@link BitPacking#pack}.
 */
public final class PackedQsgd {

    private static final int BLOCK = BitPacking.BLOCK;

    static {
        if (BLOCK != 2 * Dithers.CHUNK || BitPacking.BLOCK_LANES * 32 != BLOCK) {
            throw new IllegalStateException("a packing block must be two dither chunks of 32 values per lane");
        }
    }

    private PackedQsgd() {
    }

    /**
     * Whether these parameters' blocks can be quantized and packed in one pass: every block lies in one bucket and
     * the levels are uniform (a second code function in the fused loop would be a call C2 need not inline, whose
     * vectors are then boxed).
     */
    public static boolean fits(final QsgdParams params) {
        return params.bucket() % BLOCK == 0 && !params.exponential();
    }

    /**
     * Quantizes coordinates {@code [from, from + blocks BLOCK)} of v and packs their codes at
     * {@code params.codeBits()} bits into {@code out} from byte {@code to}:
     * {@code BitPacking.packedBytes(blocks BLOCK, codeBits)} bytes, given the norms of {@link Qsgd#norms}.
     *
     * @param from      a multiple of {@link BitPacking#BLOCK}
     * @param workspace the calling thread's scratch
     * @throws IllegalArgumentException if the blocks do not {@link #fits fit} the buckets, the range is outside
     *                                  v, norms is too small or the output does not hold the packed bytes
     */
    public static void packBlocks(final OffHeapVector v, final QsgdParams params, final long seed, final long stream,
                                  final float[] norms, final int from, final int blocks, final MemorySegment out,
                                  final long to, final QsgdWorkspace workspace) {
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(out, "out");
        final int d = v.length();
        if (!fits(params)) {
            throw new IllegalArgumentException("bucket " + params.bucket() + " is not a multiple of " + BLOCK
                    + (params.exponential() ? ", or the levels are exponential" : ""));
        }
        if (from < 0 || from % BLOCK != 0 || blocks < 0 || from > d - (long) blocks * BLOCK) {
            throw new IllegalArgumentException(blocks + " blocks of " + BLOCK + " from coordinate " + from
                    + " are not whole blocks within [0, " + d + ")");
        }
        Qsgd.requireNorms(params, d, norms);
        final int bits = params.codeBits();
        Regions.require(out, to, BitPacking.packedBytes((long) blocks * BLOCK, bits), "packed output");
        final MemorySegment vs = v.segment();
        final int length = params.bucketLength(d);
        final int s = params.levels();
        final float[] dithers = workspace.dithers;
        final MemorySegment codes = workspace.blockCodes;
        for (int k = 0; k < blocks; k++) {
            final int start = from + k * BLOCK;
            final long dst = to + 64L * bits * k;
            final float norm = norms[start / length];
            if (norm == 0) {
                out.asSlice(dst, 64L * bits).fill((byte) 0);
                continue;
            }
            Qsgd.fillDithers(params, seed, stream, start, dithers, 0, workspace);
            Qsgd.fillDithers(params, seed, stream, start + Dithers.CHUNK, dithers, Dithers.CHUNK, workspace);
            final float pre = Qsgd.prescale(norm, s);
            final float inv = s / (norm * pre);
            if (KernelFamily.QUANTIZE.vector()) {
                PackedQsgdVectors.packBlock(vs, 4L * start, dithers, pre, inv, s, bits, out, dst);
            } else {
                // the codes of the block in coordinate order, then packed as BitPacking packs any block
                Qsgd.codesScalar(vs, dithers, start, start, start + BLOCK, pre, inv, s, false, codes, -4L * start);
                BitPacking.pack(codes, 0, BLOCK, bits, out, dst);
            }
        }
    }
}
