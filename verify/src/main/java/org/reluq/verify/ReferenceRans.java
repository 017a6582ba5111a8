package org.reluq.verify;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The rANS coding of docs/wire-format.md section 3.2.1, one symbol at a time and written for clarity (exact
 * integer division, a list for the words): the reference that {@code org.reluq.kernels.codec.RansCoder} must match
 * byte for byte on every path and width.
 */
public final class ReferenceRans {

    private static final int TOTAL = 1 << 15;
    private static final int LOWER = 1 << 15;
    /** States of sequences of 2^14 symbols or more; shorter ones have 4. */
    private static final int WAYS = 16;

    private ReferenceRans() {
    }

    /** The coding of the symbols: model, the states (16, or 4 below 2^14 symbols), the words. */
    public static byte[] encode(final int[] symbols) {
        final int d = symbols.length;
        final TreeMap<Integer, Integer> counts = new TreeMap<>();
        for (final int symbol : symbols) {
            counts.merge(symbol, 1, Integer::sum);
        }
        // the model: max(1, floor(c 2^15 / d)), the difference to 2^15 on the most frequent symbol (the lowest such)
        // or, if that would leave it below 1, taken one at a time from the largest frequency above 1 (the lowest)
        final TreeMap<Integer, Integer> freqs = new TreeMap<>();
        int top = -1;
        long sum = 0;
        for (final var entry : counts.entrySet()) {
            final int f = (int) Math.max(1, (long) entry.getValue() * TOTAL / d);
            freqs.put(entry.getKey(), f);
            sum += f;
            if (top < 0 || entry.getValue() > counts.get(top)) {
                top = entry.getKey();
            }
        }
        if (!freqs.isEmpty()) {
            final long excess = sum - TOTAL;
            if (excess < 0 || freqs.get(top) - excess >= 1) {
                freqs.put(top, (int) (freqs.get(top) - excess));
            } else {
                for (long k = 0; k < excess; k++) {
                    int largest = freqs.firstKey();
                    for (final int symbol : freqs.keySet()) {
                        if (freqs.get(symbol) > freqs.get(largest)) {
                            largest = symbol;
                        }
                    }
                    freqs.put(largest, freqs.get(largest) - 1);
                }
            }
        }
        final TreeMap<Integer, Integer> starts = new TreeMap<>();
        int start = 0;
        for (final var entry : freqs.entrySet()) {
            starts.put(entry.getKey(), start);
            start += entry.getValue();
        }
        // backwards over the groups of 16, lanes in order within a group; words appended in the order written
        final int ways = d < 1 << 14 ? 4 : WAYS;
        final long[] x = new long[ways];
        java.util.Arrays.fill(x, LOWER);
        final List<Integer> words = new ArrayList<>();
        final int groups = (d + ways - 1) / ways;
        for (int group = groups - 1; group >= 0; group--) {
            for (int j = group * ways; j < Math.min(d, (group + 1) * ways); j++) {
                final int lane = j % ways;
                final long f = freqs.get(symbols[j]);
                if (x[lane] >= f << 16) {
                    words.add((int) (x[lane] & 0xFFFF));
                    x[lane] >>= 16;
                }
                x[lane] = x[lane] / f * TOTAL + x[lane] % f + starts.get(symbols[j]);
            }
        }
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        u16(out, freqs.size());
        for (final int symbol : freqs.keySet()) {
            u32(out, symbol);
        }
        for (final int f : freqs.values()) {
            u16(out, f);
        }
        for (final long state : x) {
            u32(out, (int) state);
        }
        for (final int word : words) {
            u16(out, word);
        }
        return out.toByteArray();
    }

    private static void u16(final ByteArrayOutputStream out, final int value) {
        out.write(value & 0xFF);
        out.write(value >>> 8 & 0xFF);
    }

    private static void u32(final ByteArrayOutputStream out, final int value) {
        u16(out, value & 0xFFFF);
        u16(out, value >>> 16);
    }
}
