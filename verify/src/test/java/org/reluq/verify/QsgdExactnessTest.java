package org.reluq.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.quant.Qsgd;
import org.reluq.kernels.quant.QsgdParams;
import org.reluq.kernels.quant.QsgdWorkspace;
import org.reluq.kernels.random.Dithers;
import org.reluq.kernels.warmup.KernelFamily;
import org.reluq.kernels.warmup.KernelPath;

/**
 * The vector dithers, quantizer and decoder equal {@link ReferenceQsgd} bit for bit, over awkward lengths,
 * bucket sizes, level counts and scales (vectors have at least one coordinate: an {@code OffHeapVector} is never
 * empty). Tagged "species": the build runs it at 128, 256 and 512 bits.
 */
@Tag("species")
@ParameterizedClass(name = "{0} path")
@EnumSource(KernelPath.class)
class QsgdExactnessTest extends OnEveryPath {

    @Override
    KernelFamily[] families() {
        return new KernelFamily[] {KernelFamily.QUANTIZE, KernelFamily.PACKING};
    }

    private static final int[] LEVELS = {1, 2, 3, 4, 16, 127, QsgdParams.MAX_LEVELS};
    private static final int[] EXP_LEVELS = {1, 2, 3, 5, 8, 24, QsgdParams.MAX_EXP_LEVELS};

    /** How a test vector's entries are drawn. */
    enum Content {
        GAUSSIAN, SPARSE, HUGE, TINY, SUBNORMAL, MIXED, EQUAL
    }

    static Stream<Arguments> cases() {
        final List<Arguments> cases = new ArrayList<>();
        final SplittableRandom random = new SplittableRandom(31);
        final int[] lengths = {1, 2, 3, 7, 15, 16, 17, 31, 32, 33, 97, 255, 256, 257, 511, 513, 1000, 4099, 10000};
        final Content[] contents = Content.values();
        int k = 0;
        for (final int d : lengths) {
            final boolean exp = k % 3 == 2;
            cases.add(Arguments.of(d, bucketFor(d, random), (exp ? EXP_LEVELS : LEVELS)[k % LEVELS.length],
                    contents[k % contents.length], k % 2 == 1, k / 2 % 2 == 1, exp, random.nextLong()));
            k++;
        }
        for (int i = 0; i < 40; i++) {
            final int d = 1 + random.nextInt(10_000);
            final boolean exp = random.nextInt(3) == 0;
            cases.add(Arguments.of(d, bucketFor(d, random), (exp ? EXP_LEVELS : LEVELS)[random.nextInt(LEVELS.length)],
                    contents[random.nextInt(contents.length)], random.nextBoolean(), random.nextBoolean(), exp,
                    random.nextLong()));
        }
        return cases.stream();
    }

    private static int bucketFor(final int d, final SplittableRandom random) {
        final int[] buckets = {0, 1, 5, 16, 100, 512, d + 3};
        return buckets[random.nextInt(buckets.length)];
    }

    static float[] vector(final int d, final Content content, final SplittableRandom random) {
        final float[] v = new float[d];
        for (int j = 0; j < d; j++) {
            final double g = random.nextGaussian();
            v[j] = (float) switch (content) {
                case GAUSSIAN -> g;
                case SPARSE -> random.nextInt(10) == 0 ? g : (random.nextBoolean() ? 0.0 : -0.0);
                case HUGE -> g * 1e36;
                case TINY -> g * 1e-30;
                case SUBNORMAL -> g * 1e-42;
                case MIXED -> g * Math.pow(10, random.nextDouble(-20, 20));
                case EQUAL -> random.nextBoolean() ? 0.5 : -0.5;
            };
        }
        return v;
    }

    @ParameterizedTest(name = "d={0} bucket={1} s={2} {3} max={4} dither16={5} exp={6}")
    @MethodSource("cases")
    void quantizeAndDecodeMatchTheReferenceBitForBit(final int d, final int bucket, final int s,
                                                    final Content content, final boolean maxNorm,
                                                    final boolean dither16, final boolean exp, final long seed) {
        final SplittableRandom random = new SplittableRandom(seed);
        final float[] v = vector(d, content, random);
        final long stream = random.nextLong();
        final QsgdParams params = new QsgdParams(s, bucket, maxNorm ? QsgdParams.Norm.MAX : QsgdParams.Norm.L2,
                dither16 ? QsgdParams.DitherWidth.BITS_16 : QsgdParams.DitherWidth.BITS_32,
                exp ? QsgdParams.Spacing.EXP : QsgdParams.Spacing.UNIFORM);
        final ReferenceQsgd.Quantized expected = ReferenceQsgd.quantize(v, s, bucket, maxNorm, dither16, exp, seed,
                stream);
        try (Arena arena = Arena.ofConfined(); OffHeapVector in = OffHeapVector.of(v);
             OffHeapVector acc = OffHeapVector.allocate(d)) {
            final MemorySegment codes = arena.allocate(4L * d, 64);
            final float[] norms = new float[params.bucketCount(d)];
            Qsgd.quantize(in, params, seed, stream, norms, codes, new QsgdWorkspace());
            assertArrayEquals(expected.norms(), norms, "norms");
            final int[] actual = codes.toArray(ValueLayout.JAVA_INT);
            assertArrayEquals(expected.codes(), actual, "codes");

            final float[] reference = new float[d];
            for (int j = 0; j < d; j++) {
                reference[j] = (float) random.nextGaussian();
            }
            acc.copyFrom(reference);
            final float scale = 0.25f;
            Qsgd.decodeAccumulate(codes, norms, params, scale, acc);
            ReferenceQsgd.decodeAccumulate(expected, s, bucket, exp, scale, reference);
            assertArrayEquals(reference, acc.toArray(), "decode-and-accumulate");
        }
    }

    /** At s = 1 and 2 exponential levels are uniform ones (0, 1 and 0, 1/2, 1): the same norms, codes and sums. */
    @ParameterizedTest(name = "s={0} max={1}")
    @CsvSource({"1,false", "1,true", "2,false", "2,true"})
    void exponentialLevelsAtOneAndTwoAreTheUniformOnes(final int s, final boolean maxNorm) {
        final int d = 3001;
        final float[] v = vector(d, Content.MIXED, new SplittableRandom(s));
        final QsgdParams.Norm norm = maxNorm ? QsgdParams.Norm.MAX : QsgdParams.Norm.L2;
        final QsgdParams uniform = new QsgdParams(s, 100, norm, QsgdParams.DitherWidth.BITS_32,
                QsgdParams.Spacing.UNIFORM);
        final QsgdParams exp = new QsgdParams(s, 100, norm, QsgdParams.DitherWidth.BITS_32, QsgdParams.Spacing.EXP);
        // buckets of 100: min(sqrt(b) g, b g^2 / 4) is the uniform bound for either norm here, exp adds 1/8 at s = 2
        assertEquals(uniform.varianceFactor(d) + (s == 2 ? 0.125 : 0), exp.varianceFactor(d), 1e-12, "the bounds");
        try (Arena arena = Arena.ofConfined(); OffHeapVector in = OffHeapVector.of(v);
             OffHeapVector a = OffHeapVector.allocate(d); OffHeapVector b = OffHeapVector.allocate(d)) {
            final MemorySegment codesU = arena.allocate(4L * d, 64);
            final MemorySegment codesE = arena.allocate(4L * d, 64);
            final float[] normsU = new float[uniform.bucketCount(d)];
            final float[] normsE = new float[exp.bucketCount(d)];
            Qsgd.quantize(in, uniform, 7, 8, normsU, codesU, new QsgdWorkspace());
            Qsgd.quantize(in, exp, 7, 8, normsE, codesE, new QsgdWorkspace());
            assertArrayEquals(normsU, normsE, "norms");
            assertArrayEquals(codesU.toArray(ValueLayout.JAVA_INT), codesE.toArray(ValueLayout.JAVA_INT), "codes");
            Qsgd.decodeAccumulate(codesU, normsU, uniform, 0.75f, a);
            Qsgd.decodeAccumulate(codesE, normsE, exp, 0.75f, b);
            assertArrayEquals(a.toArray(), b.toArray(), "decoded");
        }
    }

    @Test
    void dithersMatchTheScalarPathAndTheReference() {
        final SplittableRandom random = new SplittableRandom(5);
        final float[] chunk = new float[Dithers.CHUNK];
        for (int t = 0; t < 200; t++) {
            final long seed = random.nextLong();
            final long stream = t % 2 == 0 ? random.nextLong() : random.nextInt(8);
            final long first = 4 * random.nextLong((1L << 31) - Dithers.CHUNK / 4);
            Dithers.fillChunk(seed, stream, first, chunk, 0, new int[Dithers.WORDS]);
            for (int i = 0; i < Dithers.CHUNK; i++) {
                final float expected = ReferenceQsgd.dither(seed, stream, first + i);
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(chunk[i]), "dither " + (first + i));
                assertEquals(Float.floatToRawIntBits(expected),
                        Float.floatToRawIntBits(Dithers.at(seed, stream, first + i)), "scalar dither " + (first + i));
            }
        }
    }

    @Test
    void sixteenBitDithersMatchTheScalarPathAndTheReference() {
        final SplittableRandom random = new SplittableRandom(6);
        final float[] chunk = new float[Dithers.CHUNK];
        for (int t = 0; t < 200; t++) {
            final long seed = random.nextLong();
            final long stream = t % 2 == 0 ? random.nextLong() : random.nextInt(8);
            final long first = 128 * random.nextLong((1L << 26) - Dithers.CHUNK / 128);
            Dithers.fillChunk16(seed, stream, first, chunk, 0, new int[Dithers.WORDS]);
            for (int i = 0; i < Dithers.CHUNK; i++) {
                final float expected = ReferenceQsgd.dither16(seed, stream, first + i);
                assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(chunk[i]), "dither " + (first + i));
                assertEquals(Float.floatToRawIntBits(expected),
                        Float.floatToRawIntBits(Dithers.at16(seed, stream, first + i)), "scalar dither " + (first + i));
            }
        }
    }

    /**
     * The 16-bit dithers' bias, exactly: rounding a fraction p up when {@code u < p}, over all 2^16 values u the
     * dithers take, has probability within 2^-17 of p (the half-step offset), for fractions on a fine grid and at
     * the cells' edges; the values without the offset, {@code k 2^-16}, would miss by up to 2^-16.
     */
    @Test
    void sixteenBitDithersRoundWithinHalfAStepOfUnbiased() {
        final float[] values = new float[1 << 16];
        for (int k = 0; k < values.length; k++) {
            values[k] = (2 * k + 1) / 131072f;
        }
        double worst = 0;
        double worstWithoutOffset = 0;
        final SplittableRandom random = new SplittableRandom(8);
        for (int t = 0; t < 3000; t++) {
            final float p = t < 1000 ? t / 1000f : t < 2000 ? (t - 1000) * 0x1.0p-16f + random.nextInt(2) * 0x1.0p-17f
                    : random.nextFloat();
            long up = 0;
            long upWithoutOffset = 0;
            for (int k = 0; k < values.length; k++) {
                up += values[k] < p ? 1 : 0;
                upWithoutOffset += k * 0x1.0p-16f < p ? 1 : 0;
            }
            worst = Math.max(worst, Math.abs(up * 0x1.0p-16 - p));
            worstWithoutOffset = Math.max(worstWithoutOffset, Math.abs(upWithoutOffset * 0x1.0p-16 - p));
        }
        assertTrue(worst <= 0x1.0p-17, "16-bit dither bias " + worst + " above 2^-17");
        assertTrue(worstWithoutOffset > 0x1.0p-17, "the grid does not reach the cells' edges: " + worstWithoutOffset);
    }

    @Test
    void zeroVectorsQuantizeToZeroAndNegativeZeroHasNoSign() {
        final float[] v = {0f, -0f, 0f, -0f, 0f};
        try (Arena arena = Arena.ofConfined(); OffHeapVector in = OffHeapVector.of(v)) {
            final MemorySegment codes = arena.allocate(4L * v.length, 64);
            codes.fill((byte) 0x55);
            final float[] norms = {7f};
            Qsgd.quantize(in, new QsgdParams(4, 0), 1, 2, norms, codes, new QsgdWorkspace());
            assertEquals(0f, norms[0]);
            assertArrayEquals(new int[v.length], codes.toArray(ValueLayout.JAVA_INT));
        }
    }

    @Test
    void nonFiniteEntriesAreRejectedByIndex() {
        for (final float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
            final float[] v = new float[300];
            v[3] = 1f;
            v[217] = bad;
            try (Arena arena = Arena.ofConfined(); OffHeapVector in = OffHeapVector.of(v)) {
                final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> Qsgd.quantize(in, new QsgdParams(4, 100), 1, 2, new float[3], arena.allocate(1200),
                                new QsgdWorkspace()));
                assertTrue(e.getMessage().contains("v[217] = " + bad), e.getMessage());
            }
        }
    }

    @Test
    void aNormBeyondFloatRangeIsRejected() {
        final float[] v = {3e38f, 3e38f, 1f};
        try (Arena arena = Arena.ofConfined(); OffHeapVector in = OffHeapVector.of(v)) {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Qsgd.quantize(in, new QsgdParams(1, 2), 1, 2, new float[2], arena.allocate(12),
                            new QsgdWorkspace()));
            assertTrue(e.getMessage().contains("bucket 0"), e.getMessage());
        }
    }

    @Test
    void badParametersAndOutputsAreNamed() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new QsgdParams(0, 0)).getMessage().contains("s = 0"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new QsgdParams(1 << 16, 0)).getMessage()
                .contains("65536"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new QsgdParams(4, -1)).getMessage()
                .contains("bucket = -1"));
        try (Arena arena = Arena.ofConfined(); OffHeapVector in = OffHeapVector.allocate(10)) {
            final QsgdParams params = new QsgdParams(4, 4);
            assertTrue(assertThrows(IllegalArgumentException.class,
                    () -> Qsgd.quantize(in, params, 1, 2, new float[2], arena.allocate(40), new QsgdWorkspace()))
                    .getMessage()
                    .contains("3 buckets"));
            assertTrue(assertThrows(IllegalArgumentException.class,
                    () -> Qsgd.quantize(in, params, 1, 2, new float[3], arena.allocate(36), new QsgdWorkspace()))
                    .getMessage()
                    .contains("need 40"));
        }
    }

    @Test
    void decodingRejectsLevelsAboveSAndBadNorms() {
        try (Arena arena = Arena.ofConfined(); OffHeapVector acc = OffHeapVector.allocate(20)) {
            final MemorySegment codes = arena.allocate(80);
            codes.setAtIndex(ValueLayout.JAVA_INT, 19, (5 << 1) | 1);
            final QsgdParams params = new QsgdParams(4, 0);
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Qsgd.decodeAccumulate(codes, new float[] {1f}, params, 1f, acc));
            assertTrue(e.getMessage().contains("coordinate 19 has level 5 above s = 4"), e.getMessage());
            codes.setAtIndex(ValueLayout.JAVA_INT, 19, -1);
            assertThrows(IllegalArgumentException.class, () -> Qsgd.decodeAccumulate(codes, new float[] {1f}, params, 1f, acc));
            codes.setAtIndex(ValueLayout.JAVA_INT, 19, 0);
            // coordinate 19 is in the masked last vector at 256 and 512 bits; coordinate 3 in a whole one at any width
            codes.setAtIndex(ValueLayout.JAVA_INT, 3, 6 << 1);
            final IllegalArgumentException whole = assertThrows(IllegalArgumentException.class,
                    () -> Qsgd.decodeAccumulate(codes, new float[] {1f}, params, 1f, acc));
            assertTrue(whole.getMessage().contains("coordinate 3 has level 6 above s = 4"), whole.getMessage());
            codes.setAtIndex(ValueLayout.JAVA_INT, 3, 0);
            for (final float norm : new float[] {-1f, Float.NaN, Float.POSITIVE_INFINITY}) {
                assertThrows(IllegalArgumentException.class,
                        () -> Qsgd.decodeAccumulate(codes, new float[] {norm}, params, 1f, acc), "norm " + norm);
            }
        }
    }
}
