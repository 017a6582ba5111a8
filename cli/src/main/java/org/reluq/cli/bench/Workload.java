package org.reluq.cli.bench;

/**
 * What one operation of a benchmark moves, for its place against the roofline: the bytes it must read (or
 * write) at least once, the size of the data it works on (which decides the level of the memory hierarchy
 * it streams from), or the floating-point operations of the FMA probe.
 *
 * @param bytes      bytes per operation (0 when not memory-bound: generation, the FMA probe); fractional for
 *                   per-value operations
 * @param workingSet bytes of the data the operation touches
 * @param flops      floating-point operations per operation (the FMA probe only)
 */
public record Workload(double bytes, long workingSet, long flops) {

    /** Values packed or unpacked per call of {@code BitPackBenchmark} (its working set). */
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
                final long workingSet = Long.parseLong(r.param("workingSet"));
                yield new Workload(rooflineRepeats(workingSet) * workingSet, workingSet, 0);
            }
            case "FmaPeakBenchmark" -> new Workload(0, 0, 16L * 4096 * lanes * 2);
            case "ReluGradientBenchmark", "ReluForwardBenchmark", "ParallelGradientBenchmark", "MomentInitBenchmark" -> {
                final long[] nd = shape(r.param("shape"));
                yield new Workload(4 * nd[0] * nd[1], 4 * nd[0] * nd[1], 0);
            }
            case "SgdStepBenchmark", "QsgdStepBenchmark" -> {
                final long[] dm = shape(r.param("shape"));
                yield new Workload(4 * dm[0] * dm[1], 4 * 10 * dm[0] * dm[0], 0);
            }
            case "QuantizeBenchmark", "ParallelQuantizeBenchmark" -> {
                final long d = Long.parseLong(r.param("d"));
                yield new Workload(4 * d, 4 * d, 0);
            }
            case "EncoderBenchmark" -> new Workload(4 * ENCODER_D, 4 * ENCODER_D, 0);
            case "BitPackBenchmark" -> {
                // one operation is one value (JMH's OperationsPerInvocation): its int and its packed bits
                final double bits = Long.parseLong(r.param("bits"));
                yield new Workload(4 + bits / 8, (long) (PACKED_VALUES * (4 + bits / 8)), 0);
            }
            default -> null;
        };
    }

    /** {@code RooflineBenchmark.repeats}: each of its operations reads the working set max(1, 64 MiB / size) times. */
    static long rooflineRepeats(final long workingSet) {
        return Math.max(1, (64L << 20) / workingSet);
    }

    private static long[] shape(final String shape) {
        final String[] parts = shape.split("x");
        return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
    }
}
