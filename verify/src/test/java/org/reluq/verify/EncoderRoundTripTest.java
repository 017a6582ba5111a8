package org.reluq.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.encoder.EncoderState;
import org.reluq.kernels.encoder.Encoders;
import org.reluq.kernels.encoder.Frame;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.parallel.KernelPool;
import org.reluq.kernels.quant.QsgdParams;
import org.reluq.kernels.warmup.KernelFamily;
import org.reluq.kernels.warmup.KernelPath;

/**
 * Every encoder's frames decode to exactly the reference's dequantized vector (fp32: the vector itself),
 * on heap and off-heap buffers, and the bytes of a frame do not depend on the run or the vector width
 * (tagged "species": the build runs it at 128, 256 and 512 bits against the same golden CRCs).
 */
@Tag("species")
@ParameterizedClass(name = "{0} path")
@EnumSource(KernelPath.class)
class EncoderRoundTripTest extends OnEveryPath {

    @Override
    KernelFamily[] families() {
        return new KernelFamily[] {KernelFamily.QUANTIZE, KernelFamily.PACKING};
    }

    static final String[] SPECS = {"fp32", "fp16", "bf16", "sign", "qsgd:s=1,bucket=none,code=packed", "qsgd:s=4,bucket=512,code=packed",
        "qsgd:s=127,bucket=100,code=packed", "qsgd:s=32768,bucket=7,code=packed", "qsgd:s=1,code=elias",
        "qsgd:s=4,bucket=512,code=elias", "qsgd:s=16,bucket=33,code=elias", "qsgd:s=32768,code=elias",
        "qsgd:s=4,bucket=512,norm=max,dither=16,code=packed", "qsgd:s=16,bucket=none,dither=16,code=packed",
        "qsgd:s=1,bucket=1024,norm=max,code=packed", "qsgd:s=2,bucket=100,norm=max,dither=16,code=elias",
        "qsgd:s=1,bucket=512,code=rans", "qsgd:s=4,bucket=none,code=rans",
        "qsgd:s=127,bucket=100,norm=max,dither=16,code=rans", "qsgd:s=6,bucket=512,levels=exp,code=packed",
        "qsgd:s=32,bucket=100,norm=max,dither=16,levels=exp,code=packed", "qsgd:s=4,bucket=none,levels=exp,code=elias",
        "qsgd:s=8,bucket=512,levels=exp,code=rans", "natural", "terngrad:bucket=none,clip=none", "terngrad:bucket=512,clip=2.5", "terngrad:bucket=100,clip=1.0",
        "topk:k=1", "topk:k=10", "topk:k=5000", "randk:k=1", "randk:k=7", "randk:k=3000"};

    static Stream<Arguments> cases() {
        final List<Arguments> cases = new ArrayList<>();
        final SplittableRandom random = new SplittableRandom(77);
        final int[] lengths = {1, 2, 3, 15, 16, 17, 255, 256, 511, 512, 513, 4095, 4096, 4097, 8200};
        for (final String spec : SPECS) {
            for (final int d : lengths) {
                cases.add(Arguments.of(spec, d, random.nextLong()));
            }
            cases.add(Arguments.of(spec, 1 + random.nextInt(10_000), random.nextLong()));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} d={1}")
    @MethodSource("cases")
    void framesDecodeToTheReferenceQuantization(final String spec, final int d, final long seed) {
        final Encoder encoder = Encoders.parse(spec);
        assertEquals(encoder.spec(), Encoders.parse(encoder.spec()).spec(), "spec round trip");
        assertEquals(encoder, Encoders.parse(encoder.spec()), "the encoder its spec parses to");
        assertEquals(encoder.hashCode(), Encoders.parse(encoder.spec()).hashCode(), "hash of an equal encoder");
        final SplittableRandom random = new SplittableRandom(seed);
        final float[] v = QsgdExactnessTest.vector(d, QsgdExactnessTest.Content.GAUSSIAN, random);
        final long stream = random.nextLong();
        final float[] expected = expectedDecoding(encoder, v, seed, stream);
        final int capacity = encoder.maxFrameBytes(d);
        final UnsafeBuffer heap = new UnsafeBuffer(new byte[capacity + 11]);
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(capacity + 11));
        try (OffHeapVector g = OffHeapVector.of(v); OffHeapVector out = OffHeapVector.allocate(d);
             EncoderState state = encoder.newState(d)) {
            final int length = encoder.encode(g, seed, stream, state, heap, 11);
            assertTrue(length <= capacity, length + " > maxFrameBytes " + capacity);
            assertEquals(length, encoder.encode(g, seed, stream, state, direct, 3), "same length off heap");
            // a frame does not say whether terngrad clipped, and decodes the same either way
            assertEquals(encoder.spec().startsWith("terngrad") ? Encoders.parse(encoder.spec().replaceAll(
                    "clip=.*", "clip=none")) : encoder, Encoders.forFrame(heap, 11),
                    "the encoder its frame's header names");
            final byte[] bytes = new byte[length];
            heap.getBytes(11, bytes);
            final byte[] again = new byte[length];
            direct.getBytes(3, again);
            assertArrayEquals(bytes, again, "frame bytes on and off heap");
            encoder.decode(heap, 11, length, state, out);
            assertArrayEquals(expected, out.toArray(), "decoded");
            out.clear();
            encoder.decode(direct, 3, length, state, out);
            assertArrayEquals(expected, out.toArray(), "decoded off heap");
        }
    }

    /**
     * The reference's decoding: fp32 is the vector itself, fp16 and bf16 its rounding, sign the mean magnitude with
     * each coordinate's sign, qsgd the dequantized
     * reference quantization.
     */
    private static float[] expectedDecoding(final Encoder encoder, final float[] v, final long seed, final long stream) {
        if (encoder.spec().equals("fp32")) {
            return v.clone();
        }
        if (encoder.spec().equals("sign")) {
            // the definition: one scale, the mean magnitude summed in double and rounded once, and each sign
            double sum = 0;
            for (final float x : v) {
                sum += Math.abs(x);
            }
            final float m = (float) (sum / v.length);
            final float[] out = new float[v.length];
            for (int j = 0; j < v.length; j++) {
                out[j] = v[j] < 0 && m > 0 ? -m : m;
            }
            return out;
        }
        if (encoder.spec().equals("fp16") || encoder.spec().equals("bf16")) {
            final float[] out = new float[v.length];
            for (int j = 0; j < v.length; j++) {
                // decode is fma(value, 1, +0): a -0 value comes out +0
                out[j] = (encoder.spec().equals("fp16") ? ReferenceHalf.fp16ValueOf(ReferenceHalf.fp16(v[j]))
                        : ReferenceHalf.bf16Value(ReferenceHalf.bf16(v[j]))) + 0f;
            }
            return out;
        }
        final String spec = encoder.spec();
        if (spec.equals("natural")) {
            return ReferenceEncoders.natural(v, seed, stream);
        }
        if (spec.startsWith("topk:k=")) {
            return ReferenceEncoders.topk(v, Integer.parseInt(spec.substring(7)));
        }
        if (spec.startsWith("randk:k=")) {
            return ReferenceEncoders.randk(v, Integer.parseInt(spec.substring(8)), seed, stream);
        }
        if (spec.startsWith("terngrad:")) {
            final String[] parts = spec.substring("terngrad:".length()).split(",");
            final int bucket = parts[0].equals("bucket=none") ? 0 : Integer.parseInt(parts[0].substring(7));
            final float clip = parts[1].equals("clip=none") ? 0 : Float.parseFloat(parts[1].substring(5));
            return ReferenceEncoders.terngrad(v, bucket, clip, seed, stream);
        }
        final String[] parts = spec.substring("qsgd:".length()).split(",");
        final int s = Integer.parseInt(parts[0].substring(2));
        final int bucket = parts[1].equals("bucket=none") ? 0 : Integer.parseInt(parts[1].substring(7));
        final ReferenceQsgd.Quantized q = ReferenceQsgd.quantize(v, s, bucket, spec.contains("norm=max"),
                spec.contains("dither=16"), spec.contains("levels=exp"), seed, stream);
        final float[] out = new float[v.length];
        ReferenceQsgd.decodeAccumulate(q, s, bucket, spec.contains("levels=exp"), 1f, out);
        if (encoder.spec().endsWith("elias")) {
            // the sparse decoder writes only nonzeros, so zero coordinates keep +0 (packed computes fma(0, c, 0))
            for (int j = 0; j < out.length; j++) {
                if (q.codes()[j] == 0) {
                    out[j] = 0f;
                }
            }
        }
        return out;
    }

    /**
     * The packed payload is, byte for byte, the reference's norms (float32 little-endian) followed by its codes
     * packed by the reference packer: whole blocks in one bucket (bucket none or a multiple of 512), which the
     * encoder quantizes and packs in one pass, as well as other buckets and the coordinates after the last block.
     */
    @ParameterizedTest(name = "s={0} bucket={1} d={2} max={3} dither16={4}")
    @CsvSource({"1,0,1048,false,false", "1,0,4096,false,true", "4,512,4097,true,false", "16,1024,5000,true,true",
        "127,512,513,false,false", "32768,0,1537,false,true", "3,100,2000,true,true", "4,512,511,false,false",
        "2,1536,9000,false,true", "1,512,70000,true,true"})
    void packedPayloadIsTheReferencePackingOfTheReferenceCodes(final int s, final int bucket, final int d,
                                                              final boolean maxNorm, final boolean dither16) {
        final float[] v = QsgdExactnessTest.vector(d, QsgdExactnessTest.Content.MIXED, new SplittableRandom(d));
        final Encoder encoder = Encoders.parse("qsgd:s=" + s + ",bucket=" + (bucket == 0 ? "none" : bucket)
                + (maxNorm ? ",norm=max" : "") + (dither16 ? ",dither=16" : "") + ",code=packed");
        final byte[] frame = TestData.frame(encoder, v, 5, 6);
        final ReferenceQsgd.Quantized q = ReferenceQsgd.quantize(v, s, bucket, maxNorm, dither16, 5, 6);
        final byte[] packed = ReferenceBitPacking.pack(q.codes(), new QsgdParams(s, bucket).codeBits());
        final ByteBuffer expected = ByteBuffer.allocate(4 * q.norms().length + packed.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        for (final float norm : q.norms()) {
            expected.putFloat(norm);
        }
        expected.put(packed);
        assertArrayEquals(expected.array(), Arrays.copyOfRange(frame, Frame.HEADER_BYTES, frame.length));
    }

    /** CRC32C fields of frames of a fixed vector: the same on every run and at every vector width. */
    @Test
    void framesAreIdenticalAcrossRunsAndWidths() {
        final long[] golden = {GOLDEN_FP32, GOLDEN_PACKED, GOLDEN_ELIAS, GOLDEN_BF16};
        final String[] specs = {"fp32", "qsgd:s=4,bucket=512,code=packed", "qsgd:s=4,bucket=512,code=elias", "bf16"};
        final float[] v = QsgdExactnessTest.vector(3001, QsgdExactnessTest.Content.MIXED, new SplittableRandom(12));
        for (int i = 0; i < specs.length; i++) {
            final byte[] frame = TestData.frame(Encoders.parse(specs[i]), v, 5, 6);
            assertEquals(golden[i], new UnsafeBuffer(frame).getInt(44, java.nio.ByteOrder.LITTLE_ENDIAN) & 0xFFFF_FFFFL,
                    specs[i]);
        }
    }

    // recorded at 128, 256 and 512 bits on the development machine (all three agree); a change means the
    // wire format or the quantization changed, which needs a new format version
    private static final long GOLDEN_FP32 = 4053308770L;
    private static final long GOLDEN_PACKED = 60448801L;
    private static final long GOLDEN_ELIAS = 758790919L;
    private static final long GOLDEN_BF16 = 1229057350L;

    /** A rANS model that lists code 1 (a sign on level 0), which no sender writes, is refused by name. */
    @Test
    void aRansModelListingASignOnLevelZeroIsRefused() {
        final Encoder encoder = Encoders.parse("qsgd:s=2,bucket=none,code=rans");
        final float[] v = {0.5f, -0.25f, 0f, 1f, -0.125f};
        final byte[] frame = TestData.frame(encoder, v, 1, 2);
        // header 48, norm 4, n 2: the model's first symbol (0) at byte 54 becomes 1, still increasing
        assertEquals(0, frame[54]);
        frame[54] = 1;
        TestData.repairCrc(frame);
        try (OffHeapVector out = OffHeapVector.allocate(v.length); EncoderState state = encoder.newState(v.length)) {
            final org.reluq.kernels.codec.MalformedFrameException e = assertThrows(
                    org.reluq.kernels.codec.MalformedFrameException.class,
                    () -> encoder.decode(new UnsafeBuffer(frame), 0, frame.length, state, out));
            assertTrue(e.getMessage().contains("code 1"), e.getMessage());
        }
    }

    /**
     * Frames no sender writes are refused by name: a sign on a zero level (the worked example's third code, level 0,
     * given its sign bit) and nonzero levels in a bucket whose norm is 0 (the norm zeroed, for each QSGD code).
     */
    @ParameterizedTest
    @ValueSource(strings = {"packed:sign", "packed:norm", "elias:norm", "rans:norm"})
    void nonCanonicalQsgdFramesAreRefused(final String edit) {
        final String code = edit.substring(0, edit.indexOf(':'));
        final Encoder encoder = Encoders.parse("qsgd:s=2,bucket=none,code=" + code);
        final float[] v = {0.5f, -0.25f, 0f, 1f, -0.125f};
        final byte[] frame = TestData.frame(encoder, v, 1, 2);
        final String expected;
        if (edit.endsWith(":sign")) {
            // header 48, norm 4: the 3-bit codes 2, 3, 0, ... from bit 0 of byte 52; bit 6 is the third code's sign
            assertEquals(0, frame[52] & 0x40);
            frame[52] |= 0x40;
            expected = "coordinate 2 is a sign on level 0";
        } else {
            // the norm is bytes 48..51 in every QSGD code (the elias stream's first 32 bits)
            java.util.Arrays.fill(frame, 48, 52, (byte) 0);
            expected = "norm 0";
        }
        TestData.repairCrc(frame);
        try (OffHeapVector out = OffHeapVector.allocate(v.length); EncoderState state = encoder.newState(v.length)) {
            final org.reluq.kernels.codec.MalformedFrameException e = assertThrows(
                    org.reluq.kernels.codec.MalformedFrameException.class,
                    () -> encoder.decode(new UnsafeBuffer(frame), 0, frame.length, state, out));
            assertTrue(e.getMessage().contains(expected), e.getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "nope", "fp32:x=1", "qsgd:s", "qsgd:s=0", "qsgd:s=70000", "qsgd:s=four",
        "qsgd:bucket=-3", "qsgd:code=zip", "qsgd:s=4,s=5", "qsgd:level=4", "qsgd:levels=log", "qsgd:s=33,levels=exp", "qsgd:s=4,", "qsgd:norm=l1",
        "qsgd:dither=8", "natural:s=2", "terngrad:clip=-1", "terngrad:clip=NaN", "terngrad:clip=Infinity",
        "terngrad:bucket=0", "terngrad:s=2", "topk", "topk:k=0", "topk:k=x", "topk:k=268435457", "randk:k=-1",
        "randk:k=2,s=1"})
    void badSpecsAreNamed(final String spec) {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Encoders.parse(spec));
        assertTrue(e.getMessage() != null && !e.getMessage().isBlank(), spec);
    }

    @Test
    void nonFiniteGradientsAndSmallBuffersAreRejected() {
        final float[] v = new float[600];
        v[411] = Float.NaN;
        for (final String spec : SPECS) {
            final Encoder encoder = Encoders.parse(spec);
            try (OffHeapVector g = OffHeapVector.of(v); EncoderState state = encoder.newState(600)) {
                final UnsafeBuffer buffer = new UnsafeBuffer(new byte[encoder.maxFrameBytes(600)]);
                final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> encoder.encode(g, 1, 2, state, buffer, 0), spec);
                assertTrue(e.getMessage().contains("411"), spec + ": " + e.getMessage());
                g.set(411, 1f);
                assertThrows(IllegalArgumentException.class, () -> encoder.encode(g, 1, 2, state,
                        new UnsafeBuffer(new byte[encoder.maxFrameBytes(600) - 1]), 0), spec);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Encoders.parse("fp32").maxFrameBytes(Frame.MAX_DIMENSION + 1));
    }

    /**
     * Encoding on a pool gives the frame of the one-thread encoder, byte for byte, for every encoder, awkward
     * dimensions (one chunk, chunk boundaries, many buckets) and 2 or 3 threads; a NaN is still refused.
     */
    @Test
    void framesOnAPoolAreTheFramesOfOneThread() {
        final SplittableRandom random = new SplittableRandom(4);
        try (KernelPool two = new KernelPool(2); KernelPool three = new KernelPool(3)) {
            for (final String spec : SPECS) {
                final Encoder encoder = Encoders.parse(spec);
                for (final int d : new int[] {1, 17, 4095, 4096, 4097, 12_289, 40_000}) {
                    final float[] v = new float[d];
                    for (int i = 0; i < d; i++) {
                        v[i] = (float) random.nextGaussian();
                    }
                    final byte[] expected = TestData.frame(encoder, v, 9, 10);
                    for (final KernelPool pool : new KernelPool[] {two, three}) {
                        try (OffHeapVector g = OffHeapVector.of(v); EncoderState state = encoder.newState(d)) {
                            final UnsafeBuffer buffer = new UnsafeBuffer(new byte[encoder.maxFrameBytes(d)]);
                            final byte[] frame = new byte[encoder.encode(g, 9, 10, state, buffer, 0, pool)];
                            buffer.getBytes(0, frame);
                            assertArrayEquals(expected, frame, spec + " d=" + d + " on " + pool.threads() + " threads");
                        }
                    }
                }
                final float[] bad = new float[9000];
                bad[8500] = Float.NaN;
                try (OffHeapVector g = OffHeapVector.of(bad); EncoderState state = encoder.newState(9000)) {
                    final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> encoder.encode(g,
                            1, 2, state, new UnsafeBuffer(new byte[encoder.maxFrameBytes(9000)]), 0, two));
                    assertTrue(e.getMessage().contains("8500"), spec + ": " + e.getMessage());
                }
            }
        }
    }

    /**
     * {@code qsgd:s=127} of [3.4028235e38] used to make a frame that decoded to +Infinity (127 (N / 127) overflows):
     * no encoder writes it now, and a decoder refuses the frame built by hand.
     */
    @Test
    void framesThatWouldDecodeToInfinityAreNeitherWrittenNorRead() {
        for (final String spec : new String[] {"qsgd:s=127,code=packed", "qsgd:s=127,code=elias"}) {
            final Encoder encoder = Encoders.parse(spec);
            try (OffHeapVector g = OffHeapVector.of(Float.MAX_VALUE); EncoderState state = encoder.newState(1)) {
                final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> encoder.encode(g, 1, 2, state, new UnsafeBuffer(new byte[encoder.maxFrameBytes(1)]), 0));
                assertTrue(e.getMessage().contains("would decode to values beyond float32"), e.getMessage());
            }
            assertThrows(IllegalArgumentException.class,
                    () -> ReferenceQsgd.quantize(new float[] {Float.MAX_VALUE}, 127, 0, 1, 2), "the reference too");
            // the frame of [1] at s = 127 is level 127 and norm 1; its norm made Float.MAX_VALUE by hand
            final byte[] frame = TestData.frame(encoder, new float[] {1f}, 1, 2);
            // the norm opens both payloads: little-endian in packed, most significant bit first in elias
            ByteBuffer.wrap(frame).order(spec.endsWith("packed") ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN)
                    .putFloat(Frame.HEADER_BYTES, Float.MAX_VALUE);
            TestData.repairCrc(frame);
            try (OffHeapVector out = OffHeapVector.allocate(1); EncoderState state = encoder.newState(1)) {
                final org.reluq.kernels.codec.MalformedFrameException e = assertThrows(
                        org.reluq.kernels.codec.MalformedFrameException.class,
                        () -> encoder.decode(new UnsafeBuffer(frame), 0, frame.length, state, out));
                assertTrue(e.getMessage().contains("would decode to values beyond float32"), spec + ": " + e.getMessage());
            }
        }
    }
}
