package org.reluq.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.reluq.kernels.codec.MalformedFrameException;
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.encoder.EncoderState;
import org.reluq.kernels.encoder.Encoders;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.warmup.KernelFamily;
import org.reluq.kernels.warmup.KernelPath;

/**
 * Decoders treat frames as untrusted: 100 000 damaged frames per encoder (truncated, extended, bit-flipped
 * with and without a repaired CRC so the payload checks are reached, wrong version, wrong or huge
 * dimension, random bytes) each either decode or throw {@link MalformedFrameException}; no other exception,
 * no read outside the frame (every frame sits at the very end of an off-heap buffer of exactly its size,
 * so one byte past it is outside the buffer), and a decoded frame never yields a non-finite value.
 */
@ParameterizedClass(name = "{0} path")
@EnumSource(KernelPath.class)
class HostileFrameTest extends OnEveryPath {

    @Override
    KernelFamily[] families() {
        return new KernelFamily[] {KernelFamily.QUANTIZE, KernelFamily.PACKING};
    }

    private static final int FRAMES = 100_000;

    @ParameterizedTest
    @ValueSource(strings = {"fp32", "fp16", "bf16", "sign", "qsgd:s=4,bucket=64,code=packed", "qsgd:s=127,bucket=none,code=packed",
        "qsgd:s=4,bucket=64,code=elias", "qsgd:s=2,bucket=none,code=elias",
        "qsgd:s=1,bucket=512,norm=max,dither=16,code=packed", "natural", "terngrad:bucket=64,clip=none", "topk:k=40",
        "randk:k=30", "qsgd:s=4,bucket=64,code=rans", "qsgd:s=1,bucket=none,code=rans",
        "qsgd:s=5,bucket=64,levels=exp,code=packed", "qsgd:s=32,bucket=none,levels=exp,code=elias"})
    void damagedFramesAreRejectedCleanly(final String spec) {
        final Encoder encoder = Encoders.parse(spec);
        final SplittableRandom random = new SplittableRandom(spec.hashCode());
        final int d = 300;
        final float[] v = QsgdExactnessTest.vector(d, QsgdExactnessTest.Content.SPARSE, random);
        v[7] = 2.5f;
        final byte[] frame = TestData.frame(encoder, v, 1, 2);
        int rejected = 0;
        try (OffHeapVector acc = OffHeapVector.allocate(d); EncoderState state = encoder.newState(d)) {
            for (int t = 0; t < FRAMES; t++) {
                final byte[] damaged = damage(frame, random);
                final ByteBuffer direct = ByteBuffer.allocateDirect(damaged.length);
                direct.put(damaged);
                final UnsafeBuffer buffer = new UnsafeBuffer(direct);
                acc.clear();
                try {
                    // the header alone names an encoder or is refused, never anything else
                    Encoders.forFrame(buffer, 0);
                } catch (MalformedFrameException e) {
                    assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
                } catch (RuntimeException e) {
                    fail("damage case " + t + " of " + spec + ": forFrame threw " + e, e);
                }
                try {
                    encoder.decodeAccumulate(buffer, 0, damaged.length, 0.5f, state, acc);
                    for (int j = 0; j < d; j++) {
                        assertTrue(Float.isFinite(acc.get(j)), "decoded a non-finite value from damage case " + t);
                    }
                } catch (MalformedFrameException e) {
                    rejected++;
                    assertTrue(e.getMessage() != null && !e.getMessage().isBlank());
                } catch (RuntimeException e) {
                    fail("damage case " + t + " of " + spec + " threw " + e, e);
                }
            }
        }
        // nearly every damaged frame must be caught (the rest are bit flips in the payload whose repaired CRC
        // leaves a frame that is still valid, e.g. another level or sign)
        assertTrue(rejected > FRAMES / 2, rejected + " of " + FRAMES + " rejected");
    }

    /** One damaged copy of a valid frame. */
    private static byte[] damage(final byte[] frame, final SplittableRandom random) {
        final byte[] out;
        switch (random.nextInt(9)) {
            case 0 -> out = java.util.Arrays.copyOf(frame, random.nextInt(frame.length));
            case 1 -> out = java.util.Arrays.copyOf(frame, frame.length + 1 + random.nextInt(16));
            case 2 -> {
                out = flip(frame, random);
            }
            case 3, 4 -> {
                out = flip(frame, random);
                TestData.repairCrc(out);
            }
            case 5 -> {
                out = frame.clone();
                out[4] = (byte) (2 + random.nextInt(250));
                TestData.repairCrc(out);
            }
            case 6 -> {
                out = frame.clone();
                final int dimension = random.nextBoolean() ? random.nextInt() : 1 + random.nextInt(1000);
                ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(8, dimension);
                TestData.repairCrc(out);
            }
            case 7 -> {
                // a parameter field of the header edited (encoder id, levels, bucket, code), the CRC made to fit
                out = frame.clone();
                final ByteBuffer header = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
                switch (random.nextInt(4)) {
                    case 0 -> out[5] = (byte) random.nextInt(12);
                    case 1 -> header.putInt(12, random.nextBoolean() ? random.nextInt() : random.nextInt(70_000));
                    case 2 -> header.putInt(16, random.nextBoolean() ? random.nextInt() : random.nextInt(1000));
                    default -> out[20] = (byte) random.nextInt(256);
                }
                TestData.repairCrc(out);
            }
            default -> {
                out = new byte[random.nextInt(2 * frame.length + 1)];
                random.nextBytes(out);
                if (out.length >= 48 && random.nextBoolean()) {
                    System.arraycopy(frame, 0, out, 0, 48);
                    ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(40, out.length - 48);
                    TestData.repairCrc(out);
                }
            }
        }
        return out;
    }

    private static byte[] flip(final byte[] frame, final SplittableRandom random) {
        final byte[] out = frame.clone();
        final int flips = 1 + random.nextInt(3);
        for (int i = 0; i < flips; i++) {
            final int bit = random.nextInt(8 * out.length);
            out[bit / 8] ^= (byte) (1 << (bit % 8));
        }
        return out;
    }

    @Test
    void eachHeaderProblemIsNamed() {
        final Encoder encoder = Encoders.parse("qsgd:s=4,bucket=64,code=packed");
        final float[] v = new float[100];
        v[3] = 1f;
        final byte[] frame = TestData.frame(encoder, v, 1, 2);
        try (OffHeapVector acc = OffHeapVector.allocate(100); OffHeapVector other = OffHeapVector.allocate(99)) {
            assertMessage(encoder, java.util.Arrays.copyOf(frame, 20), acc, "shorter than its 48-byte header");
            final byte[] magic = frame.clone();
            magic[0] = 'X';
            assertMessage(encoder, magic, acc, "bad magic");
            final byte[] version = frame.clone();
            version[4] = 9;
            assertMessage(encoder, version, acc, "format version 9");
            final byte[] crc = frame.clone();
            crc[60] ^= 1;
            assertMessage(encoder, crc, acc, "CRC32C mismatch");
            assertMessage(encoder, frame, other, "frame of dimension 100 given for dimension 99");
            assertMessage(Encoders.parse("qsgd:s=8,bucket=64,code=packed"), frame, acc, "differ from this encoder's");
            assertMessage(Encoders.parse("fp32"), frame, acc, "frame of encoder 2 given to encoder 1");
            final byte[] longer = java.util.Arrays.copyOf(frame, frame.length + 4);
            assertMessage(encoder, longer, acc, "disagrees with the frame's");
            final UnsafeBuffer small = new UnsafeBuffer(frame);
            try (EncoderState state = encoder.newState(acc.length())) {
                assertThrows(MalformedFrameException.class, () -> encoder.decode(small, 1, frame.length, state, acc));
            }
            assertEquals(frame.length, small.capacity());
        }
    }

    private static void assertMessage(final Encoder encoder, final byte[] frame, final OffHeapVector acc,
                                      final String expected) {
        try (EncoderState state = encoder.newState(acc.length())) {
            final MalformedFrameException e = assertThrows(MalformedFrameException.class,
                    () -> encoder.decode(new UnsafeBuffer(frame), 0, frame.length, state, acc));
            assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' should say '" + expected + "'");
        }
    }
}
