package org.reluq.cli.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.reluq.kernels.encoder.Encoders;

/**
 * The measurements can fail: the bias statistic flags an encoder that shrinks (terngrad clipped at 0.5 sigma)
 * and passes the same encoder unclipped; the variance factor of a lossless encoder is 0 and of QSGD below its bound.
 */
class EncoderMeasurementTest {

    private static final GradientSample SAMPLE = GradientSample.planted(512, 2, 200, 3);

    @Test
    void theBiasStatisticFlagsShrinkageAndPassesAnUnbiasedEncoder() {
        final EncoderMeasurement clipped = EncoderMeasurement.of(Encoders.parse("terngrad:bucket=none,clip=0.5"),
                SAMPLE, 200, 1_000_000, null);
        assertTrue(clipped.biasZ() < -clipped.biasZLimit(), "clipping shrinks towards 0: z = " + clipped.biasZ());
        final EncoderMeasurement plain = EncoderMeasurement.of(Encoders.parse("terngrad:bucket=none,clip=none"),
                SAMPLE, 200, 1_000_000, null);
        assertTrue(Math.abs(plain.biasZ()) < plain.biasZLimit(), "unbiased: z = " + plain.biasZ());
        assertTrue(plain.varianceFactor() < plain.bound(), plain.varianceFactor() + " within " + plain.bound());
    }

    @Test
    void losslessIsExactAndItsBitsAreThePayloadAndHeader() {
        final EncoderMeasurement fp32 = EncoderMeasurement.of(Encoders.parse("fp32"), SAMPLE, 3, 1_000_000, null);
        assertEquals(0, fp32.varianceFactor());
        assertEquals(32 + 8.0 * 48 / 512, fp32.bitsPerCoordinate(), 1e-12);
        assertTrue(Double.isNaN(fp32.biasZ()), "no dithers, no z");
    }
}
