package org.reluq.kernels.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A static-model, four-way interleaved rANS coder (Duda's asymmetric numeral systems, range variant) over int
 * symbols in {@code [0, alphabet)}, on off-heap memory, with the caller's {@link Workspace}: nothing is allocated
 * per call.
 *
 * <p>Format (docs/wire-format.md, section 3.2.1), all little-endian: the model, u16 n then n u32 symbols strictly
 * increasing then their n u16 frequencies, each at least 1, summing to {@link #TOTAL} = 2^15; then the four
 * states x0..x3 as u32; then u16 words. Symbol j is coded by state {@code j mod 4}; a state lies in
 * {@code [2^16, 2^32)}. Decoding symbol j with state x: {@code slot = x mod 2^15}, the symbol s whose
 * {@code [start, start + freq)} holds slot, {@code x = freq (x >> 15) + slot - start}, then while x &lt; 2^16 it
 * takes the next word w as {@code x = x << 16 | w}. The encoder runs backwards from the last symbol with every
 * state at 2^16, so after the last symbol every state is 2^16 again, and the words are used up exactly: a
 * decoder demands both, which makes the coding of a symbol sequence canonical.
 *
 * <p>Frequencies come from the symbols' counts ({@link #normalize}), so the code length is within a few bits per
 * thousand of the empirical entropy {@code sum -c_i log2(c_i / count)} plus the model's {@code 2 + 6 n} bytes and
 * the 16 bytes of states.
 */
public final class RansCoder {

    /** log2 of the frequencies' total. */
    public static final int PRECISION = 15;
    /** The frequencies' total, 2^15. */
    public static final int TOTAL = 1 << PRECISION;
    /** The states' lower bound, 2^16. */
    public static final long LOWER = 1L << 16;
    /** Interleaved states. */
    public static final int WAYS = 4;
    /** Symbols copied between off-heap memory and the heap at a time: whole groups of WAYS. */
    private static final int CHUNK = 4096;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * One thread's memory for an alphabet: counts and the model by symbol, the decoder's slot table, and a buffer
     * the encoder writes its words into backwards. One thread at a time may use it.
     */
    public static final class Workspace {

        private final int alphabet;
        private final int[] counts;
        private final int[] partialCounts;
        /**
         * By symbol: frequency (0 if absent), start, the encoder's model {@code freq | start << 16} and reciprocal
         * ceil(2^63 / freq) (0 for freq 1).
         */
        private final int[] freqs;
        private final int[] starts;
        private final int[] models;
        private final long[] reciprocals;
        /** Symbols of a chunk, on the heap. */
        private final int[] chunk = new int[CHUNK];
        /** The encoder's words, backwards, before they go to the scratch; the slot below the next is written too. */
        private final short[] pending = new short[CHUNK];
        /** The decoder's symbol of each slot. */
        private final int[] slots = new int[TOTAL];
        private final int[] present;
        private final MemorySegment words;

        /**
         * @param alphabet symbols are in {@code [0, alphabet)}, at most 2^20
         * @param count    the most symbols one call codes
         * @param scratch  off-heap memory for the encoder's words: at least {@link #scratchBytes(int)} bytes
         */
        public Workspace(final int alphabet, final int count, final MemorySegment scratch) {
            if (alphabet < 1 || alphabet > 1 << 20) {
                throw new IllegalArgumentException("rANS alphabet of " + alphabet + " symbols is outside [1, 2^20]");
            }
            Regions.require(scratch, 0, scratchBytes(count), "rANS scratch");
            this.alphabet = alphabet;
            counts = new int[alphabet];
            partialCounts = new int[WAYS * alphabet];
            freqs = new int[alphabet];
            starts = new int[alphabet];
            models = new int[alphabet];
            reciprocals = new long[alphabet];
            present = new int[Math.min(alphabet, TOTAL)];
            words = scratch;
        }

        /**
         * The encoder's buffer for {@code count} symbols: a state below 2^32 is renormalized below 2^16 by one word,
         * under the threshold {@code f 2^17} of every frequency, so a symbol costs at most one word.
         */
        public static long scratchBytes(final int count) {
            return 2L * count + 16;
        }
    }

    private RansCoder() {
    }

    /** The largest coding of {@code count} symbols from an alphabet: model, states and a word a symbol. */
    public static long maxBytes(final int alphabet, final int count) {
        return 2 + 6L * Math.min(Math.min(alphabet, TOTAL), Math.max(count, 1)) + 4L * WAYS + 2L * count;
    }

    /**
     * Codes the {@code count} int32 symbols at byte {@code from} of {@code in} (native order) into {@code out} from
     * byte {@code to}.
     *
     * @return the bytes written
     * @throws IllegalArgumentException if a symbol is outside the alphabet, more than 2^15 distinct symbols occur,
     *                                  or out is too small
     */
    public static long encode(final MemorySegment in, final long from, final int count, final Workspace ws,
                              final MemorySegment out, final long to) {
        Regions.require(in, from, 4L * count, "symbols");
        Regions.require(ws.words, 0, Workspace.scratchBytes(count), "rANS scratch");
        final int n = normalize(in, from, count, ws);
        final long modelBytes = 2 + 6L * n;
        Regions.require(out, to, modelBytes + 4L * WAYS, "rANS output");
        out.set(U16, to, (short) n);
        for (int i = 0; i < n; i++) {
            final int symbol = ws.present[i];
            out.set(U32, to + 2 + 4L * i, symbol);
            out.set(U16, to + 2 + 4L * n + 2L * i, (short) ws.freqs[symbol]);
        }
        // backwards from the last symbol, a chunk of symbols at a time copied to the heap, four at a time, one per
        // state so the four chains overlap; the words go backwards into a heap buffer that is flushed to decreasing
        // addresses of the scratch (off-heap stores between the table loads would keep C2 from overlapping them)
        final MemorySegment buffer = ws.words;
        final long end = Workspace.scratchBytes(count);
        final int[] symbols = ws.chunk;
        final short[] pending = ws.pending;
        final int[] models = ws.models;
        final long[] reciprocals = ws.reciprocals;
        long at = end;
        int top = pending.length;
        long x0 = LOWER;
        long x1 = LOWER;
        long x2 = LOWER;
        long x3 = LOWER;
        for (int first = (count - 1) / CHUNK * CHUNK; first >= 0; first -= CHUNK) {
            final int length = Math.min(CHUNK, count - first);
            MemorySegment.copy(in, ValueLayout.JAVA_INT_UNALIGNED, from + 4L * first, symbols, 0, length);
            int i = length - 1;
            // the symbols after the last whole group of four (in the last chunk only: chunks are whole groups)
            for (; i >= 0 && (i & 3) != 3; i--) {
                final int m = models[symbols[i]];
                final long r = reciprocals[symbols[i]];
                final long x = i % 4 == 0 ? x0 : i % 4 == 1 ? x1 : x2;
                final long e = ((long) (m & 0xFFFF) << (32 - PRECISION)) - 1 - x >>> 63;
                pending[top - 1] = (short) x;
                top -= (int) e;
                final long next = step(x >>> (e << 4), m, r);
                switch (i & 3) {
                    case 0 -> x0 = next;
                    case 1 -> x1 = next;
                    default -> x2 = next;
                }
            }
            for (; i >= 3; i -= 4) {
                if (top < WAYS + 1) {
                    at = flush(pending, top, buffer, at);
                    top = pending.length;
                }
                // renormalization first (one word at most: the threshold f 2^17 is at least 2^17, a state below
                // 2^32), branch-free: the word is always stored and the index moves only if it was due
                final int m3 = models[symbols[i]];
                final long e3 = ((long) (m3 & 0xFFFF) << (32 - PRECISION)) - 1 - x3 >>> 63;
                pending[top - 1] = (short) x3;
                top -= (int) e3;
                x3 = step(x3 >>> (e3 << 4), m3, reciprocals[symbols[i]]);
                final int m2 = models[symbols[i - 1]];
                final long e2 = ((long) (m2 & 0xFFFF) << (32 - PRECISION)) - 1 - x2 >>> 63;
                pending[top - 1] = (short) x2;
                top -= (int) e2;
                x2 = step(x2 >>> (e2 << 4), m2, reciprocals[symbols[i - 1]]);
                final int m1 = models[symbols[i - 2]];
                final long e1 = ((long) (m1 & 0xFFFF) << (32 - PRECISION)) - 1 - x1 >>> 63;
                pending[top - 1] = (short) x1;
                top -= (int) e1;
                x1 = step(x1 >>> (e1 << 4), m1, reciprocals[symbols[i - 2]]);
                final int m0 = models[symbols[i - 3]];
                final long e0 = ((long) (m0 & 0xFFFF) << (32 - PRECISION)) - 1 - x0 >>> 63;
                pending[top - 1] = (short) x0;
                top -= (int) e0;
                x0 = step(x0 >>> (e0 << 4), m0, reciprocals[symbols[i - 3]]);
            }
        }
        at = flush(pending, top, buffer, at);
        final long states = to + modelBytes;
        final long wordBytes = end - at;
        Regions.require(out, states, 4L * WAYS + wordBytes, "rANS output");
        out.set(U32, states, (int) x0);
        out.set(U32, states + 4, (int) x1);
        out.set(U32, states + 8, (int) x2);
        out.set(U32, states + 12, (int) x3);
        MemorySegment.copy(buffer, at, out, states + 4L * WAYS, wordBytes);
        return modelBytes + 4L * WAYS + wordBytes;
    }

    /** The words {@code pending[top ..]} to the scratch just below {@code at}; returns the new {@code at}. */
    private static long flush(final short[] pending, final int top, final MemorySegment buffer, final long at) {
        final int words = pending.length - top;
        MemorySegment.copy(pending, top, buffer, U16, at - 2L * words, words);
        return at - 2L * words;
    }

    /**
     * {@code x -> (x / f) 2^15 + x mod f + c} for model {@code packed} (f | c << 16), the quotient as the high half
     * of 2x times ceil(2^63 / f), a signed product (0 stands for f = 1, whose quotient is x): exact for x &lt; 2^32
     * and f &lt;= 2^15 (the error, below 2^-31, cannot carry a fraction of at most 1 - 1/f past 1).
     */
    private static long step(final long x, final int packed, final long reciprocal) {
        final long f = packed & 0xFFFF;
        final long q = reciprocal == 0 ? x : Math.multiplyHigh(x << 1, reciprocal);
        return (q << PRECISION) + (x - q * f) + (packed >>> 16);
    }

    /**
     * Counts the symbols and sets their frequencies: {@code max(1, floor(c TOTAL / count))}, then the difference to
     * TOTAL taken from or given to the most frequent symbol (the lowest such), or taken one at a time from the
     * largest frequencies above 1. Deterministic, so a coding is a pure function of the symbols.
     *
     * @return the number of distinct symbols, listed in {@code ws.present} in increasing order
     */
    private static int normalize(final MemorySegment in, final long from, final int count, final Workspace ws) {
        // four histograms, by j mod 4, so that runs of one symbol do not wait on each other's increments
        final int[] partial = ws.partialCounts;
        final int alphabet = ws.alphabet;
        Arrays.fill(partial, 0);
        int bad = 0;
        final int whole = count & ~3;
        for (int j = 0; j < whole; j += 4) {
            final long at = from + 4L * j;
            final int s0 = in.get(ValueLayout.JAVA_INT_UNALIGNED, at);
            final int s1 = in.get(ValueLayout.JAVA_INT_UNALIGNED, at + 4);
            final int s2 = in.get(ValueLayout.JAVA_INT_UNALIGNED, at + 8);
            final int s3 = in.get(ValueLayout.JAVA_INT_UNALIGNED, at + 12);
            bad |= s0 | s1 | s2 | s3;
            if (bad < 0 || Math.max(Math.max(s0, s1), Math.max(s2, s3)) >= alphabet) {
                throw outside(in, from, count, alphabet);
            }
            partial[s0]++;
            partial[alphabet + s1]++;
            partial[2 * alphabet + s2]++;
            partial[3 * alphabet + s3]++;
        }
        for (int j = whole; j < count; j++) {
            final int symbol = in.get(ValueLayout.JAVA_INT_UNALIGNED, from + 4L * j);
            if (symbol < 0 || symbol >= alphabet) {
                throw outside(in, from, count, alphabet);
            }
            partial[symbol]++;
        }
        final int[] counts = ws.counts;
        for (int symbol = 0; symbol < alphabet; symbol++) {
            counts[symbol] = partial[symbol] + partial[alphabet + symbol] + partial[2 * alphabet + symbol]
                    + partial[3 * alphabet + symbol];
        }
        int n = 0;
        int top = -1;
        long sum = 0;
        Arrays.fill(ws.freqs, 0);
        for (int symbol = 0; symbol < ws.alphabet; symbol++) {
            if (counts[symbol] == 0) {
                continue;
            }
            if (n == TOTAL) {
                throw new IllegalArgumentException("more than " + TOTAL + " distinct symbols: rANS cannot code them");
            }
            ws.present[n++] = symbol;
            ws.freqs[symbol] = (int) Math.max(1, (long) counts[symbol] * TOTAL / count);
            sum += ws.freqs[symbol];
            if (top < 0 || counts[symbol] > counts[top]) {
                top = symbol;
            }
        }
        if (n == 0) {
            return 0;
        }
        long excess = sum - TOTAL;
        if (excess < 0 || ws.freqs[top] - excess >= 1) {
            ws.freqs[top] -= (int) excess;
        } else {
            while (excess > 0) {
                int largest = ws.present[0];
                for (int i = 1; i < n; i++) {
                    if (ws.freqs[ws.present[i]] > ws.freqs[largest]) {
                        largest = ws.present[i];
                    }
                }
                ws.freqs[largest]--;
                excess--;
            }
        }
        int start = 0;
        for (int i = 0; i < n; i++) {
            final int symbol = ws.present[i];
            ws.starts[symbol] = start;
            ws.models[symbol] = ws.freqs[symbol] | start << 16;
            start += ws.freqs[symbol];
            ws.reciprocals[symbol] = ws.freqs[symbol] == 1 ? 0 : Long.MAX_VALUE / ws.freqs[symbol] + 1;
        }
        return n;
    }

    private static IllegalArgumentException outside(final MemorySegment in, final long from, final int count,
                                                    final int alphabet) {
        for (int j = 0; j < count; j++) {
            final int symbol = in.get(ValueLayout.JAVA_INT_UNALIGNED, from + 4L * j);
            if (symbol < 0 || symbol >= alphabet) {
                return new IllegalArgumentException("rANS symbol " + symbol + " at " + j + " is outside [0, "
                        + alphabet + ")");
            }
        }
        throw new IllegalStateException("no symbol outside the alphabet");
    }

    /**
     * Decodes {@code count} symbols from {@code in[from, from + length)} into int32 values (native order) at byte
     * {@code to} of {@code out}, checking the whole coding: the model, that every state starts in
     * {@code [2^16, 2^32)} and ends at 2^16, and that the words are used up exactly.
     *
     * @throws MalformedFrameException naming what is wrong
     */
    public static void decode(final MemorySegment in, final long from, final long length, final int count,
                              final Workspace ws, final MemorySegment out, final long to) {
        Regions.require(out, to, 4L * count, "symbols");
        if (length < 2) {
            throw new MalformedFrameException("rANS coding of " + length + " bytes has no model");
        }
        final int n = Short.toUnsignedInt(in.get(U16, from));
        final long modelBytes = 2 + 6L * n;
        if (n == 0 && count > 0 || n > Math.min(ws.alphabet, TOTAL) || length < modelBytes + 4L * WAYS) {
            throw new MalformedFrameException("rANS model of " + n + " symbols (alphabet " + ws.alphabet + ") in "
                    + length + " bytes for " + count + " symbols");
        }
        int start = 0;
        int previous = -1;
        for (int i = 0; i < n; i++) {
            final int symbol = in.get(U32, from + 2 + 4L * i);
            final int f = Short.toUnsignedInt(in.get(U16, from + 2 + 4L * n + 2L * i));
            if (symbol <= previous || symbol >= ws.alphabet || f == 0 || start + f > TOTAL) {
                throw new MalformedFrameException("rANS model entry " + i + ": symbol "
                        + Integer.toUnsignedString(symbol) + " frequency " + f + " (symbols increase within [0, "
                        + ws.alphabet + "), frequencies are at least 1 and sum to " + TOTAL + ")");
            }
            Arrays.fill(ws.slots, start, start + f, symbol);
            ws.freqs[symbol] = f;
            ws.starts[symbol] = start;
            start += f;
            previous = symbol;
        }
        if (n > 0 && start != TOTAL) {
            throw new MalformedFrameException("rANS frequencies sum to " + start + ", not " + TOTAL);
        }
        final long states = from + modelBytes;
        long x0 = state(in, states, 0);
        long x1 = state(in, states, 1);
        long x2 = state(in, states, 2);
        long x3 = state(in, states, 3);
        long at = states + 4L * WAYS;
        final long end = from + length;
        if ((end - at) % 2 != 0) {
            throw new MalformedFrameException("rANS words end within a word");
        }
        final int[] slots = ws.slots;
        final int[] freqs = ws.freqs;
        final int[] starts = ws.starts;
        final int[] symbols = ws.chunk;
        // a chunk at a time into the heap, then copied out (off-heap stores between the table loads would keep C2
        // from overlapping the four states' chains); four symbols at a time, one per state; a state takes at most
        // one word after a symbol (it is at least 2 f before, since x >= 2^16 makes x >> 15 >= 2), and the words'
        // end is checked as they are read
        for (int first = 0; first < count; first += CHUNK) {
            final int size = Math.min(CHUNK, count - first);
            final int whole = size & ~3;
            for (int i = 0; i < whole; i += 4) {
                final int slot0 = (int) x0 & TOTAL - 1;
                final int slot1 = (int) x1 & TOTAL - 1;
                final int slot2 = (int) x2 & TOTAL - 1;
                final int slot3 = (int) x3 & TOTAL - 1;
                final int y0 = slots[slot0];
                final int y1 = slots[slot1];
                final int y2 = slots[slot2];
                final int y3 = slots[slot3];
                x0 = freqs[y0] * (x0 >>> PRECISION) + slot0 - starts[y0];
                x1 = freqs[y1] * (x1 >>> PRECISION) + slot1 - starts[y1];
                x2 = freqs[y2] * (x2 >>> PRECISION) + slot2 - starts[y2];
                x3 = freqs[y3] * (x3 >>> PRECISION) + slot3 - starts[y3];
                symbols[i] = y0;
                symbols[i + 1] = y1;
                symbols[i + 2] = y2;
                symbols[i + 3] = y3;
                if (x0 < LOWER) {
                    x0 = x0 << 16 | word(in, at, end, first + i);
                    at += 2;
                }
                if (x1 < LOWER) {
                    x1 = x1 << 16 | word(in, at, end, first + i + 1);
                    at += 2;
                }
                if (x2 < LOWER) {
                    x2 = x2 << 16 | word(in, at, end, first + i + 2);
                    at += 2;
                }
                if (x3 < LOWER) {
                    x3 = x3 << 16 | word(in, at, end, first + i + 3);
                    at += 2;
                }
            }
            // the symbols after the last whole group of four (in the last chunk only: chunks are whole groups)
            for (int i = whole; i < size; i++) {
                final long x = i % 4 == 0 ? x0 : i % 4 == 1 ? x1 : x2;
                final int slot = (int) x & TOTAL - 1;
                final int symbol = slots[slot];
                long next = freqs[symbol] * (x >>> PRECISION) + slot - starts[symbol];
                if (next < LOWER) {
                    next = next << 16 | word(in, at, end, first + i);
                    at += 2;
                }
                symbols[i] = symbol;
                switch (i & 3) {
                    case 0 -> x0 = next;
                    case 1 -> x1 = next;
                    default -> x2 = next;
                }
            }
            MemorySegment.copy(symbols, 0, out, ValueLayout.JAVA_INT_UNALIGNED, to + 4L * first, size);
        }
        if (at != end || x0 != LOWER || x1 != LOWER || x2 != LOWER || x3 != LOWER) {
            throw new MalformedFrameException("rANS coding does not end where its encoder ends: " + (end - at)
                    + " bytes left, final states " + x0 + ", " + x1 + ", " + x2 + ", " + x3 + " (all must be 2^16)");
        }
    }

    /** The word at {@code at}, which must lie before {@code end}. */
    private static int word(final MemorySegment in, final long at, final long end, final int j) {
        if (at >= end) {
            throw new MalformedFrameException("rANS words run out at symbol " + j);
        }
        return Short.toUnsignedInt(in.get(U16, at));
    }

    /**
     * Whether the model of a coding that {@link #decode} accepted, at byte {@code from} of {@code in}, lists
     * {@code symbol}: for callers whose alphabet has values no sender codes.
     */
    public static boolean modelLists(final MemorySegment in, final long from, final int symbol) {
        final int n = Short.toUnsignedInt(in.get(U16, from));
        for (int i = 0; i < n; i++) {
            if (in.get(U32, from + 2 + 4L * i) == symbol) {
                return true;
            }
        }
        return false;
    }

    private static long state(final MemorySegment in, final long states, final int i) {
        final long x = Integer.toUnsignedLong(in.get(U32, states + 4L * i));
        if (x < LOWER) {
            throw new MalformedFrameException("rANS state " + i + " = " + x + " is below 2^16");
        }
        return x;
    }
}
