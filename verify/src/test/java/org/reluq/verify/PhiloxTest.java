package org.reluq.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.reluq.kernels.random.Philox4x32;
import org.reluq.kernels.random.RandomStream;

/** Philox4x32-10 against Random123's published known-answer vectors, and the helpers built on it. */
class PhiloxTest {

    @Test
    void matchesRandom123KnownAnswers() {
        assertBlock(new int[] {0, 0, 0, 0}, new int[] {0, 0},
                new int[] {0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8});
        assertBlock(new int[] {-1, -1, -1, -1}, new int[] {-1, -1},
                new int[] {0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd});
        assertBlock(new int[] {0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344}, new int[] {0xa4093822, 0x299f31d0},
                new int[] {0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1});
    }

    private static void assertBlock(final int[] counter, final int[] key, final int[] expected) {
        final int[] out = new int[4];
        Philox4x32.block(counter[0], counter[1], counter[2], counter[3], key[0], key[1], out);
        assertArrayEquals(expected, out);
    }

    @Test
    void fourInterleavedBlocksEqualFourSingleBlocks() {
        final int[] four = new int[16];
        final int[] one = new int[4];
        for (final long index : new long[] {0, 1, 0xFFFF_FFFEL, 0xFFFF_FFFFL, Long.MAX_VALUE - 3, 123456789012L}) {
            Philox4x32.blocks4(0xDEADBEEFCAFEL, RandomStream.DATA, index, 7, four);
            for (int b = 0; b < 4; b++) {
                Philox4x32.block(0xDEADBEEFCAFEL, RandomStream.DATA, index + b, 7, one);
                assertArrayEquals(one, Arrays.copyOfRange(four, 4 * b, 4 * b + 4), "index " + index + " + " + b);
            }
        }
    }

    @Test
    void uniformAndBelowStayInRange() {
        for (final int word : new int[] {0, 1, 255, 256, -1, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            final float u = Philox4x32.uniform(word);
            assertTrue(u >= 0 && u < 1, "uniform(" + word + ") = " + u);
            final double open = Philox4x32.uniformOpenZero(word);
            assertTrue(open > 0 && open <= 1, "uniformOpenZero(" + word + ") = " + open);
            for (final int bound : new int[] {1, 2, 7, 100_000, Integer.MAX_VALUE}) {
                final int v = Philox4x32.below(word, bound);
                assertTrue(v >= 0 && v < bound, "below(" + word + ", " + bound + ") = " + v);
            }
        }
        assertEquals(0, Philox4x32.below(0, 10));
        assertEquals(9, Philox4x32.below(-1, 10));
    }
}
