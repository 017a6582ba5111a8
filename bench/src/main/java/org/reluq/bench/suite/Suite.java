package org.reluq.bench.suite;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.reluq.bench.BitPackBenchmark;
import org.reluq.bench.DitherBenchmark;
import org.reluq.bench.EncoderBenchmark;

/**
 * Every benchmark of the suite, in the order {@code reluq bench} runs them (the roofline first), with what its
 * report needs: the baseline row, the quick profile's grid and each row's workload. This class and its package
 * use nothing but the JDK and the benchmarks' compile-time constants, so the cli reads them without JMH or the
 * baselines' libraries on its class path; {@code SuiteTest} checks every entry against its benchmark class.
 */
public final class Suite {

    /** The suite. */
    public static final List<BenchmarkInfo> ALL = List.of(
            new BenchmarkInfo("RooflineBenchmark", null, null, List.of(), true, 2, (p, lanes) -> {
                final long workingSet = Long.parseLong(p.get("workingSet"));
                return new Workload((double) rooflineRepeats(workingSet) * workingSet, workingSet, 0);
            }),
            // 16 chains of 4096 FMAs of a vector, two FLOPs per lane
            new BenchmarkInfo("FmaPeakBenchmark", null, null, List.of(), false, 2,
                    (p, lanes) -> new Workload(0, 0, 16L * 4096 * lanes * 2)),
            new BenchmarkInfo("ReluGradientBenchmark", "impl", "BLAS", List.of(), false, 2, Suite::matrix),
            new BenchmarkInfo("ReluForwardBenchmark", "impl", "BLAS", List.of(), false, 2, Suite::matrix),
            new BenchmarkInfo("ParallelGradientBenchmark", "threads", "1", List.of(), true, 2, Suite::matrix),
            new BenchmarkInfo("SgdStepBenchmark", "impl", "READ", List.of(), false, 5, Suite::step),
            new BenchmarkInfo("QsgdStepBenchmark", "encoder", "sgd", List.of(), false, 6, Suite::step),
            new BenchmarkInfo("GaussianBenchmark", "path", "SCALAR", List.of(), false, 2, null),
            new BenchmarkInfo("PlantedModelBenchmark", "threads", "1", List.of(), true, 2, null),
            new BenchmarkInfo("MomentInitBenchmark", "impl", "READ", List.of(), false, 2, Suite::matrix),
            // one operation is one coordinate's dither, written to a chunk in L1
            new BenchmarkInfo("DitherBenchmark", "path", "SCALAR", List.of(), false, 2,
                    (p, lanes) -> new Workload(Float.BYTES, (long) Float.BYTES * DitherBenchmark.COUNT, 0)),
            new BenchmarkInfo("QuantizeBenchmark", "impl", "NAIVE", List.of("s=4", "bucket=none"), false, 2,
                    Suite::coordinates),
            new BenchmarkInfo("ParallelQuantizeBenchmark", "threads", "1", List.of(), true, 2, Suite::coordinates),
            // one operation is one value (JMH's OperationsPerInvocation): its int and its packed bits
            new BenchmarkInfo("BitPackBenchmark", "impl", "FASTPFOR", List.of("bits=1,4,8"), false, 2, (p, lanes) -> {
                final double bits = Long.parseLong(p.get("bits"));
                return new Workload(4 + bits / 8, (long) (BitPackBenchmark.COUNT * (4 + bits / 8)), 0);
            }),
            new BenchmarkInfo("EncoderBenchmark", "encoder", "ZSTD3", List.of("encoder=fp32,bf16,"
                    + "qsgd:s=1;bucket=512;code=packed,qsgd:s=1;bucket=512;code=elias,ZSTD3,LZ4"), false, 2,
                    (p, lanes) -> Workload.reads(4L * EncoderBenchmark.D)));

    private Suite() {
    }

    /** Bytes one operation of {@code RooflineBenchmark} reads at least. */
    public static final long ROOFLINE_BYTES_PER_OP = 64L << 20;

    /** How many times one operation of {@code RooflineBenchmark} reads its working set: max(1, 64 MiB / size). */
    public static int rooflineRepeats(final long workingSet) {
        return (int) Math.max(1, ROOFLINE_BYTES_PER_OP / workingSet);
    }

    /** The entry of a benchmark class, by simple name. */
    public static Optional<BenchmarkInfo> of(final String name) {
        return ALL.stream().filter(info -> info.name().equals(name)).findFirst();
    }

    /** One read of X, n x d floats ({@code shape=NxD}). */
    private static Workload matrix(final Map<String, String> p, final int lanes) {
        final long[] nd = shape(p.get("shape"));
        return Workload.reads(4 * nd[0] * nd[1]);
    }

    /** A step reads its batch of m rows of d floats ({@code shape=DxM}) out of an X of 10 d rows. */
    private static Workload step(final Map<String, String> p, final int lanes) {
        final long[] dm = shape(p.get("shape"));
        return new Workload(4 * dm[0] * dm[1], 4 * 10 * dm[0] * dm[0], 0);
    }

    /** One read of a vector of d floats. */
    private static Workload coordinates(final Map<String, String> p, final int lanes) {
        return Workload.reads(4 * Long.parseLong(p.get("d")));
    }

    private static long[] shape(final String shape) {
        final String[] parts = shape.split("x");
        return new long[] {Long.parseLong(parts[0]), Long.parseLong(parts[1])};
    }
}
