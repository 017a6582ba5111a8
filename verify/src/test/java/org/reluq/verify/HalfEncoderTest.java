package org.reluq.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.reluq.kernels.codec.MalformedFrameException;
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.encoder.EncoderState;
import org.reluq.kernels.encoder.Encoders;
import org.reluq.kernels.encoder.HalfEncoder.Format;
import org.reluq.kernels.memory.OffHeapVector;

/**
 * fp16 and bf16 round every float as {@link ReferenceHalf} does (nearest, ties to even, signed zeros kept), their
 * frames decode to exactly those values, and values beyond the formats' range are refused on both sides.
 */
class HalfEncoderTest {

    /** Floats where rounding goes wrong: every fp16 value, the midpoints between neighbours and a float beside each. */
    @Test
    void fp16RoundsAsTheDefinitionAtEveryValueAndMidpoint() {
        int checked = 0;
        for (int k = 0; k < 0x7C00; k++) {
            final double here = ReferenceHalf.fp16Value(k);
            final double next = k + 1 < 0x7C00 ? ReferenceHalf.fp16Value(k + 1) : 65536.0;
            final float mid = (float) ((here + next) / 2); // exact: a fp16 midpoint has at most 12 significant bits
            for (final float x : new float[] {(float) here, mid, Math.nextDown(mid), Math.nextUp(mid)}) {
                for (final float signed : new float[] {x, -x}) {
                    final int expected = ReferenceHalf.fp16(signed);
                    if (expected >= 0) {
                        assertEquals(expected, Format.FP16.round(signed) & 0xFFFF, "fp16 of " + signed);
                        checked++;
                    } else {
                        assertTrue(Format.FP16.nonFinite(Format.FP16.round(signed)), signed + " rounds to infinity");
                    }
                }
            }
        }
        assertTrue(checked > 200_000, checked + " floats");
    }

    @Test
    void bothFormatsRoundRandomFloatsOfEveryExponentAsTheDefinition() {
        final SplittableRandom random = new SplittableRandom(16);
        for (int i = 0; i < 400_000; i++) {
            int bits = random.nextInt();
            if (i % 4 == 0) {
                bits = bits & 0xFFFF0000 | 0x8000; // a bf16 tie
            }
            final float x = Float.intBitsToFloat(bits);
            if (!Float.isFinite(x)) {
                continue;
            }
            final int bf16 = ReferenceHalf.bf16(x);
            if (bf16 >= 0) {
                assertEquals(bf16, Format.BF16.round(x) & 0xFFFF, "bf16 of " + x);
                assertEquals(ReferenceHalf.bf16Value(bf16), Format.BF16.value((short) bf16), "bf16 value");
            } else {
                assertTrue(Format.BF16.nonFinite(Format.BF16.round(x)), x + " rounds to infinity in bf16");
            }
            final int fp16 = ReferenceHalf.fp16(x);
            if (fp16 >= 0) {
                assertEquals(fp16, Format.FP16.round(x) & 0xFFFF, "fp16 of " + x);
                assertEquals(ReferenceHalf.fp16ValueOf(fp16), Format.FP16.value((short) fp16), "fp16 value");
            }
        }
    }

    @Test
    void framesDecodeToTheRoundedValues() {
        final SplittableRandom random = new SplittableRandom(3);
        for (final String spec : new String[] {"fp16", "bf16"}) {
            final Encoder encoder = Encoders.parse(spec);
            for (final int d : new int[] {1, 7, 1000, 4097}) {
                final float[] v = new float[d];
                final float[] expected = new float[d];
                for (int j = 0; j < d; j++) {
                    v[j] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(-9, 4)));
                    // decode is fma(value, 1, +0): a -0 value comes out +0
                    expected[j] = (spec.equals("fp16") ? ReferenceHalf.fp16ValueOf(ReferenceHalf.fp16(v[j]))
                            : ReferenceHalf.bf16Value(ReferenceHalf.bf16(v[j]))) + 0f;
                }
                final byte[] frame = TestData.frame(encoder, v, 1, 2);
                assertEquals(48 + 2 * d, frame.length, spec + " frame length");
                try (OffHeapVector out = OffHeapVector.allocate(d); EncoderState state = encoder.newState(d)) {
                    encoder.decode(new UnsafeBuffer(frame), 0, frame.length, state, out);
                    assertArrayEquals(expected, out.toArray(), spec + " d=" + d);
                }
            }
        }
    }

    @Test
    void valuesBeyondTheRangeAreRefusedBothWays() {
        final Encoder fp16 = Encoders.parse("fp16");
        try (OffHeapVector g = OffHeapVector.of(1f, 65519.99f, -65520f); EncoderState state = fp16.newState(3)) {
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[fp16.maxFrameBytes(3)]);
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> fp16.encode(g, 1, 2, state, frame, 0));
            assertTrue(e.getMessage().contains("gradient entry 2 = -65520.0 rounds to infinity in fp16 (largest finite"
                    + " 65504.0)"), e.getMessage());
        }
        final Encoder bf16 = Encoders.parse("bf16");
        try (OffHeapVector g = OffHeapVector.of(Float.MAX_VALUE); EncoderState state = bf16.newState(1)) {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> bf16.encode(g, 1, 2, state, new UnsafeBuffer(new byte[bf16.maxFrameBytes(1)]), 0));
            assertTrue(e.getMessage().contains("rounds to infinity in bf16"), e.getMessage());
        }
        for (final String spec : new String[] {"fp16", "bf16"}) {
            final Encoder encoder = Encoders.parse(spec);
            final byte[] frame = TestData.frame(encoder, new float[] {1f, 2f, 3f}, 1, 2);
            // entry 1 becomes +infinity (fp16 0x7C00, bf16 0x7F80), the CRC made right again
            frame[48 + 2] = 0;
            frame[48 + 3] = (byte) (spec.equals("fp16") ? 0x7C : 0x7F);
            if (spec.equals("bf16")) {
                frame[48 + 2] = (byte) 0x80;
            }
            TestData.repairCrc(frame);
            try (OffHeapVector out = OffHeapVector.of(5f, 5f, 5f); EncoderState state = encoder.newState(3)) {
                final MalformedFrameException e = assertThrows(MalformedFrameException.class,
                        () -> encoder.decodeAccumulate(new UnsafeBuffer(frame), 0, frame.length, 1f, state, out));
                assertTrue(e.getMessage().contains(spec + " payload entry 1"), e.getMessage());
                assertArrayEquals(new float[] {5f, 5f, 5f}, out.toArray(), "a refused frame leaves acc as it was");
            }
        }
    }
}
