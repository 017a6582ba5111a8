package org.reluq.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reluq.kernels.sgd.Init;
import org.reluq.kernels.sgd.Sampling;
import org.reluq.kernels.sgd.SgdConfig;

/** The cluster's bodies and files round-trip, and damaged ones are refused with a message, never misread. */
class MessagesTest {

    private static final RunSpec SPEC = new RunSpec(64, 640, 1.5, new SgdConfig(32, 0.05f, 900, Init.GAUSSIAN,
            Sampling.WITHOUT_REPLACEMENT, -7, 1e-5), 3, "ef(qsgd:s=4,bucket=16,code=elias)", Topology.ALLGATHER);

    @TempDir
    Path dir;

    @Test
    void aRunSpecRoundTripsAndEveryTruncationIsRefused() {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[SPEC.encodedLength()]);
        assertEquals(buffer.capacity(), SPEC.write(buffer, 0));
        assertEquals(SPEC, RunSpec.read(buffer, 0, buffer.capacity()));
        for (int length = 0; length < buffer.capacity(); length++) {
            final int cut = length;
            assertThrows(IllegalArgumentException.class, () -> RunSpec.read(buffer, 0, cut));
        }
        buffer.putByte(28, (byte) 9); // the init code
        assertThrows(IllegalArgumentException.class, () -> RunSpec.read(buffer, 0, buffer.capacity()));
    }

    @Test
    void aGradientBodyWhoseLengthsDisagreeIsRefused() {
        final UnsafeBuffer body = new UnsafeBuffer(new byte[GradientBody.FIXED_BYTES + 8 + 100]);
        GradientBody.writeFixed(body, 2.5, 7, 3, 0x1234, GradientBody.FINITE | GradientBody.HAS_STATE, 8, 100);
        final GradientBody.Fields fields = GradientBody.read(body, 0, body.capacity(), 8);
        assertEquals(2.5, fields.squares());
        assertEquals(7, fields.computeNanos());
        assertEquals(3, fields.encodeNanos());
        assertEquals(0x1234, fields.weightsCrc());
        assertEquals(GradientBody.FIXED_BYTES + 8, fields.frameOffset());
        assertThrows(IllegalArgumentException.class, () -> GradientBody.read(body, 0, body.capacity() - 1, 8));
        assertThrows(IllegalArgumentException.class, () -> GradientBody.read(body, 0, body.capacity(), 4));
        GradientBody.writeFixed(body, 2.5, 7, 3, 0, 0, 8, 100);
        assertThrows(IllegalArgumentException.class, () -> GradientBody.read(body, 0, body.capacity(), 8));
        GradientBody.writeFixed(body, 2.5, 7, 3, 0, 8 | GradientBody.FINITE, 0, 108);
        assertThrows(IllegalArgumentException.class, () -> GradientBody.read(body, 0, body.capacity(), 8));
        GradientBody.writeFixed(body, 2.5, -1, 3, 0, GradientBody.FINITE, 0, 108);
        assertThrows(IllegalArgumentException.class, () -> GradientBody.read(body, 0, body.capacity(), 0));
    }

    @Test
    void aCheckpointRoundTripsAndAnyDamagedByteIsRefused() throws IOException {
        final SplittableRandom random = new SplittableRandom(3);
        final float[] w = new float[64];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) random.nextGaussian();
        }
        final float[][] carried = {new float[64], new float[64], new float[64]};
        carried[1][5] = -0.25f;
        final Checkpoint checkpoint = new Checkpoint(SPEC, 2, w, 0.125, new float[] {1f, 0.5f, 0.25f},
                new float[] {3f, 2f}, new long[] {0, 100, 200}, carried);
        final Path file = dir.resolve("run.ckpt");
        checkpoint.write(file);
        final Checkpoint read = Checkpoint.read(file);
        assertEquals(SPEC, read.spec());
        assertEquals(2, read.round());
        assertArrayEquals(w, read.weights());
        assertEquals(0.125, read.distanceSquared());
        assertArrayEquals(new long[] {0, 100, 200}, read.wireBytes());
        assertArrayEquals(carried[1], read.carried()[1]);
        final byte[] bytes = Files.readAllBytes(file);
        for (int i = 0; i < bytes.length; i += 7) {
            final byte[] damaged = bytes.clone();
            damaged[i] ^= 0x10;
            Files.write(file, damaged);
            assertThrows(IllegalArgumentException.class, () -> Checkpoint.read(file), "byte " + i);
        }
        Files.write(file, java.util.Arrays.copyOf(bytes, bytes.length / 2));
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.read(file));
    }

    @Test
    void aCheckpointWhoseShapesDisagreeWithItsSpecCannotBeMade() {
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint(SPEC, 2, new float[63], 0,
                new float[3], new float[2], new long[3], new float[3][0]));
        assertThrows(IllegalArgumentException.class, () -> new Checkpoint(SPEC, 2, new float[64], 0,
                new float[3], new float[2], new long[3], new float[2][0]));
    }
}
