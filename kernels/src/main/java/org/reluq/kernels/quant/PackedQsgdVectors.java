package org.reluq.kernels.quant;

import static org.reluq.kernels.simd.Species.FLOAT;
import static org.reluq.kernels.simd.Species.INT;
import static org.reluq.kernels.simd.Species.LANES;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import org.reluq.kernels.codec.BitPacking;

/** {@link PackedQsgd} on vectors: each code vector shifted into its lanes' packed words while in a register. */
final class PackedQsgdVectors {

    private static final ByteOrder LITTLE = ByteOrder.LITTLE_ENDIAN;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();

    private PackedQsgdVectors() {
    }

    /**
     * The packed codes of the block whose coordinates start at byte {@code src} of vs, dithers in
     * {@code dithers[0 .. BLOCK)}, to byte {@code dst} of out.
     */
    static void packBlock(final MemorySegment vs, final long src, final float[] dithers, final float pre,
                          final float inv, final int s, final int bits, final MemorySegment out, final long dst) {
        for (int group = 0; group < BitPacking.BLOCK_LANES; group += LANES) {
            packLanes(vs, src + 4L * group, dithers, group, pre, inv, s, bits, out, dst + 4L * group);
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
                code = QsgdVectors.codes(x, u, preV, invV, maxLevel);
                word = word.or(code.lanewise(VectorOperators.LSHL, slot * bits - wordStart));
            }
            word.intoMemorySegment(out, dst + 64L * w, LITTLE);
            // the last code's bits beyond this word, if it straddles into the next
            final int over = end * bits - wordStart - 32;
            carry = over > 0 ? code.lanewise(VectorOperators.LSHR, bits - over) : IntVector.zero(INT);
        }
    }
}
