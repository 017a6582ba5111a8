package org.reluq.kernels.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.reluq.kernels.warmup.KernelFamily;

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
 * of 4) move 16 values per instruction, and the bytes are the same whatever the vector width. Whole blocks
 * go on the path of {@link KernelFamily#PACKING}: vectors ({@code BitPackingVectors}) or scalar code over the
 * 16 lanes; the tail is scalar code on both.
 */
public final class BitPacking {

    /** Values per interleaved block. */
    public static final int BLOCK = 512;

    /** Interleaved lanes of a block. */
    public static final int BLOCK_LANES = 16;

    private static final ByteOrder LITTLE = ByteOrder.LITTLE_ENDIAN;
    private static final ValueLayout.OfInt WORD = ValueLayout.JAVA_INT_UNALIGNED.withOrder(LITTLE);

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
     * Whether the unused high bits of the last tail word of {@code count} values packed at {@code bits} bits from
     * byte {@code from} of {@code in} are zero, as {@link #pack} leaves them: a strict decoder rejects a packing
     * that differs from the canonical one in those bits.
     */
    public static boolean paddingIsZero(final MemorySegment in, final long from, final long count, final int bits) {
        final long used = count % BLOCK * bits % 32;
        if (used == 0) {
            return true;
        }
        final long last = from + packedBytes(count, bits) - 4;
        Regions.require(in, last, 4, "packed input");
        return in.get(WORD, last) >>> used == 0;
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
        if (KernelFamily.PACKING.vector()) {
            seen = BitPackingVectors.pack(in, from, blocks, bits, out, to);
        } else {
            for (int block = 0; block < blocks; block++) {
                seen |= packBlock(in, from + 4L * BLOCK * block, bits, out, to + 64L * bits * block);
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
        if (KernelFamily.PACKING.vector()) {
            BitPackingVectors.unpack(in, from, blocks, bits, out, to);
        } else {
            for (int block = 0; block < blocks; block++) {
                unpackBlock(in, from + 64L * bits * block, bits, out, to + 4L * BLOCK * block);
            }
        }
        unpackTail(in, from + 64L * bits * blocks, count - BLOCK * blocks, bits, out, to + 4L * BLOCK * blocks);
    }

    /**
     * One block in scalar code, as the vector code does it with 16 lanes: 32 values per lane in, {@code bits}
     * words per lane out, each lane's current word built in place in {@code out}. The lane loops have no
     * dependence between lanes, so C2 may vectorize them.
     *
     * @return the OR of the values, for the width check
     */
    private static int packBlock(final MemorySegment in, final long src, final int bits, final MemorySegment out,
                                 final long dst) {
        int seen = 0;
        final long end = dst + 64L * bits;
        out.asSlice(dst, 64).fill((byte) 0);
        int filled = 0;
        long at = dst;
        for (int slot = 0; slot < 32; slot++) {
            final long row = src + 64L * slot;
            for (int k = 0; k < BLOCK_LANES; k++) {
                final int value = in.get(WORD, row + 4L * k);
                seen |= value;
                out.set(WORD, at + 4L * k, out.get(WORD, at + 4L * k) | value << filled);
            }
            filled += bits;
            if (filled >= 32) {
                filled -= 32;
                at += 64;
                if (at < end) {
                    // the next word starts with the bits that did not fit (none when filled is 0)
                    final int carry = bits - filled;
                    for (int k = 0; k < BLOCK_LANES; k++) {
                        out.set(WORD, at + 4L * k, carry == 32 ? 0 : in.get(WORD, row + 4L * k) >>> carry);
                    }
                }
            }
        }
        return seen;
    }

    private static void unpackBlock(final MemorySegment in, final long src, final int bits, final MemorySegment out,
                                    final long dst) {
        final int mask = bits == 32 ? -1 : (1 << bits) - 1;
        long at = src;
        int used = 0;
        for (int slot = 0; slot < 32; slot++) {
            final long row = dst + 64L * slot;
            final int next = used + bits;
            if (next < 32 || slot == 31) {
                for (int k = 0; k < BLOCK_LANES; k++) {
                    out.set(WORD, row + 4L * k, in.get(WORD, at + 4L * k) >>> used & mask);
                }
                used = next;
            } else {
                // the value straddles two words (or ends the first exactly)
                final int rest = next - 32;
                for (int k = 0; k < BLOCK_LANES; k++) {
                    final int low = in.get(WORD, at + 4L * k) >>> used;
                    final int high = rest == 0 ? 0 : in.get(WORD, at + 64 + 4L * k) << (bits - rest);
                    out.set(WORD, row + 4L * k, (low | high) & mask);
                }
                at += 64;
                used = rest;
            }
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
