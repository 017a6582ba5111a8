package org.reluq.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.provider.Arguments;
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.encoder.EncoderState;
import org.reluq.kernels.memory.OffHeapVector;

/** Awkward shapes and badly scaled data for the kernel property tests. */
final class TestData {

    /** Lengths around lane and line multiples, primes, 1, and a few thousand. */
    static final int[] AWKWARD = {1, 2, 3, 4, 5, 7, 8, 13, 15, 16, 17, 31, 33, 63, 64, 65, 127, 129, 255, 257,
        1000, 1021, 1024, 2053, 4099};

    /** How entries are scaled: each case keeps every intermediate finite in float. */
    enum Scale {
        UNIT(1, 1),
        HUGE(1e15, 1e-3),
        TINY(1e-15, 1e-10),
        MIXED(0, 0),
        ZERO_WEIGHTS(1, 0),
        ZERO_DOTS(1, 1);

        final double x;
        final double w;

        Scale(final double x, final double w) {
            this.x = x;
            this.w = w;
        }
    }

    private TestData() {
    }

    /** (m, d, scale, seed) cases: every awkward d with a few m, then random shapes up to a few thousand. */
    static Stream<Arguments> shapes() {
        final List<Arguments> cases = new ArrayList<>();
        final SplittableRandom random = new SplittableRandom(7);
        final Scale[] scales = Scale.values();
        int k = 0;
        for (final int d : AWKWARD) {
            final int m = AWKWARD[random.nextInt(AWKWARD.length - 4)];
            cases.add(Arguments.of(m, d, scales[k++ % scales.length], random.nextLong()));
        }
        for (int i = 0; i < 12; i++) {
            final int m = 1 + random.nextInt(700);
            final int d = 1 + random.nextInt(3000);
            cases.add(Arguments.of(m, d, scales[k++ % scales.length], random.nextLong()));
        }
        return cases.stream();
    }

    /** An m x d matrix for {@code scale}. */
    static float[][] matrix(final int m, final int d, final Scale scale, final SplittableRandom random) {
        final float[][] x = new float[m][d];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = entry(scale == Scale.MIXED ? Math.pow(10, random.nextDouble(-8, 8)) : scale.x, random);
            }
        }
        if (scale == Scale.ZERO_DOTS) {
            // odd rows live on the even coordinates only, where the weights are zero: z is exactly 0
            for (int i = 1; i < m; i += 2) {
                for (int j = 1; j < d; j += 2) {
                    x[i][j] = 0;
                }
            }
        }
        if (m > 2) {
            x[m / 2] = new float[d];
        }
        return x;
    }

    /** A weight vector for {@code scale}. */
    static float[] weights(final int d, final Scale scale, final SplittableRandom random) {
        final float[] w = new float[d];
        for (int j = 0; j < d; j++) {
            w[j] = entry(scale == Scale.MIXED ? Math.pow(10, random.nextDouble(-8, 8)) : scale.w, random);
        }
        if (scale == Scale.ZERO_DOTS) {
            for (int j = 0; j < d; j += 2) {
                w[j] = 0;
            }
        }
        return w;
    }

    /** Labels ReLU(x_i . v) for a second random v of the same scale, so residuals are of the data's size. */
    static float[] labels(final float[][] x, final Scale scale, final SplittableRandom random) {
        final float[] v = weights(x[0].length, scale == Scale.ZERO_WEIGHTS ? Scale.UNIT : scale, random);
        final float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = (float) Math.max(0, ReferenceKernels.dot(x[i], v));
        }
        return y;
    }

    private static float entry(final double magnitude, final SplittableRandom random) {
        return (float) (magnitude * (random.nextDouble() * 2 - 1));
    }

    /** The frame {@code encoder} writes for v, as bytes. */
    static byte[] frame(final Encoder encoder, final float[] v, final long seed, final long stream) {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[encoder.maxFrameBytes(v.length)]);
        try (OffHeapVector g = OffHeapVector.of(v); EncoderState state = encoder.newState(v.length)) {
            final byte[] frame = new byte[encoder.encode(g, seed, stream, state, buffer, 0)];
            buffer.getBytes(0, frame);
            return frame;
        }
    }

    /** Recomputes the CRC32C field (bytes 44..47) of a frame, so an edit reaches the checks behind the CRC. */
    static void repairCrc(final byte[] frame) {
        if (frame.length < 48) {
            return;
        }
        final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(frame, 0, 44);
        crc.update(frame, 48, frame.length - 48);
        java.nio.ByteBuffer.wrap(frame).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(44, (int) crc.getValue());
    }
}
