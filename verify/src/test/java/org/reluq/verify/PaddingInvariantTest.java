package org.reluq.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.encoder.EncoderState;
import org.reluq.kernels.encoder.Encoders;
import org.reluq.kernels.internal.Padded;
import org.reluq.kernels.linalg.DenseOps;
import org.reluq.kernels.memory.OffHeapMatrix;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.model.PlantedModel;
import org.reluq.kernels.random.Gaussian;
import org.reluq.kernels.random.RandomStream;
import org.reluq.kernels.relu.ReluForward;
import org.reluq.kernels.relu.ReluGradient;

/**
 * The kernels read whole padded rows and vectors, so they rely on the padding past the logical length staying
 * zero: every kernel that writes a vector or matrix must leave it so (a zero of either sign: scaling by a
 * negative factor makes -0, which adds as 0), and a vector's public view does not reach it. Lengths end anywhere
 * in a vector; tagged "species", so every width and path is checked.
 */
@Tag("species")
class PaddingInvariantTest {

    private static void assertPaddingZero(final OffHeapVector v, final String what) {
        for (int i = v.length(); i < v.paddedLength(); i++) {
            assertEquals(0f, Math.abs(Padded.of(v).getAtIndex(ValueLayout.JAVA_FLOAT, i)),
                    what + ": padding float " + i + " of " + v.length());
        }
    }

    private static void assertPaddingZero(final OffHeapMatrix x, final String what) {
        for (int r = 0; r < x.rows(); r++) {
            for (int c = x.cols(); c < x.strideFloats(); c++) {
                assertEquals(0f, Math.abs(x.segment().getAtIndex(ValueLayout.JAVA_FLOAT,
                        (long) r * x.strideFloats() + c)), what + ": row " + r + ", padding float " + c);
            }
        }
    }

    @ParameterizedTest(name = "d={0}")
    @ValueSource(ints = {1, 5, 17, 33, 100, 1031})
    void everyKernelLeavesThePaddingZero(final int d) {
        final int n = 45;
        try (PlantedModel model = PlantedModel.generate(n, d, 1.0, d);
             OffHeapVector w = OffHeapVector.allocate(d);
             OffHeapVector g = OffHeapVector.allocate(d);
             OffHeapVector out = OffHeapVector.allocate(n);
             OffHeapVector acc = OffHeapVector.allocate(d)) {
            assertPaddingZero(model.x(), "planted X");
            assertPaddingZero(model.y(), "planted y");
            assertPaddingZero(model.wStar(), "planted w*");
            Gaussian.fill(3, RandomStream.INIT, 0, d, w.segment(), 0);
            assertPaddingZero(w, "Gaussian.fill of d");
            ReluForward.forward(model.x(), w, out);
            assertPaddingZero(out, "forward");
            ReluGradient.full(model.x(), model.y(), w, g);
            assertPaddingZero(g, "full gradient");
            ReluGradient.batch(model.x(), model.y(), w, new int[] {4, 4, 9, 44, 0}, 1, 4, g);
            assertPaddingZero(g, "batch gradient");
            DenseOps.axpyThenDistanceSquared(w, -0.25f, g, model.wStar());
            DenseOps.scale(w, -1.5f);
            DenseOps.add(w, g);
            assertPaddingZero(w, "dense operations");
            for (final String spec : new String[] {"fp32", "qsgd:s=4,bucket=16,code=packed",
                "qsgd:s=127,bucket=none,code=packed", "qsgd:s=2,bucket=512,code=elias"}) {
                final Encoder encoder = Encoders.parse(spec);
                final UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(encoder.maxFrameBytes(d)));
                try (EncoderState state = encoder.newState(d)) {
                    final int bytes = encoder.encode(g, 5, 1, state, frame, 0);
                    encoder.decodeAccumulate(frame, 0, bytes, -0.5f, state, acc);
                }
                assertPaddingZero(acc, spec + " decode-accumulate");
            }
        }
    }

    @ParameterizedTest(name = "d={0}")
    @ValueSource(ints = {1, 5, 33})
    void theVectorsPublicViewEndsWhereThePaddingStarts(final int d) {
        try (OffHeapVector v = OffHeapVector.allocate(d)) {
            assertEquals(4L * d, v.segment().byteSize(), "view of " + d + " floats");
            assertEquals(4L * v.paddedLength(), Padded.of(v).byteSize(), "the kernels' padded memory");
            assertThrows(IndexOutOfBoundsException.class,
                    () -> v.segment().setAtIndex(ValueLayout.JAVA_FLOAT, d, 1f), "a write past the logical end");
        }
    }
}
