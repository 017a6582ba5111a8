package org.reluq.kernels.codec;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.reluq.kernels.warmup.KernelFamily;

/**
 * A static-model, 16-way (4-way for short sequences) interleaved rANS coder (Duda's asymmetric numeral systems,
 * range variant) over int symbols in {@code [0, alphabet)}, on off-heap memory, with the caller's
 * {@link Workspace}: nothing is allocated per call.
 *
 * <p>Format (docs/wire-format.md, section 3.2.1), all little-endian: the model, u16 n then n u32 symbols strictly
 * increasing then their n u16 frequencies, each at least 1, summing to {@link #TOTAL} = 2^15; then the
 * {@link #ways} states as u32 (16, or 4 for fewer than {@link #LONG} symbols); then u16 words, which the decoder
 * takes from the last one backwards. Symbol j is coded by state {@code j mod ways}; a state lies in
 * {@code [2^15, 2^31)}. The symbols go in groups of ways (the last one shorter); the decoder decodes a group's
 * symbols in order, each as {@code slot = x mod 2^15}, the symbol s whose {@code [start, start + freq)} holds slot,
 * {@code x = freq (x >> 15) + slot - start}, and then renormalizes the group's states from its last one down: a
 * state below 2^15 takes the next word w as {@code x = x << 16 | w}.
 * The encoder runs backwards from the last group with every state at 2^15 and writes words forwards, so after the
 * last symbol every state is 2^15 again, and the words are used up exactly: a decoder demands both, which makes the
 * coding of a symbol sequence canonical. Sixteen states because they fill a 512-bit vector
 * ({@code RansVectors}), or two 256-bit or four 128-bit ones, with the same bytes on every width.
 *
 * <p>Frequencies come from the symbols' counts ({@link #normalize}), so the code length is within a few bits per
 * thousand of the empirical entropy {@code sum -c_i log2(c_i / count)} plus the model's {@code 2 + 6 n} bytes and
 * the 16 or 64 bytes of states.
 */
public final class RansCoder {

    /** log2 of the frequencies' total. */
    public static final int PRECISION = 15;
    /** The frequencies' total, 2^15. */
    public static final int TOTAL = 1 << PRECISION;
    /** The states' lower bound, 2^15 (they stay below 2^31, so an int holds one). */
    public static final int LOWER = 1 << 15;
    /** Interleaved states of a long sequence: a 512-bit vector of them. */
    public static final int WAYS = 16;
    /** Interleaved states of a sequence shorter than {@link #LONG}. */
    public static final int FEW_WAYS = 4;
    /** The length from which a sequence is coded with {@link #WAYS} states. */
    public static final int LONG = 1 << 14;
    /** Symbols copied between off-heap memory and the heap at a time: whole groups of WAYS. */
    private static final int CHUNK = 4096;
    /** Bytes after the last word that the vector encoder may write (a whole vector of words). */
    private static final int SLACK = 64;

    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /**
     * One thread's memory for an alphabet: counts and the model by symbol, the decoder's slot table, the states, and
     * a buffer the encoder writes its words into. One thread at a time may use it.
     */
    public static final class Workspace {

        private final int alphabet;
        private final int[] counts;
        private final int[] partialCounts;
        /**
         * By symbol: frequency (0 if absent), start, the encoder's model {@code freq | start << 16}, the reciprocal
         * ceil(2^63 / freq) (0 for freq 1) and the float bits of 1 / freq.
         */
        private final int[] freqs;
        private final int[] starts;
        private final int[] models;
        private final long[] reciprocals;
        private final int[] floatReciprocals;
        /** Symbols of a chunk, on the heap. */
        private final int[] chunk = new int[CHUNK];
        /** The states, lane by lane. */
        private final int[] states = new int[WAYS];
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
            partialCounts = new int[4 * alphabet];
            freqs = new int[alphabet];
            starts = new int[alphabet];
            // the vector encoder loads a whole vector of the tables (up to 16 lanes)
            models = new int[Math.max(alphabet, WAYS)];
            reciprocals = new long[alphabet];
            floatReciprocals = new int[Math.max(alphabet, WAYS)];
            present = new int[Math.min(alphabet, TOTAL)];
            words = scratch;
        }

        /**
         * The encoder's buffer for {@code count} symbols: a state below 2^31 is renormalized below 2^15 by one word,
         * under the threshold {@code f 2^16} of every frequency, so a symbol costs at most one word; and a vector of
         * slack.
         */
        public static long scratchBytes(final int count) {
            return 2L * count + SLACK;
        }
    }

    private RansCoder() {
    }

    /** The largest coding of {@code count} symbols from an alphabet: model, states and a word a symbol. */
    public static long maxBytes(final int alphabet, final int count) {
        return 2 + 6L * Math.min(Math.min(alphabet, TOTAL), Math.max(count, 1)) + 4L * ways(count) + 2L * count;
    }

    /**
     * The interleaved states of a sequence of {@code count} symbols: {@link #WAYS}, or {@link #FEW_WAYS} below
     * {@link #LONG} symbols, where 12 more states would cost about 48 bytes (0.4 bits a symbol at 1024) and vectors
     * save little time.
     */
    public static int ways(final int count) {
        return count < LONG ? FEW_WAYS : WAYS;
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
        final int ways = ways(count);
        Regions.require(out, to, modelBytes + 4L * ways, "rANS output");
        out.set(U16, to, (short) n);
        for (int i = 0; i < n; i++) {
            final int symbol = ws.present[i];
            out.set(U32, to + 2 + 4L * i, symbol);
            out.set(U16, to + 2 + 4L * n + 2L * i, (short) ws.freqs[symbol]);
        }
        // backwards from the last group, a chunk of symbols at a time copied to the heap (chunks are whole groups,
        // so only the last can end in a part of one), the words forwards into the scratch
        final MemorySegment buffer = ws.words;
        final int[] symbols = ws.chunk;
        final int[] states = ws.states;
        Arrays.fill(states, LOWER);
        final boolean vector = ways == WAYS && vectors();
        long at = 0;
        for (int first = (count - 1) / CHUNK * CHUNK; first >= 0; first -= CHUNK) {
            final int length = Math.min(CHUNK, count - first);
            MemorySegment.copy(in, ValueLayout.JAVA_INT_UNALIGNED, from + 4L * first, symbols, 0, length);
            final int whole = length / ways * ways;
            at = encodeGroup(symbols, whole, length, ws, buffer, at);
            if (vector && RansVectors.fitsLanes(ws.alphabet)) {
                at = RansVectors.encodeGroupsByTable(symbols, whole, ws.models, ws.floatReciprocals, states, buffer,
                        at);
            } else if (vector) {
                at = RansVectors.encodeGroupsByGather(symbols, whole, ws.models, ws.floatReciprocals, states, buffer,
                        at);
            } else {
                for (int group = whole - ways; group >= 0; group -= ways) {
                    at = encodeGroup(symbols, group, group + ways, ws, buffer, at);
                }
            }
        }
        final long statesAt = to + modelBytes;
        Regions.require(out, statesAt, 4L * ways + at, "rANS output");
        for (int i = 0; i < ways; i++) {
            out.set(U32, statesAt + 4L * i, states[i]);
        }
        MemorySegment.copy(buffer, 0, out, statesAt + 4L * ways, at);
        return modelBytes + 4L * ways + at;
    }

    /**
     * Whether the coder runs on vectors now: {@link KernelFamily#PACKING} does (false without the Vector API's
     * module, so {@code RansVectors}, which needs it, is never loaded then) and {@code RansVectors} can.
     */
    private static boolean vectors() {
        return KernelFamily.PACKING.vector() && RansVectors.USABLE;
    }

    /**
     * Encodes the group of symbols {@code symbols[first, end)} (lanes 0 .. end - first - 1), lane by lane: the due
     * word (at most one: the threshold {@code f 2^16} is at least 2^16, a state below 2^31) to byte {@code at} of
     * the buffer, then {@code x -> (x / f) 2^15 + x mod f + start}, the quotient as the high half of 2x times
     * ceil(2^63 / f), a signed product (0 stands for f = 1, whose quotient is x): exact for x below 2^32 and f at
     * most 2^15 (the error, below 2^-31, cannot carry a fraction of at most 1 - 1/f past 1).
     *
     * @return the byte after the last word written
     */
    private static long encodeGroup(final int[] symbols, final int first, final int end, final Workspace ws,
                                    final MemorySegment buffer, final long at) {
        final int[] models = ws.models;
        final long[] reciprocals = ws.reciprocals;
        final int[] states = ws.states;
        long next = at;
        for (int j = first; j < end; j++) {
            final int model = models[symbols[j]];
            final long f = model & 0xFFFF;
            final long x = states[j - first];
            // branch-free: the word is always stored (the scratch has slack) and kept only when due
            final long due = (f << 16) - 1 - x >>> 63;
            buffer.set(U16, next, (short) x);
            next += due << 1;
            final long y = x >>> (due << 4);
            final long reciprocal = reciprocals[symbols[j]];
            final long q = reciprocal == 0 ? y : Math.multiplyHigh(y << 1, reciprocal);
            states[j - first] = (int) ((q << PRECISION) + (y - q * f) + (model >>> 16));
        }
        return next;
    }

    /**
     * Counts the symbols and sets their frequencies: {@code max(1, floor(c TOTAL / count))}, then the difference to
     * TOTAL taken from or given to the most frequent symbol (the lowest such), or taken one at a time from the
     * largest frequencies above 1. Deterministic, so a coding is a pure function of the symbols.
     *
     * @return the number of distinct symbols, listed in {@code ws.present} in increasing order
     */
    private static int normalize(final MemorySegment in, final long from, final int count, final Workspace ws) {
        final int alphabet = ws.alphabet;
        final int[] counts = ws.counts;
        if (vectors() && alphabet <= RansVectors.COUNTED_ALPHABET) {
            Arrays.fill(counts, 0);
            final int counted = RansVectors.count(in, from, count, alphabet, counts);
            if (counted < 0) {
                throw outside(in, from, count, alphabet);
            }
            for (int j = counted; j < count; j++) {
                final int symbol = in.get(ValueLayout.JAVA_INT_UNALIGNED, from + 4L * j);
                if (symbol < 0 || symbol >= alphabet) {
                    throw outside(in, from, count, alphabet);
                }
                counts[symbol]++;
            }
        } else {
            countScalar(in, from, count, ws);
        }
        return model(count, ws);
    }

    /** The symbols' counts into {@code ws.counts}, one at a time; rejects a symbol outside the alphabet. */
    private static void countScalar(final MemorySegment in, final long from, final int count, final Workspace ws) {
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
    }

    /**
     * The model of {@code ws.counts} over {@code count} symbols, as {@link #normalize} says.
     *
     * @return the number of distinct symbols, listed in {@code ws.present} in increasing order
     */
    private static int model(final int count, final Workspace ws) {
        final int[] counts = ws.counts;
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
            ws.floatReciprocals[symbol] = Float.floatToRawIntBits(1f / ws.freqs[symbol]);
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
     * {@code [2^15, 2^31)} and ends at 2^15, and that the words are used up exactly.
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
        final int ways = ways(count);
        if (n == 0 && count > 0 || n > Math.min(ws.alphabet, TOTAL) || length < modelBytes + 4L * ways) {
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
        final long statesAt = from + modelBytes;
        final int[] states = ws.states;
        for (int i = 0; i < ways; i++) {
            final int x = in.get(U32, statesAt + 4L * i);
            if (x < LOWER) {
                throw new MalformedFrameException("rANS state " + i + " = " + Integer.toUnsignedString(x)
                        + " is outside [2^15, 2^31)");
            }
            states[i] = x;
        }
        final long wordsAt = statesAt + 4L * ways;
        final long end = from + length;
        if ((end - wordsAt) % 2 != 0) {
            throw new MalformedFrameException("rANS words end within a word");
        }
        final int[] slots = ws.slots;
        final int[] freqs = ws.freqs;
        final int[] starts = ws.starts;
        final int[] symbols = ws.chunk;
        // the words from the last backwards; a state takes at most one after a symbol (it is at least f >= 1, and
        // below 2^15), and running out is checked as they are read
        long at = end;
        for (int first = 0; first < count; first += CHUNK) {
            final int size = Math.min(CHUNK, count - first);
            for (int group = 0; group < size; group += ways) {
                final int lanes = Math.min(ways, size - group);
                for (int i = 0; i < lanes; i++) {
                    final int x = states[i];
                    final int slot = x & TOTAL - 1;
                    final int symbol = slots[slot];
                    states[i] = freqs[symbol] * (x >>> PRECISION) + slot - starts[symbol];
                    symbols[group + i] = symbol;
                }
                for (int i = lanes - 1; i >= 0; i--) {
                    if (states[i] < LOWER) {
                        if (at <= wordsAt) {
                            throw new MalformedFrameException("rANS words run out at symbol " + (first + group + i));
                        }
                        at -= 2;
                        states[i] = states[i] << 16 | Short.toUnsignedInt(in.get(U16, at));
                    }
                }
            }
            MemorySegment.copy(symbols, 0, out, ValueLayout.JAVA_INT_UNALIGNED, to + 4L * first, size);
        }
        for (int i = 0; i < ways; i++) {
            if (at != wordsAt || states[i] != LOWER) {
                throw new MalformedFrameException("rANS coding does not end where its encoder ends: "
                        + (at - wordsAt) + " bytes left, final state " + i + " = " + states[i] + " (all must be 2^15)");
            }
        }
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
}
