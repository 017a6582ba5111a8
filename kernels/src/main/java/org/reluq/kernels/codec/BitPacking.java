package org.reluq.kernels.codec;

import static org.reluq.kernels.simd.Species.FLOAT;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Packs unsigned integers of a fixed width of 1 to 32 bits, and unpacks them, with vectors.
 *
 * <p>Layout (part of the wire format, docs/wire-format.md): values go in blocks of {@value #BLOCK}. Value
 * i of a block belongs to lane {@code i mod 16} as that lane's value number {@code i / 16}; each lane
 * writes its 32 values as one little-endian bit stream, least significant bit first, in {@code bits}
 * 32-bit words, and word t of lane k is stored at word {@code 16 t + k} of the block. A block is
 * therefore {@code 64 bits} bytes. The values after the last whole block are one bit stream in the same
 * way (value after value, least significant bit first), in ceil(count bits / 32) little-endian words,
 * unused high bits zero. Values are int32 in little-endian order, the native order of every platform
 * reluq supports (x86-64, aarch64). The lane interleaving makes one 16-lane vector (or two of 8, or four
 * of 4) move 16 values per instruction, and the bytes are the same whatever the vector width.
 */
public final class BitPacking {

    /** Values per interleaved block. */
    public static final int BLOCK = 512;

    /** Interleaved lanes of a block. */
    public static final int BLOCK_LANES = 16;

    private static final ByteOrder LITTLE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfInt WORD = ValueLayout.JAVA_INT_UNALIGNED.withOrder(LITTLE);
    private static final VectorSpecies<Integer> INT = VectorSpecies.of(int.class, FLOAT.vectorShape());
    private static final int LANES = INT.length();

    private BitPacking() {
    }

    /** Bytes that {@code count} values of {@code bits} bits pack into. */
    public static long packedBytes(final long count, final int bits) {
        requireBits(bits);
        if (count < 0) {
            throw new IllegalArgumentException("count " + count + " is negative");
        }
        return count / BLOCK * 64L * bits + 4 * ((count % BLOCK * bits + 31) / 32);
    }

    /**
     * Packs {@code count} int32 values read at byte {@code from} of {@code in} into
     * {@code out} at byte {@code to}.
     *
     * @return the number of bytes written, {@link #packedBytes(long, int)}
     * @throws IllegalArgumentException if a value needs more than {@code bits} bits (naming it; the output
     *                                  bytes are then unspecified) or a segment is too small
     */
    public static long pack(final MemorySegment in, final long from, final int count, final int bits,
                            final MemorySegment out, final long to) {
        final long bytes = packedBytes(count, bits);
        Regions.require(in, from, 4L * count, "values");
        Regions.require(out, to, bytes, "packed output");
        final int blocks = count / BLOCK;
        int seen = 0;
        for (int block = 0; block < blocks; block++) {
            final long src = from + 4L * BLOCK * block;
            final long dst = to + 64L * bits * block;
            for (int group = 0; group < BLOCK_LANES; group += LANES) {
                seen |= packLanes(in, src + 4L * group, bits, out, dst + 4L * group);
            }
        }
        if (bits < 32 && seen >>> bits != 0) {
            throw tooWide(in, from, BLOCK * blocks, bits, 0);
        }
        packTail(in, from + 4L * BLOCK * blocks, BLOCK * blocks, count - BLOCK * blocks, bits, out,
                to + 64L * bits * blocks);
        return bytes;
    }

    /**
     * Unpacks {@code count} values of {@code bits} bits from {@code in} at byte {@code from} into int32
     * values in {@code out} at byte {@code to}.
     *
     * @throws IllegalArgumentException if a segment is too small
     */
    public static void unpack(final MemorySegment in, final long from, final int count, final int bits,
                              final MemorySegment out, final long to) {
        final long bytes = packedBytes(count, bits);
        Regions.require(in, from, bytes, "packed input");
        Regions.require(out, to, 4L * count, "values");
        final int blocks = count / BLOCK;
        for (int block = 0; block < blocks; block++) {
            final long src = from + 64L * bits * block;
            final long dst = to + 4L * BLOCK * block;
            for (int group = 0; group < BLOCK_LANES; group += LANES) {
                unpackLanes(in, src + 4L * group, bits, out, dst + 4L * group);
            }
        }
        unpackTail(in, from + 64L * bits * blocks, count - BLOCK * blocks, bits, out, to + 4L * BLOCK * blocks);
    }

    /**
     * One group of LANES lanes of a block: 32 values per lane in, {@code bits} words per lane out. The word
     * boundary moves by the same amount in every lane, so the branch is on a scalar and never on the data.
     *
     * @return the OR of the values, for the width check
     */
    private static int packLanes(final MemorySegment in, final long src, final int bits, final MemorySegment out,
                                 final long dst) {
        IntVector seen = IntVector.zero(INT);
        if (bits == 32) {
            for (int slot = 0; slot < 32; slot++) {
                final IntVector value = IntVector.fromMemorySegment(INT, in, src + 64L * slot, LITTLE);
                value.intoMemorySegment(out, dst + 64L * slot, LITTLE);
            }
            return 0;
        }
        IntVector word = IntVector.zero(INT);
        int filled = 0;
        long at = dst;
        for (int slot = 0; slot < 32; slot++) {
            final IntVector value = IntVector.fromMemorySegment(INT, in, src + 64L * slot, LITTLE);
            seen = seen.or(value);
            word = word.or(value.lanewise(VectorOperators.LSHL, filled));
            filled += bits;
            if (filled >= 32) {
                word.intoMemorySegment(out, at, LITTLE);
                at += 64;
                filled -= 32;
                // the bits of value that did not fit; all zero when filled is 0 (a valid value is below 2^bits)
                word = value.lanewise(VectorOperators.LSHR, bits - filled);
            }
        }
        return seen.reduceLanes(VectorOperators.OR);
    }

    private static void unpackLanes(final MemorySegment in, final long src, final int bits, final MemorySegment out,
                                    final long dst) {
        final int mask = bits == 32 ? -1 : (1 << bits) - 1;
        IntVector word = IntVector.fromMemorySegment(INT, in, src, LITTLE);
        long at = src;
        int used = 0;
        for (int slot = 0; slot < 32; slot++) {
            IntVector value = word.lanewise(VectorOperators.LSHR, used);
            used += bits;
            if (used >= 32) {
                used -= 32;
                at += 64;
                if (slot < 31) {
                    word = IntVector.fromMemorySegment(INT, in, at, LITTLE);
                    if (used > 0) {
                        value = value.or(word.lanewise(VectorOperators.LSHL, bits - used));
                    }
                }
            }
            value.and(mask).intoMemorySegment(out, dst + 64L * slot, LITTLE);
        }
    }

    /** The values after the last block, as one least-significant-bit-first stream of 32-bit words. */
    private static void packTail(final MemorySegment in, final long src, final int firstIndex, final int count,
                                 final int bits, final MemorySegment out, final long dst) {
        long buffer = 0;
        int filled = 0;
        long at = dst;
        for (int i = 0; i < count; i++) {
            final int value = in.get(WORD, src + 4L * i);
            if (bits < 32 && value >>> bits != 0) {
                throw tooWide(in, src, count, bits, firstIndex);
            }
            buffer |= (value & 0xFFFF_FFFFL) << filled;
            filled += bits;
            if (filled >= 32) {
                out.set(WORD, at, (int) buffer);
                at += 4;
                buffer >>>= 32;
                filled -= 32;
            }
        }
        if (filled > 0) {
            out.set(WORD, at, (int) buffer);
        }
    }

    private static void unpackTail(final MemorySegment in, final long src, final int count, final int bits,
                                   final MemorySegment out, final long dst) {
        final long mask = (1L << bits) - 1;
        long buffer = 0;
        int filled = 0;
        long at = src;
        for (int i = 0; i < count; i++) {
            if (filled < bits) {
                buffer |= (in.get(WORD, at) & 0xFFFF_FFFFL) << filled;
                at += 4;
                filled += 32;
            }
            out.set(WORD, dst + 4L * i, (int) (buffer & mask));
            buffer >>>= bits;
            filled -= bits;
        }
    }

    /** The error for the first value in the {@code count} at byte {@code from} that has bits above the width. */
    private static IllegalArgumentException tooWide(final MemorySegment in, final long from, final int count,
                                                    final int bits, final int first) {
        for (int j = 0; j < count; j++) {
            final int value = in.get(WORD, from + 4L * j);
            if (value >>> bits != 0) {
                return new IllegalArgumentException("value " + Integer.toUnsignedString(value) + " at index "
                        + (first + j) + " does not fit " + bits + " bits");
            }
        }
        throw new IllegalStateException("no value wider than " + bits + " bits");
    }

    private static void requireBits(final int bits) {
        if (bits < 1 || bits > 32) {
            throw new IllegalArgumentException("bit width " + bits + " is outside [1, 32]");
        }
    }
}
