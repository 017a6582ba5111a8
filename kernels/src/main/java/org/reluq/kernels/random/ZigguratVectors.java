package org.reluq.kernels.random;

import static org.reluq.kernels.random.Ziggurat.EDGE;
import static org.reluq.kernels.random.Ziggurat.F;
import static org.reluq.kernels.random.Ziggurat.LAYERS;
import static org.reluq.kernels.random.Ziggurat.SCALE;
import static org.reluq.kernels.random.Ziggurat.SCALE_BITS;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.reluq.kernels.simd.Species;

/**
 * The {@link Ziggurat} on vectors, for {@link Gaussian#fill(long, RandomStream, long, long, MemorySegment,
 * long, GaussianWorkspace)}: a step computes {@link VectorPhilox#WORDS} draws (Philox for whole vectors of
 * blocks, then the rectangle test a vector of words at a time) and collects the draws that fail it; the slow
 * path then takes them in batches of {@link VectorPhilox#BLOCKS}, on vectors too (their extra blocks, the
 * wedge test, the rectangle test of a rejected draw's next word). Only the base strip's tail and a second
 * rejection, about 2% of the slow draws, go one at a time. Same bits as {@link Ziggurat} at every width.
 *
 * <p>Where the time goes (Zen 4, 16 lanes): Philox about 0.5 ns a draw, the rectangle test about as much;
 * 2.8% of draws fail it, and as scalar code (one exp and two hard-to-predict branches each) they cost more
 * than all the rest.
 */
final class ZigguratVectors {

    private static final VectorSpecies<Float> FLOAT = Species.FLOAT;
    private static final VectorSpecies<Integer> INT = VectorPhilox.INT;
    private static final VectorSpecies<Double> DOUBLE = Species.DOUBLE;
    private static final int LANES = INT.length();
    private static final int HALF = LANES / 2;
    private static final int WORDS = VectorPhilox.WORDS;
    private static final int BLOCKS = VectorPhilox.BLOCKS;
    /** Word 0, and word 3, of consecutive blocks: the gather map {0, 4, 8, ...}. */
    private static final int[] EVERY_FOURTH = new int[LANES];

    static {
        for (int i = 0; i < LANES; i++) {
            EVERY_FOURTH[i] = 4 * i;
        }
    }

    /** Elements one run of slow-draw offsets may span (they are ints). */
    private static final long WINDOW = 1L << 30;

    private ZigguratVectors() {
    }

    /**
     * Draws {@code [first, first + count)}, first a multiple of 4, to {@code out} from byte {@code at}: whole
     * steps, their slow draws in batches, a partial last step through the workspace's tail.
     */
    static void fill(final long seed, final RandomStream stream, final long first, final long count,
                     final MemorySegment out, final long at, final GaussianWorkspace workspace) {
        final long end = first + count;
        long e = first;
        long to = at;
        long start = e;
        long base = to;
        int pending = 0;
        for (; end - e >= WORDS; e += WORDS, to += (long) WORDS * Float.BYTES) {
            if (e - start > WINDOW) {
                slow(seed, stream, workspace, pending, out, base, start);
                pending = 0;
                start = e;
                base = to;
            }
            pending = step(seed, stream, e, (int) (e - start), out, to, workspace, pending);
            if (pending >= BLOCKS) {
                pending = slowBatch(seed, stream, workspace, pending, out, base, start);
            }
        }
        slow(seed, stream, workspace, pending, out, base, start);
        if (e < end) {
            final MemorySegment tail = workspace.tail();
            slow(seed, stream, workspace, step(seed, stream, e, 0, tail, 0, workspace, 0), tail, 0, e);
            MemorySegment.copy(tail, 0, out, to, (end - e) * Float.BYTES);
        }
    }

    /** All {@code pending} slow draws, a batch at a time. */
    private static void slow(final long seed, final RandomStream stream, final GaussianWorkspace workspace,
                             int pending, final MemorySegment out, final long base, final long start) {
        while (pending > 0) {
            pending = slowBatch(seed, stream, workspace, pending, out, base, start);
        }
    }

    /**
     * Draws {@code [first, first + WORDS)}, first a multiple of 4 and {@code offset} elements past the start of
     * the slow draws' offsets, to {@code out} from byte {@code at} (the fast path's values: the slow path
     * overwrites its draws later). The draws that fail the rectangle test are
     * appended to the workspace's slow draws (word and offset) from {@code pending}; returns their new number.
     */
    private static int step(final long seed, final RandomStream stream, final long first, final int offset,
                    final MemorySegment out, final long at, final GaussianWorkspace workspace, final int pending) {
        VectorPhilox.blocks(seed, first >>> 2, stream.id(), workspace.counters(), workspace.words());
        final int queued = LANES == 16 ? permuteStep(offset, workspace, pending) : gatherStep(offset, workspace, pending);
        // through a heap array and one copy: C2 does not hoist a segment's checks out of the step's loop
        MemorySegment.copy(workspace.draws(), 0, out, ValueLayout.JAVA_INT_UNALIGNED, at, WORDS);
        return queued;
    }

    /**
     * The rectangle test at 16 lanes, the 128-entry tables held in registers: eight vectors per table, the
     * lookup four two-vector permutes on the layer's low five bits and three blends on the next two. On
     * Zen 4 this took half the time of two 16-lane gathers (a 256-layer ziggurat's sixteen vectors per table
     * no longer fit the 32 registers, and its spills cost more than its fewer slow draws saved). Failed lanes
     * are compressed into the slow draws without a branch: about one vector in three has one, too often to
     * predict. Written out in one method: a vector passed to a method that C2 compiled on its own (small hot
     * methods are) is boxed.
     */
    private static int permuteStep(final int offset, final GaussianWorkspace workspace, int pending) {
        final int[] words = workspace.words();
        final int[] draws = workspace.draws();
        final int[] slowWord = workspace.slowWord();
        final int[] slowOffset = workspace.slowOffset();
        final IntVector e0 = IntVector.fromArray(INT, EDGE, 0);
        final IntVector e1 = IntVector.fromArray(INT, EDGE, 16);
        final IntVector e2 = IntVector.fromArray(INT, EDGE, 32);
        final IntVector e3 = IntVector.fromArray(INT, EDGE, 48);
        final IntVector e4 = IntVector.fromArray(INT, EDGE, 64);
        final IntVector e5 = IntVector.fromArray(INT, EDGE, 80);
        final IntVector e6 = IntVector.fromArray(INT, EDGE, 96);
        final IntVector e7 = IntVector.fromArray(INT, EDGE, 112);
        final IntVector s0 = IntVector.fromArray(INT, SCALE_BITS, 0);
        final IntVector s1 = IntVector.fromArray(INT, SCALE_BITS, 16);
        final IntVector s2 = IntVector.fromArray(INT, SCALE_BITS, 32);
        final IntVector s3 = IntVector.fromArray(INT, SCALE_BITS, 48);
        final IntVector s4 = IntVector.fromArray(INT, SCALE_BITS, 64);
        final IntVector s5 = IntVector.fromArray(INT, SCALE_BITS, 80);
        final IntVector s6 = IntVector.fromArray(INT, SCALE_BITS, 96);
        final IntVector s7 = IntVector.fromArray(INT, SCALE_BITS, 112);
        final IntVector lanes = IntVector.zero(INT).addIndex(1).add(offset);
        for (int w = 0; w < WORDS; w += LANES) {
            final IntVector word = IntVector.fromArray(INT, words, w);
            final IntVector u = word.lanewise(VectorOperators.LSHR, 8);
            final VectorMask<Integer> bit5 = word.and(32).compare(VectorOperators.NE, 0);
            final VectorMask<Integer> bit6 = word.and(64).compare(VectorOperators.NE, 0);
            final IntVector edge = word.selectFrom(e0, e1).blend(word.selectFrom(e2, e3), bit5)
                    .blend(word.selectFrom(e4, e5).blend(word.selectFrom(e6, e7), bit5), bit6);
            final IntVector scale = word.selectFrom(s0, s1).blend(word.selectFrom(s2, s3), bit5)
                    .blend(word.selectFrom(s4, s5).blend(word.selectFrom(s6, s7), bit5), bit6);
            ((FloatVector) u.convert(VectorOperators.I2F, 0)).mul(scale.reinterpretAsFloats()).reinterpretAsInts()
                    .or(word.and(LAYERS).lanewise(VectorOperators.LSHL, 24)).intoArray(draws, w);
            final VectorMask<Integer> failed = u.compare(VectorOperators.GE, edge);
            word.compress(failed).intoArray(slowWord, pending);
            lanes.add(w).compress(failed).intoArray(slowOffset, pending);
            pending += failed.trueCount();
        }
        return pending;
    }

    /**
     * The rectangle test at 4 or 8 lanes, the tables gathered (through an index array, as a gather takes its
     * indices from one): a table would take more permutes than a gather at these widths.
     */
    private static int gatherStep(final int offset, final GaussianWorkspace workspace, int pending) {
        final int[] words = workspace.words();
        final int[] draws = workspace.draws();
        final int[] layers = workspace.layers();
        final int[] slowWord = workspace.slowWord();
        final int[] slowOffset = workspace.slowOffset();
        for (int w = 0; w < WORDS; w += LANES) {
            final IntVector word = IntVector.fromArray(INT, words, w);
            final IntVector u = word.lanewise(VectorOperators.LSHR, 8);
            word.and(LAYERS - 1).intoArray(layers, 0);
            final IntVector edge = IntVector.fromArray(INT, EDGE, 0, layers, 0);
            ((FloatVector) u.convert(VectorOperators.I2F, 0)).mul(FloatVector.fromArray(FLOAT, SCALE, 0, layers, 0))
                    .reinterpretAsInts().or(word.and(LAYERS).lanewise(VectorOperators.LSHL, 24)).intoArray(draws, w);
            for (long failed = u.compare(VectorOperators.GE, edge).toLong(); failed != 0; failed &= failed - 1) {
                final int lane = Long.numberOfTrailingZeros(failed);
                slowWord[pending] = words[w + lane];
                slowOffset[pending++] = offset + w + lane;
            }
        }
        return pending;
    }

    /**
     * The first {@code min(pending, BLOCKS)} slow draws of the workspace: attempt 1's blocks and tests on
     * vectors (the batch's places past the draws hold stale values, computed and ignored); the draw at offset
     * o goes to {@code out} at byte {@code base + 4 o} and is the element {@code start + o}. The draws past the
     * batch move to the front; returns their number.
     */
    private static int slowBatch(final long seed, final RandomStream stream, final GaussianWorkspace workspace,
                         final int pending, final MemorySegment out, final long base, final long start) {
        final int[] blocks = workspace.words();
        final int[] slowWord = workspace.slowWord();
        final int[] slowOffset = workspace.slowOffset();
        final int[] result = workspace.slowResult();
        final long[] block = workspace.slowBlock();
        final long[] sub = workspace.slowSub();
        final int count = Math.min(pending, BLOCKS);
        for (int p = 0; p < count; p++) {
            final long e = start + slowOffset[p];
            block[p] = e >>> 2;
            sub[p] = 4 + (e & 3);
        }
        VectorPhilox.blocks(seed, stream.id(), block, sub, blocks);
        long scalar = 0;
        for (int j = 0; j < BLOCKS; j += LANES) {
            scalar |= testLanes(j, workspace) << j;
        }
        for (int p = 0; p < count; p++) {
            float x = Float.intBitsToFloat(result[p]);
            if ((scalar >>> p & 1) != 0) {
                final long e = start + slowOffset[p];
                x = Ziggurat.test(slowWord[p], blocks, 4 * p);
                if (x != x) {
                    x = Ziggurat.fromWord(seed, stream, e, blocks[4 * p + 3], 2, workspace.block());
                }
            }
            out.set(ValueLayout.JAVA_FLOAT_UNALIGNED, base + (long) slowOffset[p] * Float.BYTES, x);
        }
        System.arraycopy(slowWord, count, slowWord, 0, pending - count);
        System.arraycopy(slowOffset, count, slowOffset, 0, pending - count);
        return pending - count;
    }

    /**
     * Slow draws {@code j .. j + LANES} with attempt 1's blocks in the workspace's words: the wedge test, and
     * for a rejected draw the rectangle test of its next word (s3), results as float bits into the workspace's
     * slow results. Returns the lanes left to the scalar path: the base strip (layer 0) and a rejected draw
     * whose next word fails its rectangle too. The sign is bit 7 of the word, as in {@link Ziggurat#withSign}.
     */
    private static long testLanes(final int j, final GaussianWorkspace workspace) {
        final int[] blocks = workspace.words();
        final int[] layers = workspace.layers();
        final IntVector word = IntVector.fromArray(INT, workspace.slowWord(), j);
        final IntVector layer = word.and(LAYERS - 1);
        layer.intoArray(layers, 0);
        final FloatVector x = ((FloatVector) word.lanewise(VectorOperators.LSHR, 8).convert(VectorOperators.I2F, 0))
                .mul(FloatVector.fromArray(FLOAT, SCALE, 0, layers, 0));
        x.intoArray(workspace.slowX(), 0);
        IntVector.fromArray(INT, blocks, 4 * j, EVERY_FOURTH, 0).lanewise(VectorOperators.LSHR, 8)
                .intoArray(workspace.slowV(), 0);
        final long accepted = wedge(workspace, 0) | wedge(workspace, 1) << HALF;
        final VectorMask<Integer> wedgeAccepts = VectorMask.fromLong(INT, accepted)
                .and(layer.compare(VectorOperators.NE, 0));
        // a rejected draw restarts with word 3 of its block, which nearly always lies in its rectangle
        final IntVector next = IntVector.fromArray(INT, blocks, 4 * j + 3, EVERY_FOURTH, 0);
        next.and(LAYERS - 1).intoArray(layers, 0);
        final IntVector nextU = next.lanewise(VectorOperators.LSHR, 8);
        final VectorMask<Integer> nextInside = nextU.lt(IntVector.fromArray(INT, EDGE, 0, layers, 0));
        final IntVector nextBits = ((FloatVector) nextU.convert(VectorOperators.I2F, 0))
                .mul(FloatVector.fromArray(FLOAT, SCALE, 0, layers, 0)).reinterpretAsInts()
                .or(next.and(LAYERS).lanewise(VectorOperators.LSHL, 24));
        nextBits.blend(x.reinterpretAsInts().or(word.and(LAYERS).lanewise(VectorOperators.LSHL, 24)), wedgeAccepts)
                .intoArray(workspace.slowResult(), j);
        return wedgeAccepts.or(nextInside.and(layer.compare(VectorOperators.NE, 0))).not().toLong();
    }

    /**
     * The wedge test of half {@code half} of the lanes whose candidates, 24-bit uniforms v and layers the
     * workspace holds, in double: {@code F[i+1] + v 2^-24 (F[i] - F[i+1]) < density(x)}, the density as
     * {@link Ziggurat#density} computes it, operation for operation. Returns the lanes that accept, as bits.
     */
    private static long wedge(final GaussianWorkspace workspace, final int half) {
        final int[] layers = workspace.layers();
        final DoubleVector xd = (DoubleVector) FloatVector.fromArray(FLOAT, workspace.slowX(), 0)
                .convertShape(VectorOperators.F2D, DOUBLE, half);
        final DoubleVector vd = ((DoubleVector) IntVector.fromArray(INT, workspace.slowV(), 0)
                .convertShape(VectorOperators.I2D, DOUBLE, half)).mul(0x1.0p-24);
        final DoubleVector low = DoubleVector.fromArray(DOUBLE, F, 0, layers, half * HALF);
        final DoubleVector high = DoubleVector.fromArray(DOUBLE, F, 1, layers, half * HALF);
        final DoubleVector y = high.add(vd.mul(low.sub(high)));
        final DoubleVector z = xd.mul(-0.5).mul(xd);
        final DoubleVector t = z.mul(Ziggurat.LOG2E).add(Ziggurat.ROUNDER);
        final DoubleVector k = t.sub(Ziggurat.ROUNDER);
        final DoubleVector r = z.sub(k.mul(Ziggurat.LN2_HI)).sub(k.mul(Ziggurat.LN2_LO));
        DoubleVector p = DoubleVector.broadcast(DOUBLE, Ziggurat.TAYLOR[0]);
        for (int n = 1; n < Ziggurat.TAYLOR.length; n++) {
            p = p.mul(r).add(Ziggurat.TAYLOR[n]);
        }
        p = p.mul(r).add(1).mul(r).add(1);
        final DoubleVector scale = t.reinterpretAsLongs().sub(Ziggurat.ROUNDER_BITS).add(1023)
                .lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
        return y.lt(p.mul(scale)).toLong();
    }
}
