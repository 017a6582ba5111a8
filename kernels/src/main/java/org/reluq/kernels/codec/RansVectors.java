package org.reluq.kernels.codec;

import static org.reluq.kernels.simd.Species.INT;
import static org.reluq.kernels.simd.Species.LANES;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.reluq.kernels.simd.Vectorization;

/**
 * {@link RansCoder}'s encoder and symbol counts on vectors. The {@link RansCoder#WAYS} states of a group of symbols
 * take {@code WAYS / LANES} vectors, and every lane is renormalized and stepped at once: a lane's word is due when
 * its state exceeds {@code f 2^16 - 1}; the due words are compressed to the bottom of the vector in lane order and
 * stored after the words written so far, so the stream is the scalar encoder's, byte for byte, at every width. The
 * quotient {@code x / f} comes from a float product {@code (float) x * (1 / f)}, within 1 of the true one (three
 * roundings of at most 2^-24 relative on a quotient below 2^16), and is corrected by the remainder: exact. A
 * symbol's model and reciprocal come from a table in one vector when the alphabet fits in its lanes, else by
 * gathers; each way is a method of its own, so that neither is a call C2 compiled as never taken.
 */
final class RansVectors {

    private static final ByteOrder LITTLE = ByteOrder.LITTLE_ENDIAN;
    private static final ByteOrder NATIVE = ByteOrder.nativeOrder();
    /** Short lanes as many as an int vector's, for the due words. */
    private static final VectorSpecies<Short> SHORTS = LANES >= 4
            ? VectorSpecies.of(short.class, VectorShape.forBitSize(LANES * 16)) : null;
    /** Vectors a group of states takes. */
    private static final int VECTORS = RansCoder.WAYS / Math.max(1, LANES);

    /**
     * Whether this path can run (the coder also asks {@code KernelFamily.PACKING} first): the masks and conversions
     * that compress and the quotient need in vector code, and a whole number of vectors of at least 4 lanes per
     * group.
     */
    static final boolean USABLE = Vectorization.MASKS_AND_CONVERSIONS && LANES >= 4 && RansCoder.WAYS % LANES == 0;

    private RansVectors() {
    }

    /** Whether an alphabet's model fits in one vector's lanes ({@link #encodeGroupsByTable}). */
    static boolean fitsLanes(final int alphabet) {
        return alphabet <= LANES;
    }

    /** The largest alphabet {@link #count} counts: four byte counters to an int lane, four passes at most. */
    static final int COUNTED_ALPHABET = 16;
    /** Vectors a byte counter can take before it may overflow. */
    private static final int BATCH = 255;

    /**
     * Counts the symbols {@code [0, count)} at byte {@code from} of {@code in} into {@code counts} (which the caller
     * zeroed), for an alphabet of at most {@link #COUNTED_ALPHABET}: a batch of 255 vectors at a time (in L1), one
     * pass per four symbols, each lane adding {@code 1 << 8 (c - base)} for its symbol c of the four, so four byte
     * counters share an int lane.
     *
     * @return the number of symbols counted (a multiple of LANES: the caller counts the rest), or -1 if one is
     *         outside {@code [0, alphabet)}
     */
    static int count(final MemorySegment in, final long from, final int count, final int alphabet,
                     final int[] counts) {
        final int whole = count - count % LANES;
        final IntVector limit = IntVector.broadcast(INT, alphabet);
        final IntVector one = IntVector.broadcast(INT, 1);
        VectorMask<Integer> outside = one.compare(VectorOperators.LT, 0);
        for (int start = 0; start < whole; start += BATCH * LANES) {
            final int stop = Math.min(whole, start + BATCH * LANES);
            for (int base = 0; base < alphabet; base += 4) {
                IntVector bytes = IntVector.zero(INT);
                for (int j = start; j < stop; j += LANES) {
                    final IntVector symbols = IntVector.fromMemorySegment(INT, in, from + 4L * j, NATIVE);
                    outside = outside.or(symbols.compare(VectorOperators.UGE, limit));
                    final IntVector offset = symbols.sub(base);
                    bytes = bytes.add(one.lanewise(VectorOperators.LSHL, offset.lanewise(VectorOperators.LSHL, 3)),
                            offset.compare(VectorOperators.ULT, 4));
                }
                for (int k = 0; k < 4 && base + k < alphabet; k++) {
                    counts[base + k] += bytes.lanewise(VectorOperators.LSHR, 8 * k).and(0xFF)
                            .reduceLanes(VectorOperators.ADD);
                }
            }
        }
        return outside.anyTrue() ? -1 : whole;
    }

    /**
     * Encodes the whole groups of {@code symbols[0, end)} ({@code end} a multiple of WAYS), last group first, with
     * the states in {@code states} (updated), writing due words as little-endian u16 from byte {@code at} of
     * {@code words}, which has {@code 2 LANES} bytes of slack after the last word; for an alphabet that
     * {@link #fitsLanes fits the lanes}.
     *
     * @param models      by symbol: {@code f | start << 16}, at least LANES entries
     * @param reciprocals by symbol: the float bits of {@code 1 / f}, at least LANES entries
     * @return the byte after the last word written
     */
    static long encodeGroupsByTable(final int[] symbols, final int end, final int[] models, final int[] reciprocals,
                                    final int[] states, final MemorySegment words, final long at) {
        final IntVector modelTable = IntVector.fromArray(INT, models, 0);
        final IntVector reciprocalTable = IntVector.fromArray(INT, reciprocals, 0);
        long next = at;
        for (int group = end - RansCoder.WAYS; group >= 0; group -= RansCoder.WAYS) {
            for (int k = 0; k < VECTORS; k++) {
                final IntVector c = IntVector.fromArray(INT, symbols, group + k * LANES);
                next = step(c.selectFrom(modelTable), c.selectFrom(reciprocalTable), states, k * LANES, words, next);
            }
        }
        return next;
    }

    /**
     * {@link #encodeGroupsByTable} for any alphabet: the models and reciprocals gathered.
     *
     * @return the byte after the last word written
     */
    static long encodeGroupsByGather(final int[] symbols, final int end, final int[] models, final int[] reciprocals,
                                     final int[] states, final MemorySegment words, final long at) {
        long next = at;
        for (int group = end - RansCoder.WAYS; group >= 0; group -= RansCoder.WAYS) {
            for (int k = 0; k < VECTORS; k++) {
                final int first = group + k * LANES;
                next = step(IntVector.fromArray(INT, models, 0, symbols, first),
                        IntVector.fromArray(INT, reciprocals, 0, symbols, first), states, k * LANES, words, next);
            }
        }
        return next;
    }

    /**
     * One vector of states {@code states[lane, lane + LANES)}: the due words to byte {@code at}, then
     * {@code x -> (x / f) 2^15 + x mod f + start} for each lane's model and float reciprocal bits.
     *
     * @return the byte after the words written
     */
    private static long step(final IntVector model, final IntVector reciprocalBits, final int[] states,
                             final int lane, final MemorySegment words, final long at) {
        final IntVector f = model.and(0xFFFF);
        IntVector x = IntVector.fromArray(INT, states, lane);
        final VectorMask<Integer> due = x.compare(VectorOperators.GT, f.lanewise(VectorOperators.LSHL, 16).sub(1));
        ((ShortVector) x.and(0xFFFF).compress(due).convertShape(VectorOperators.I2S, SHORTS, 0))
                .intoMemorySegment(words, at, LITTLE);
        x = x.lanewise(VectorOperators.LSHR, 16, due);
        IntVector q = (IntVector) ((FloatVector) x.convert(VectorOperators.I2F, 0))
                .mul(reciprocalBits.reinterpretAsFloats()).convert(VectorOperators.F2I, 0);
        IntVector r = x.sub(q.mul(f));
        final VectorMask<Integer> under = r.compare(VectorOperators.LT, 0);
        q = q.sub(1, under);
        r = r.add(f, under);
        final VectorMask<Integer> over = r.compare(VectorOperators.GE, f);
        q = q.add(1, over);
        r = r.sub(f, over);
        q.lanewise(VectorOperators.LSHL, RansCoder.PRECISION).add(r).add(model.lanewise(VectorOperators.LSHR, 16))
                .intoArray(states, lane);
        return at + 2L * due.trueCount();
    }
}
