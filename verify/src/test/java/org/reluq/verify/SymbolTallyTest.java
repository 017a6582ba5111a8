package org.reluq.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.reluq.kernels.codec.MalformedFrameException;
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.encoder.EncoderState;
import org.reluq.kernels.encoder.Encoders;
import org.reluq.kernels.encoder.Frame;
import org.reluq.kernels.encoder.SymbolTally;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.warmup.KernelFamily;
import org.reluq.kernels.warmup.KernelPath;

/**
 * {@link Encoder#tally}: every encoder's tally of a frame is the histogram a reference derives from the vector
 * (its float bits, the reference QSGD codes, the decoded values' signs and exponents) plus the fields it sends as
 * they are; the three QSGD codes tally the same information; the information never exceeds the frame; a bad
 * frame is refused before anything is counted.
 */
@ParameterizedClass(name = "{0} path")
@EnumSource(KernelPath.class)
class SymbolTallyTest extends OnEveryPath {

    private static final double HEADER_BITS = 8.0 * Frame.HEADER_BYTES;

    @Override
    KernelFamily[] families() {
        return new KernelFamily[] {KernelFamily.QUANTIZE, KernelFamily.PACKING};
    }

    static Stream<Arguments> cases() {
        final List<Arguments> cases = new ArrayList<>();
        final SplittableRandom random = new SplittableRandom(2026);
        for (final String spec : EncoderRoundTripTest.SPECS) {
            for (final int d : new int[] {1, 17, 513, 4097, 8200}) {
                cases.add(Arguments.of(spec, d, random.nextLong()));
            }
        }
        return cases.stream();
    }

    /** What a reference expects a frame to tally: stream histograms by name and the verbatim bits. */
    private record Expected(Map<String, Map<Long, Long>> streams, double verbatim) {
    }

    @ParameterizedTest(name = "{0} d={1}")
    @MethodSource("cases")
    void aFrameTalliesWhatTheReferenceDerives(final String spec, final int d, final long seed) {
        final Encoder encoder = Encoders.parse(spec);
        final float[] v = QsgdExactnessTest.vector(d, QsgdExactnessTest.Content.GAUSSIAN, new SplittableRandom(seed));
        final byte[] frame = TestData.frame(encoder, v, seed, 3);
        final SymbolTally tally = new SymbolTally();
        final float[] decoded;
        final float[] tallied;
        try (EncoderState state = encoder.newState(d); OffHeapVector out = OffHeapVector.allocate(d)) {
            encoder.decode(new UnsafeBuffer(frame), 0, frame.length, state, out);
            decoded = out.toArray();
            out.clear();
            encoder.tally(new UnsafeBuffer(frame), 0, frame.length, state, out, tally);
            tallied = out.toArray();
        }
        assertArrayEquals(decoded, tallied, "tally decodes as decode does");
        assertEquals(1, tally.frames());
        final Expected expected = expected(encoder, v, decoded, frame, seed);
        assertEquals(expected.streams().keySet(), tally.streams().keySet(), "streams");
        for (final var e : expected.streams().entrySet()) {
            final SymbolTally.Stream stream = tally.streams().get(e.getKey());
            assertEquals(e.getValue().values().stream().mapToLong(Long::longValue).sum(), stream.count(),
                    e.getKey() + " count");
            assertEquals(entropy(e.getValue()), stream.entropyBits(), 1e-9 * (1 + stream.entropyBits()),
                    e.getKey() + " entropy");
        }
        assertEquals(expected.verbatim(), tally.verbatimBits(), 1e-9 * expected.verbatim(), "verbatim bits");
        assertTrue(tally.bitsPerFrame() <= 8.0 * frame.length + 1e-9,
                spec + ": " + tally.bitsPerFrame() + " bits of information in a frame of " + 8 * frame.length);
    }

    /** The tally a reference derives, family by family, from the vector, its decoding and (randk) the values sent. */
    private static Expected expected(final Encoder encoder, final float[] v, final float[] decoded, final byte[] frame,
                                     final long seed) {
        final String spec = encoder.spec();
        final int d = v.length;
        final Map<String, Map<Long, Long>> streams = new TreeMap<>();
        if (spec.equals("fp32")) {
            for (final float x : v) {
                count(streams, "float32 sign and exponent", Float.floatToRawIntBits(x) >>> 23);
            }
            return new Expected(streams, HEADER_BITS + 23.0 * d);
        }
        if (spec.equals("bf16") || spec.equals("fp16")) {
            for (final float x : decoded) {
                // the decoded value is the format's, so its bits are exact
                count(streams, spec + " sign and exponent", spec.equals("bf16") ? Float.floatToRawIntBits(x) >>> 23
                        : (Float.floatToFloat16(x) & 0xFFFF) >>> 10);
            }
            return new Expected(streams, HEADER_BITS + (spec.equals("bf16") ? 7.0 : 10.0) * d);
        }
        if (spec.equals("sign")) {
            for (final float x : v) {
                count(streams, "signs", x < 0 ? 1 : 0);
            }
            return new Expected(streams, HEADER_BITS + 32);
        }
        if (spec.equals("natural")) {
            for (final float x : decoded) {
                final int bits = Float.floatToRawIntBits(x);
                count(streams, "codes (exponent << 1 | sign)", x == 0 ? 0 : (bits >>> 23 & 0xFF) << 1 | bits >>> 31);
            }
            return new Expected(streams, HEADER_BITS);
        }
        if (spec.startsWith("topk")) {
            final int kept = Math.min(Integer.parseInt(spec.substring("topk:k=".length())), d);
            for (final float x : decoded) {
                if (x != 0) {
                    count(streams, "float32 sign and exponent", Float.floatToRawIntBits(x) >>> 23);
                }
            }
            return new Expected(streams, HEADER_BITS + log2Binomial(d, kept) + 23.0 * kept);
        }
        if (spec.startsWith("randk")) {
            final int kept = Math.min(Integer.parseInt(spec.substring("randk:k=".length())), d);
            final ByteBuffer payload = ByteBuffer.wrap(frame, Frame.HEADER_BYTES, 4 * kept).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < kept; i++) {
                count(streams, "float32 sign and exponent", Float.floatToRawIntBits(payload.getFloat()) >>> 23);
            }
            return new Expected(streams, HEADER_BITS + 23.0 * kept);
        }
        final String codes = "codes (level << 1 | sign)";
        if (spec.startsWith("terngrad")) {
            // one level: 0 decodes to 0, code 2 to +N, code 3 to -N
            for (final float x : decoded) {
                count(streams, codes, x == 0 ? 0 : x > 0 ? 2 : 3);
            }
            final String bucket = spec.replaceAll(".*bucket=([a-z0-9]+).*", "$1");
            return new Expected(streams, HEADER_BITS + 32.0 * buckets(d, bucket.equals("none") ? 0
                    : Integer.parseInt(bucket)));
        }
        final String[] parts = spec.substring("qsgd:".length()).split(",");
        final int s = Integer.parseInt(parts[0].substring(2));
        final int bucket = parts[1].equals("bucket=none") ? 0 : Integer.parseInt(parts[1].substring(7));
        final ReferenceQsgd.Quantized q = ReferenceQsgd.quantize(v, s, bucket, spec.contains("norm=max"),
                spec.contains("dither=16"), spec.contains("levels=exp"), seed, 3);
        for (final int code : q.codes()) {
            count(streams, codes, code);
        }
        return new Expected(streams, HEADER_BITS + 32.0 * q.norms().length);
    }

    private static int buckets(final int d, final int bucket) {
        return bucket == 0 || bucket >= d ? 1 : (d + bucket - 1) / bucket;
    }

    private static void count(final Map<String, Map<Long, Long>> streams, final String name, final long symbol) {
        streams.computeIfAbsent(name, n -> new TreeMap<>()).merge(symbol, 1L, Long::sum);
    }

    private static double entropy(final Map<Long, Long> histogram) {
        final double n = histogram.values().stream().mapToLong(Long::longValue).sum();
        double bits = 0;
        for (final long c : histogram.values()) {
            bits -= c * Math.log(c / n) / Math.log(2);
        }
        return bits;
    }

    /** log2 C(d, k) from the product formula in binary64. */
    private static double log2Binomial(final int d, final int k) {
        double bits = 0;
        for (int i = 1; i <= k; i++) {
            bits += Math.log((double) (d - k + i) / i) / Math.log(2);
        }
        return bits;
    }

    /** Packed, Elias and rANS frames of one quantizer tally the same codes and norms, frame after frame. */
    @ParameterizedTest
    @ValueSource(strings = {"qsgd:s=1,bucket=512", "qsgd:s=4,bucket=none", "qsgd:s=6,bucket=100,levels=exp",
        "qsgd:s=127,bucket=512,norm=max,dither=16"})
    void theThreeQsgdCodesTallyTheSameInformation(final String quantizer) {
        final int d = 3000;
        final double[] bits = new double[3];
        final String[] codes = {"packed", "elias", "rans"};
        for (int c = 0; c < 3; c++) {
            final Encoder encoder = Encoders.parse(quantizer + ",code=" + codes[c]);
            final SymbolTally tally = new SymbolTally();
            try (EncoderState state = encoder.newState(d); OffHeapVector out = OffHeapVector.allocate(d)) {
                for (int f = 0; f < 5; f++) {
                    final float[] v = QsgdExactnessTest.vector(d, QsgdExactnessTest.Content.MIXED,
                            new SplittableRandom(f));
                    final byte[] frame = TestData.frame(encoder, v, 9, f);
                    encoder.tally(new UnsafeBuffer(frame), 0, frame.length, state, out, tally);
                }
            }
            assertEquals(5, tally.frames());
            bits[c] = tally.bits();
        }
        assertEquals(bits[0], bits[1], 0, "elias against packed");
        assertEquals(bits[0], bits[2], 0, "rans against packed");
    }

    @Test
    void errorFeedbackTalliesItsInnerEncodersFrames() {
        final float[] v = QsgdExactnessTest.vector(700, QsgdExactnessTest.Content.GAUSSIAN, new SplittableRandom(4));
        final Encoder ef = Encoders.parse("ef(topk:k=20)");
        final Encoder inner = Encoders.parse("topk:k=20");
        final byte[] frame = TestData.frame(ef, v, 1, 2);
        final SymbolTally outer = new SymbolTally();
        final SymbolTally plain = new SymbolTally();
        try (EncoderState a = ef.newState(700); EncoderState b = inner.newState(700);
             OffHeapVector out = OffHeapVector.allocate(700)) {
            ef.tally(new UnsafeBuffer(frame), 0, frame.length, a, out, outer);
            inner.tally(new UnsafeBuffer(frame), 0, frame.length, b, out, plain);
        }
        assertEquals(plain.bits(), outer.bits(), 0);
        assertEquals(1, outer.frames());
    }

    @Test
    void aBadFrameIsRefusedBeforeAnythingIsCounted() {
        final Encoder encoder = Encoders.parse("qsgd:s=4,bucket=512,code=packed");
        final byte[] frame = TestData.frame(encoder, QsgdExactnessTest.vector(600, QsgdExactnessTest.Content.GAUSSIAN,
                new SplittableRandom(5)), 1, 2);
        frame[Frame.HEADER_BYTES] = (byte) 0xFF;
        frame[Frame.HEADER_BYTES + 3] = (byte) 0xFF; // the first norm is now NaN
        TestData.repairCrc(frame);
        final SymbolTally tally = new SymbolTally();
        try (EncoderState state = encoder.newState(600); OffHeapVector out = OffHeapVector.allocate(600)) {
            assertThrows(MalformedFrameException.class,
                    () -> encoder.tally(new UnsafeBuffer(frame), 0, frame.length, state, out, tally));
        }
        assertEquals(0, tally.frames());
        assertEquals(0, tally.bits());
    }

    @Test
    void entropyIsTheOrderZeroPlugInEstimate() {
        final SymbolTally tally = new SymbolTally();
        final SymbolTally.Stream stream = tally.stream("x");
        stream.add(0);
        stream.add(0);
        stream.add(1);
        stream.add(1);
        assertEquals(4, stream.entropyBits(), 1e-12, "two equally likely symbols, 4 draws");
        stream.add(5_000_000, 4);
        assertEquals(8 * 1.5, stream.entropyBits(), 1e-12, "1/4, 1/4, 1/2: 1.5 bits each");
        tally.subset(10, 3);
        assertEquals(Math.log(120) / Math.log(2), tally.verbatimBits(), 1e-12, "C(10, 3) = 120");
        assertThrows(IllegalArgumentException.class, () -> tally.verbatim(-1));
        assertThrows(IllegalArgumentException.class, () -> tally.subset(3, 4));
        assertEquals(Double.NaN, tally.bitsPerFrame(), "no frame yet");
    }
}
