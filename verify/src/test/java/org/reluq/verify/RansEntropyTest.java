package org.reluq.verify;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.encoder.EncoderState;
import org.reluq.kernels.encoder.Encoders;
import org.reluq.kernels.encoder.Frame;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.quant.Qsgd;
import org.reluq.kernels.quant.QsgdParams;
import org.reluq.kernels.quant.QsgdWorkspace;
import org.reluq.kernels.random.Gaussian;
import org.reluq.kernels.random.RandomStream;

/**
 * {@code code=rans} codes QSGD's levels within 2% of their empirical entropy {@code -sum c_i log2(c_i / d)} on a
 * 2^20-coordinate Gaussian gradient (issue: about 0.73 bits a coordinate at s = 1 with buckets of 512), and not
 * below it by more than the rounding of the model (a code below the entropy of its own counts would be a bug in
 * the measurement).
 */
class RansEntropyTest {

    @ParameterizedTest(name = "s={0} bucket={1}")
    @CsvSource({"1, 512", "4, 512", "16, none"})
    void levelsCostTheirEntropy(final int s, final String bucket) {
        final int d = 1 << 20;
        final Encoder encoder = Encoders.parse("qsgd:s=" + s + ",bucket=" + bucket + ",code=rans");
        final QsgdParams params = new QsgdParams(s, bucket.equals("none") ? 0 : Integer.parseInt(bucket));
        try (OffHeapVector g = OffHeapVector.allocate(d); EncoderState state = encoder.newState(d);
             Arena arena = Arena.ofConfined()) {
            Gaussian.fill(3, RandomStream.DATA, 0, d, g.segment(), 0);
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[encoder.maxFrameBytes(d)]);
            final int length = encoder.encode(g, 5, 6, state, frame, 0);
            final MemorySegment codes = arena.allocate(4L * d);
            final float[] norms = new float[params.bucketCount(d)];
            Qsgd.quantize(g, params, 5, 6, norms, codes, new QsgdWorkspace());
            final int[] counts = new int[2 * s + 2];
            for (int j = 0; j < d; j++) {
                counts[codes.getAtIndex(ValueLayout.JAVA_INT, j)]++;
            }
            double entropyBits = 0;
            for (final int c : counts) {
                if (c > 0) {
                    entropyBits -= c * (Math.log((double) c / d) / Math.log(2));
                }
            }
            final double levelBits = 8.0 * (length - Frame.HEADER_BYTES - 4L * norms.length);
            System.out.printf("qsgd:s=%d,bucket=%s,code=rans: levels %.4f bits a coordinate, entropy %.4f (%.3f%% above)%n",
                    s, bucket, levelBits / d, entropyBits / d, 100 * (levelBits / entropyBits - 1));
            assertTrue(levelBits <= 1.02 * entropyBits, levelBits / d + " bits a coordinate against entropy "
                    + entropyBits / d);
            assertTrue(levelBits >= 0.999 * entropyBits, levelBits / d + " bits a coordinate below entropy "
                    + entropyBits / d);
        }
    }
}
