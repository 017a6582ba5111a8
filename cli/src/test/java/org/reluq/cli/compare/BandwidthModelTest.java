package org.reluq.cli.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The round model, its break-even bandwidths (checked against the times they equate) and the bandwidth syntax. */
class BandwidthModelTest {

    private static final BandwidthModel.Round FP32 = new BandwidthModel.Round("fp32", 100, 50_000, 0, 32_768, 4);

    @Test
    void aRoundIsFixedTimePlusTheOtherWorkersFramesOverTheLink() {
        // 100 rounds of 50 us and 3 frames of 32768 bits at 1 Gbit/s: 100 (5e-5 + 9.8304e-5) s
        assertEquals(100 * (5e-5 + 3 * 32_768 / 1e9), FP32.seconds(1e9), 1e-15);
        final BandwidthModel.Round alone = new BandwidthModel.Round("fp32", 100, 50_000, 0, 32_768, 1);
        assertEquals(alone.seconds(1e3), alone.seconds(1e12), 0, "one worker sends nothing");
    }

    @Test
    void breakEvenIsWhereTheTimesMeet() {
        // fewer bits, more fixed time: faster on slow links
        final BandwidthModel.Round qsgd = new BandwidthModel.Round("qsgd", 150, 80_000, 0, 3_000, 4);
        final BandwidthModel.BreakEven below = BandwidthModel.breakEven(qsgd, FP32);
        assertEquals(BandwidthModel.BreakEven.Kind.BELOW, below.kind());
        assertEquals(FP32.seconds(below.bandwidth()), qsgd.seconds(below.bandwidth()), 1e-12);
        assertTrue(qsgd.seconds(below.bandwidth() / 2) < FP32.seconds(below.bandwidth() / 2));
        assertTrue(qsgd.seconds(below.bandwidth() * 2) > FP32.seconds(below.bandwidth() * 2));
        // more bits, less fixed time: faster on fast links
        final BandwidthModel.BreakEven above = BandwidthModel.breakEven(FP32, qsgd);
        assertEquals(BandwidthModel.BreakEven.Kind.ABOVE, above.kind());
        assertEquals(below.bandwidth(), above.bandwidth(), 1e-6 * below.bandwidth());
        // better on both counts, worse on both, and equal
        final BandwidthModel.Round better = new BandwidthModel.Round("b", 90, 40_000, 0, 16_384, 4);
        assertEquals(BandwidthModel.BreakEven.Kind.ALWAYS, BandwidthModel.breakEven(better, FP32).kind());
        assertEquals(BandwidthModel.BreakEven.Kind.NEVER, BandwidthModel.breakEven(FP32, better).kind());
        assertEquals(BandwidthModel.BreakEven.Kind.NEVER, BandwidthModel.breakEven(FP32, FP32).kind());
    }

    @Test
    void bandwidthsParseWithUnitsAndBadOnesAreNamed() {
        assertEquals(10e6, BandwidthModel.parse("10M"));
        assertEquals(2.5e9, BandwidthModel.parse("2.5G"));
        assertEquals(1e9, BandwidthModel.parse("1e9"));
        assertEquals(100e6, BandwidthModel.parse("100Mbit/s"));
        assertEquals("10 Mbit/s", BandwidthModel.format(1e7));
        assertEquals("2.5 Gbit/s", BandwidthModel.format(2.5e9));
        for (final String bad : new String[] {"0", "-1G", "fast", "NaN", "Infinity", "10D", "", "1e999"}) {
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> BandwidthModel.parse(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
        final double[] sweep = BandwidthModel.sweep(1e7, 1e11, 17);
        assertEquals(1e7, sweep[0]);
        assertEquals(1e11, sweep[16], 1e-3);
        assertEquals(1e9, sweep[8], 1e-3);
    }
}
