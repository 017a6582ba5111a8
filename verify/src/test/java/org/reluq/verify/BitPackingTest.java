package org.reluq.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.reluq.kernels.codec.BitPacking;
import org.reluq.kernels.warmup.KernelFamily;
import org.reluq.kernels.warmup.KernelPath;

/**
 * The vector packer writes exactly {@link ReferenceBitPacking}'s bytes and unpacking restores every
 * value, for every width 1..32 and awkward counts. Tagged "species": run at 128, 256 and 512 bits.
 */
@Tag("species")
@ParameterizedClass(name = "{0} path")
@EnumSource(KernelPath.class)
class BitPackingTest extends OnEveryPath {

    @Override
    KernelFamily[] families() {
        return new KernelFamily[] {KernelFamily.PACKING};
    }

    private static final int[] COUNTS = {0, 1, 2, 15, 16, 17, 31, 33, 511, 512, 513, 1000, 1031, 1536, 4099};

    static IntStream widths() {
        return IntStream.rangeClosed(1, 32);
    }

    private static int[] values(final int count, final int bits, final SplittableRandom random) {
        final int[] v = new int[count];
        final long top = 1L << bits;
        for (int i = 0; i < count; i++) {
            // a third of the values sit at the extremes, where shifts and masks go wrong
            v[i] = switch (random.nextInt(3)) {
                case 0 -> (int) (top - 1);
                case 1 -> 0;
                default -> (int) random.nextLong(top);
            };
        }
        return v;
    }

    @ParameterizedTest(name = "bits={0}")
    @MethodSource("widths")
    void packMatchesTheReferenceAndUnpackRestoresTheValues(final int bits) {
        final SplittableRandom random = new SplittableRandom(bits);
        for (final int count : COUNTS) {
            check(values(count, bits, random), bits, 1 + random.nextInt(7), random.nextInt(9));
        }
        for (int t = 0; t < 5; t++) {
            final int count = random.nextInt(10_000);
            check(values(count, bits, random), bits, 4 * random.nextInt(3), random.nextInt(9));
        }
    }

    private static void check(final int[] values, final int bits, final long from, final long to) {
        final byte[] expected = ReferenceBitPacking.pack(values, bits);
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment in = arena.allocate(from + 4L * values.length + 5);
            MemorySegment.copy(values, 0, in, ValueLayout.JAVA_INT_UNALIGNED, from, values.length);
            final MemorySegment packed = arena.allocate(to + expected.length + 7);
            packed.fill((byte) 0xA5);
            final long written = BitPacking.pack(in, from, values.length, bits, packed, to);
            assertEquals(expected.length, written, "packed bytes for " + values.length + " values");
            assertEquals(BitPacking.packedBytes(values.length, bits), written);
            assertArrayEquals(expected, packed.asSlice(to, written).toArray(ValueLayout.JAVA_BYTE),
                    values.length + " values at " + bits + " bits");
            assertEquals((byte) 0xA5, packed.get(ValueLayout.JAVA_BYTE, to + written), "byte after the output");
            if (to > 0) {
                assertEquals((byte) 0xA5, packed.get(ValueLayout.JAVA_BYTE, to - 1), "byte before the output");
            }
            final MemorySegment out = arena.allocate(4L * values.length + 8);
            BitPacking.unpack(packed, to, values.length, bits, out, 4);
            final int[] unpacked = new int[values.length];
            MemorySegment.copy(out, ValueLayout.JAVA_INT_UNALIGNED, 4, unpacked, 0, values.length);
            assertArrayEquals(values, unpacked, "unpacked");
            assertArrayEquals(values, ReferenceBitPacking.unpack(expected, values.length, bits), "reference round trip");
        }
    }

    @Test
    void aValueWiderThanTheWidthIsNamed() {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment in = arena.allocate(4L * 700);
            in.setAtIndex(ValueLayout.JAVA_INT, 613, 8);
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BitPacking.pack(in, 0, 700, 3, arena.allocate(1000), 0));
            assertTrue(e.getMessage().contains("value 8 at index 613 does not fit 3 bits"), e.getMessage());
            in.setAtIndex(ValueLayout.JAVA_INT, 613, -1);
            assertTrue(assertThrows(IllegalArgumentException.class,
                    () -> BitPacking.pack(in, 0, 700, 31, arena.allocate(4000), 0)).getMessage().contains("4294967295"));
        }
    }

    @Test
    void badWidthsAndShortSegmentsAreRejected() {
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment in = arena.allocate(4L * 600);
            assertTrue(assertThrows(IllegalArgumentException.class,
                    () -> BitPacking.pack(in, 0, 600, 0, arena.allocate(100), 0)).getMessage().contains("bit width 0"));
            assertTrue(assertThrows(IllegalArgumentException.class,
                    () -> BitPacking.pack(in, 0, 600, 33, arena.allocate(100), 0)).getMessage().contains("bit width 33"));
            final long need = BitPacking.packedBytes(600, 5);
            assertTrue(assertThrows(IllegalArgumentException.class,
                    () -> BitPacking.pack(in, 0, 600, 5, arena.allocate(need - 1), 0)).getMessage()
                    .contains("needs " + need));
            assertThrows(IllegalArgumentException.class, () -> BitPacking.pack(in, 4, 600, 5, arena.allocate(need), 0));
            assertThrows(IllegalArgumentException.class,
                    () -> BitPacking.unpack(arena.allocate(need - 1), 0, 600, 5, arena.allocate(2400), 0));
            assertThrows(IllegalArgumentException.class,
                    () -> BitPacking.unpack(arena.allocate(need), 0, 600, 5, arena.allocate(2399), 0));
            assertThrows(IllegalArgumentException.class, () -> BitPacking.packedBytes(-1, 5));
        }
    }
}
