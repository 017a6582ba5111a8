package org.reluq.cli.bench;

/**
 * What one operation of a benchmark moves, for its place against the roofline: the bytes it must read (or
 * write) at least once, the size of the data it works on (which decides the level of the memory hierarchy
 * it streams from), or the floating-point operations of the FMA probe.
 *
 * @param bytes      bytes per operation (0 when not memory-bound: generation, the FMA probe)
 * @param workingSet bytes of the data the operation touches
 * @param flops      floating-point operations per operation (the FMA probe only)
 */
public record Workload(long bytes, long workingSet, long flops) {

    /** Values packed or unpacked per operation of {@code BitPackBenchmark}. */
    static final long PACKED_VALUES = 65_536;

    /** Coordinates of the encoder benchmark's gradient. */
    static final long ENCODER_D = 1 << 20;

    /**
     * The workload of a result, or null when it is not measured against a roofline.
     *
     * @param lanes float lanes of the vector species (for the FMA probe's FLOPs)
     */
    public static Workload of(final JmhResult r, final int lanes) {
        return switch (r.component()) {
            case "RooflineBenchmark" -> {
                final long bytes = Long.parseLong(r.param("workingSet"));
                yield new Workload(bytes, bytes, 0);
            }
            case "FmaPeakBenchmark" -> new Workload(0, 0, 16L * 4096 * lanes * 2);
            case "ReluGradientBenchmark", "ReluForwardBenchmark", "ParallelGradientBenchmark" -> {
                final long[] nd = shape(r.param("shape"));
                yield new Workload(4 * nd[0] * nd[1], 4 * nd[0] * nd[1], 0);
            }
            case "SgdStepBenchmark", "QsgdStepBenchmark" -> {
                final long[] dm = shape(r.param("shape"));
                yield new Workload(4 * dm[0] * dm[1], 4 * 10 * dm[0] * dm[0], 0);
            }
            case "QuantizeBenchmark" -> {
                final long d = Long.parseLong(r.param("d"));
                yield new Workload(4 * d, 4 * d, 0);
            }
            case "EncoderBenchmark" -> new Workload(4 * ENCODER_D, 4 * ENCODER_D, 0);
            case "BitPackBenchmark" -> {
                final long bytes = 4 * PACKED_VALUES + PACKED_VALUES * Long.parseLong(r.param("bits")) / 8;
                yield new Workload(bytes, bytes, 0);
            }
            default -> null;
        };
    }

    private static long[] shape(final String shape) {
        final String[] parts = shape.split("x");
        return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
    }
}
