package org.reluq.kernels.codec;

import static org.reluq.kernels.simd.Species.INT;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/** {@link BitPacking}'s whole blocks on vectors: 16 lanes as one vector of 16, two of 8 or four of 4. */
final class BitPackingVectors {

    private static final ByteOrder LITTLE = ByteOrder.LITTLE_ENDIAN;
    private static final int LANES = INT.length();
    /** Bytes of one vector of lanes of a block's row. */
    private static final long GROUP_BYTES = 4L * LANES;

    private BitPackingVectors() {
    }

    /** Packs {@code blocks} whole blocks from byte {@code from} of in to byte {@code to} of out; returns the OR of the values. */
    static int pack(final MemorySegment in, final long from, final int blocks, final int bits, final MemorySegment out,
                    final long to) {
        int seen = 0;
        for (int block = 0; block < blocks; block++) {
            seen |= packBlock(in, from + 4L * BitPacking.BLOCK * block, bits, out, to + 64L * bits * block);
        }
        return seen;
    }

    /** Unpacks {@code blocks} whole blocks from byte {@code from} of in to byte {@code to} of out. */
    static void unpack(final MemorySegment in, final long from, final int blocks, final int bits,
                       final MemorySegment out, final long to) {
        for (int block = 0; block < blocks; block++) {
            unpackBlock(in, from + 64L * bits * block, bits, out, to + 4L * BitPacking.BLOCK * block);
        }
    }

    /**
     * One block: 32 values per lane in, {@code bits} words per lane out, all 16 lanes in one pass whatever the
     * width (one vector of 16, two of 8 or four of 4), so the bookkeeping of each slot, a branch on a scalar and
     * never on the data, is shared by the whole block (four groups packed one after another ran at half
     * JavaFastPFOR's speed at 128 bits).
     *
     * @return the OR of the values, for the width check
     */
    private static int packBlock(final MemorySegment in, final long src, final int bits, final MemorySegment out,
                                 final long dst) {
        IntVector seen = IntVector.zero(INT);
        IntVector w0 = seen;
        IntVector w1 = seen;
        IntVector w2 = seen;
        IntVector w3 = seen;
        int filled = 0;
        long at = dst;
        for (int slot = 0; slot < 32; slot++) {
            final long row = src + 64L * slot;
            final IntVector v0 = IntVector.fromMemorySegment(INT, in, row, LITTLE);
            IntVector v1 = v0;
            IntVector v2 = v0;
            IntVector v3 = v0;
            seen = seen.or(v0);
            w0 = w0.or(v0.lanewise(VectorOperators.LSHL, filled));
            if (LANES <= 8) {
                v1 = IntVector.fromMemorySegment(INT, in, row + GROUP_BYTES, LITTLE);
                seen = seen.or(v1);
                w1 = w1.or(v1.lanewise(VectorOperators.LSHL, filled));
            }
            if (LANES == 4) {
                v2 = IntVector.fromMemorySegment(INT, in, row + 2 * GROUP_BYTES, LITTLE);
                v3 = IntVector.fromMemorySegment(INT, in, row + 3 * GROUP_BYTES, LITTLE);
                seen = seen.or(v2).or(v3);
                w2 = w2.or(v2.lanewise(VectorOperators.LSHL, filled));
                w3 = w3.or(v3.lanewise(VectorOperators.LSHL, filled));
            }
            filled += bits;
            if (filled >= 32) {
                w0.intoMemorySegment(out, at, LITTLE);
                if (LANES <= 8) {
                    w1.intoMemorySegment(out, at + GROUP_BYTES, LITTLE);
                }
                if (LANES == 4) {
                    w2.intoMemorySegment(out, at + 2 * GROUP_BYTES, LITTLE);
                    w3.intoMemorySegment(out, at + 3 * GROUP_BYTES, LITTLE);
                }
                at += 64;
                filled -= 32;
                // the bits of each value that did not fit; all zero when filled is 0 (a valid value is below 2^bits,
                // and a shift by 32 is a shift by 0 in Java: at 32 bits every word is the value itself, wholly out)
                final int carry = bits - filled;
                w0 = carry == 32 ? IntVector.zero(INT) : v0.lanewise(VectorOperators.LSHR, carry);
                w1 = carry == 32 ? w0 : v1.lanewise(VectorOperators.LSHR, carry);
                w2 = carry == 32 ? w0 : v2.lanewise(VectorOperators.LSHR, carry);
                w3 = carry == 32 ? w0 : v3.lanewise(VectorOperators.LSHR, carry);
            }
        }
        return seen.reduceLanes(VectorOperators.OR);
    }

    /** One block, all 16 lanes in one pass, as {@link #packBlock} packs it. */
    private static void unpackBlock(final MemorySegment in, final long src, final int bits, final MemorySegment out,
                                    final long dst) {
        final int mask = bits == 32 ? -1 : (1 << bits) - 1;
        IntVector x0 = IntVector.fromMemorySegment(INT, in, src, LITTLE);
        IntVector x1 = LANES <= 8 ? IntVector.fromMemorySegment(INT, in, src + GROUP_BYTES, LITTLE) : x0;
        IntVector x2 = LANES == 4 ? IntVector.fromMemorySegment(INT, in, src + 2 * GROUP_BYTES, LITTLE) : x0;
        IntVector x3 = LANES == 4 ? IntVector.fromMemorySegment(INT, in, src + 3 * GROUP_BYTES, LITTLE) : x0;
        long at = src;
        int used = 0;
        for (int slot = 0; slot < 32; slot++) {
            IntVector y0 = x0.lanewise(VectorOperators.LSHR, used);
            IntVector y1 = x1.lanewise(VectorOperators.LSHR, used);
            IntVector y2 = x2.lanewise(VectorOperators.LSHR, used);
            IntVector y3 = x3.lanewise(VectorOperators.LSHR, used);
            used += bits;
            if (used >= 32) {
                used -= 32;
                at += 64;
                if (slot < 31) {
                    x0 = IntVector.fromMemorySegment(INT, in, at, LITTLE);
                    if (LANES <= 8) {
                        x1 = IntVector.fromMemorySegment(INT, in, at + GROUP_BYTES, LITTLE);
                    }
                    if (LANES == 4) {
                        x2 = IntVector.fromMemorySegment(INT, in, at + 2 * GROUP_BYTES, LITTLE);
                        x3 = IntVector.fromMemorySegment(INT, in, at + 3 * GROUP_BYTES, LITTLE);
                    }
                    if (used > 0) {
                        final int shift = bits - used;
                        y0 = y0.or(x0.lanewise(VectorOperators.LSHL, shift));
                        y1 = y1.or(x1.lanewise(VectorOperators.LSHL, shift));
                        y2 = y2.or(x2.lanewise(VectorOperators.LSHL, shift));
                        y3 = y3.or(x3.lanewise(VectorOperators.LSHL, shift));
                    }
                }
            }
            final long row = dst + 64L * slot;
            y0.and(mask).intoMemorySegment(out, row, LITTLE);
            if (LANES <= 8) {
                y1.and(mask).intoMemorySegment(out, row + GROUP_BYTES, LITTLE);
            }
            if (LANES == 4) {
                y2.and(mask).intoMemorySegment(out, row + 2 * GROUP_BYTES, LITTLE);
                y3.and(mask).intoMemorySegment(out, row + 3 * GROUP_BYTES, LITTLE);
            }
        }
    }
}
