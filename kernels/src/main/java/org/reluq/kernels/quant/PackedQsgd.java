package org.reluq.kernels.quant;

import static org.reluq.kernels.quant.Qsgd.INT;
import static org.reluq.kernels.simd.Species.FLOAT;
import static org.reluq.kernels.simd.Species.LANES;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Objects;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import org.reluq.kernels.codec.BitPacking;
import org.reluq.kernels.codec.Regions;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.random.Dithers;

/**
 * QSGD codes packed as they are made: for whole {@link BitPacking#BLOCK}-coordinate blocks, the bytes that
 * {@link Qsgd#codes} followed by {@link BitPacking#pack} at {@code codeBits} bits would write, without writing
 * the codes anywhere. Each code vector is shifted into its lanes' packed words while still in a register,
 * which saves a store and a load per code and the packing pass.
 *
 * <p>Every block must lie in one bucket: one norm for the whole vector, or buckets of a multiple of
 * {@link BitPacking#BLOCK} coordinates ({@link #fits}). Other bucket sizes and the coordinates after the last
 * whole block go through {@link Qsgd#codes} and {@link BitPacking#pack}.
 */
public final class PackedQsgd {

    private static final ByteOrder LITTLE = ByteOrder.LITTLE_ENDIAN;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    private static final int BLOCK = BitPacking.BLOCK;
    private static final ThreadLocal<float[]> DITHERS = ThreadLocal.withInitial(() -> new float[BLOCK]);

    static {
        if (BLOCK != 2 * Dithers.CHUNK || BitPacking.BLOCK_LANES * 32 != BLOCK) {
            throw new IllegalStateException("a packing block must be two dither chunks of 32 values per lane");
        }
    }

    private PackedQsgd() {
    }

    /** Whether every packing block lies in one bucket under these parameters. */
    public static boolean fits(final QsgdParams params) {
        return params.bucket() % BLOCK == 0;
    }

    /**
     * Quantizes coordinates {@code [from, from + blocks BLOCK)} of v and packs their codes at
     * {@code params.codeBits()} bits into {@code out} from byte {@code to}:
     * {@code BitPacking.packedBytes(blocks BLOCK, codeBits)} bytes, given the norms of {@link Qsgd#norms}.
     *
     * @param from a multiple of {@link BitPacking#BLOCK}
     * @throws IllegalArgumentException if the blocks do not {@link #fits fit} the buckets, the range is outside
     *                                  v, norms is too small or the output does not hold the packed bytes
     */
    public static void packBlocks(final OffHeapVector v, final QsgdParams params, final long seed, final long stream,
                                  final float[] norms, final int from, final int blocks, final MemorySegment out,
                                  final long to) {
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(out, "out");
        final int d = v.length();
        if (!fits(params)) {
            throw new IllegalArgumentException("bucket " + params.bucket() + " is not a multiple of " + BLOCK);
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
        final float[] dithers = DITHERS.get();
        for (int k = 0; k < blocks; k++) {
            final int start = from + k * BLOCK;
            final long dst = to + 64L * bits * k;
            final float norm = norms[start / length];
            if (norm == 0) {
                out.asSlice(dst, 64L * bits).fill((byte) 0);
                continue;
            }
            Dithers.fillChunk(seed, stream, start, dithers, 0);
            Dithers.fillChunk(seed, stream, start + Dithers.CHUNK, dithers, Dithers.CHUNK);
            final float pre = Qsgd.prescale(norm, s);
            final float inv = s / (norm * pre);
            for (int group = 0; group < BitPacking.BLOCK_LANES; group += LANES) {
                packLanes(vs, 4L * (start + group), dithers, group, pre, inv, s, bits, out, dst + 4L * group);
            }
        }
    }

    /**
     * One group of LANES lanes of a block, as BitPacking packs it: lane k's value i is coordinate
     * {@code 16 i + k} of the block, its codes fill {@code bits} words that lie 64 bytes apart. Word by word:
     * the codes that start in a word are shifted in without a branch, and the bits of the last one that do not
     * fit are carried into the next word. Takes scalars, not vectors: a vector argument is boxed when C2 does
     * not inline the call.
     */
    private static void packLanes(final MemorySegment vs, final long src, final float[] dithers, final int group,
                                  final float pre, final float inv, final int s, final int bits,
                                  final MemorySegment out, final long dst) {
        final FloatVector preV = FloatVector.broadcast(FLOAT, pre);
        final FloatVector invV = FloatVector.broadcast(FLOAT, inv);
        final IntVector maxLevel = IntVector.broadcast(INT, s);
        IntVector carry = IntVector.zero(INT);
        int slot = 0;
        for (int w = 0; w < bits; w++) {
            final int wordStart = 32 * w;
            final int end = (wordStart + 32 + bits - 1) / bits;
            IntVector word = carry;
            IntVector code = carry;
            for (; slot < end; slot++) {
                final FloatVector x = FloatVector.fromMemorySegment(FLOAT, vs, src + 64L * slot, NATIVE);
                final FloatVector u = FloatVector.fromArray(FLOAT, dithers, group + 16 * slot);
                code = Qsgd.codes(x, u, preV, invV, maxLevel);
                word = word.or(code.lanewise(VectorOperators.LSHL, slot * bits - wordStart));
            }
            word.intoMemorySegment(out, dst + 64L * w, LITTLE);
            // the last code's bits beyond this word, if it straddles into the next
            final int over = end * bits - wordStart - 32;
            carry = over > 0 ? code.lanewise(VectorOperators.LSHR, bits - over) : IntVector.zero(INT);
        }
    }
}
