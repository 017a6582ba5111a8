package org.reluq.kernels.random;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The {@link Ziggurat} one Philox block at a time, in plain Java: the scalar twin of {@link ZigguratVectors},
 * with the same bits, for the time before C2 has compiled the vector steps (see
 * {@code org.reluq.kernels.warmup.KernelFamily}). The draws go through a heap array to {@code out}, one
 * copy per array's worth.
 */
final class ZigguratScalar {

    private ZigguratScalar() {
    }

    /**
     * Draws {@code [first, first + count)}, first a multiple of 4, to {@code out} from byte {@code at};
     * {@code chunk} holds the bits of a multiple of 4 draws, {@code block} and {@code scratch} one block each.
     */
    static void fill(final long seed, final RandomStream stream, final long first, final long count,
                     final MemorySegment out, final long at, final int[] chunk, final int[] block,
                     final int[] scratch) {
        for (long done = 0; done < count; done += chunk.length) {
            final int n = (int) Math.min(chunk.length, count - done);
            final long e0 = first + done;
            for (int k = 0; k < n; k += 4) {
                Philox4x32.block(seed, stream, (e0 + k) >>> 2, 0, block);
                final int words = Math.min(4, n - k);
                for (int i = 0; i < words; i++) {
                    final int word = block[i];
                    chunk[k + i] = Float.floatToRawIntBits(Ziggurat.inRectangle(word)
                            ? Ziggurat.withSign(Ziggurat.candidate(word), word)
                            : Ziggurat.fromWord(seed, stream, e0 + k + i, word, 1, scratch));
                }
            }
            MemorySegment.copy(chunk, 0, out, ValueLayout.JAVA_INT_UNALIGNED, at + done * Float.BYTES, n);
        }
    }
}
