package org.reluq.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.reluq.kernels.codec.RansCoder;
import org.reluq.kernels.warmup.KernelFamily;
import org.reluq.kernels.warmup.KernelPath;

/**
 * The rANS coder writes {@link ReferenceRans}'s bytes on the vector and the scalar path, over awkward lengths
 * (partial groups, whole chunks and one past, both sides of the switch from 4 to 16 states), alphabets and skews (one symbol, a dominant one, uniform,
 * frequencies that round to 0), and decodes them back. Tagged "species": the build runs it at 128, 256 and 512
 * bits.
 */
@Tag("species")
@ParameterizedClass(name = "{0} path")
@EnumSource(KernelPath.class)
class RansCoderTest extends OnEveryPath {

    @Override
    KernelFamily[] families() {
        return new KernelFamily[] {KernelFamily.PACKING};
    }

    static Stream<Arguments> cases() {
        final List<Arguments> cases = new ArrayList<>();
        final int[] lengths = {1, 2, 15, 16, 17, 31, 33, 100, 4095, 4096, 4097, 8192 + 5, 16_383, 16_384, 16_385,
            70_000};
        final int[] alphabets = {1, 2, 4, 10, 17, 300, 40_000};
        int k = 0;
        for (final int d : lengths) {
            for (final double skew : new double[] {0, 0.9, 0.999}) {
                cases.add(Arguments.of(d, alphabets[k++ % alphabets.length], skew, (long) k));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "d={0} alphabet={1} skew={2}")
    @MethodSource("cases")
    void theCodingIsTheReferencesAndDecodesBack(final int d, final int alphabet, final double skew, final long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        final int[] symbols = new int[d];
        for (int j = 0; j < d; j++) {
            // skew: that share of symbols is the alphabet's middle one, the rest uniform
            symbols[j] = random.nextDouble() < skew ? alphabet / 2 : random.nextInt(alphabet);
        }
        try (Arena arena = Arena.ofConfined()) {
            final MemorySegment in = arena.allocate(4L * d + 12, 64);
            // at an odd offset, so nothing relies on alignment
            MemorySegment.copy(symbols, 0, in, ValueLayout.JAVA_INT_UNALIGNED, 12, d);
            final RansCoder.Workspace ws = new RansCoder.Workspace(alphabet, d,
                    arena.allocate(RansCoder.Workspace.scratchBytes(d), 64));
            final MemorySegment out = arena.allocate(RansCoder.maxBytes(alphabet, d) + 3);
            final long bytes = RansCoder.encode(in, 12, d, ws, out, 3);
            final byte[] expected = ReferenceRans.encode(symbols);
            assertArrayEquals(expected, out.asSlice(3, bytes).toArray(ValueLayout.JAVA_BYTE), "coded bytes");
            final MemorySegment decoded = arena.allocate(4L * d);
            RansCoder.decode(out, 3, bytes, d, ws, decoded, 0);
            assertArrayEquals(symbols, decoded.toArray(ValueLayout.JAVA_INT), "decoded symbols");
            assertEquals(bytes, expected.length);
        }
    }
}
