package org.reluq.cli.bench;

import java.util.List;

/**
 * One benchmark class of the suite and how a profile runs it: its JMH include pattern and the parameter
 * overrides of the quick profile (the full profile runs the class's whole grid with its own JMH settings).
 *
 * @param name        the class's simple name, e.g. {@code ReluGradientBenchmark}
 * @param quickParams JMH {@code -p} arguments of the quick profile (name=v1,v2), empty for the whole grid
 * @param threadParam whether the class has a {@code threads} parameter that {@code --threads} sets
 * @param quickWarmups warm-up iterations of 1 s in the quick profile: more for the whole training steps,
 *                     whose many kernels C2 needs longer to compile
 */
public record BenchPlan(String name, List<String> quickParams, boolean threadParam, int quickWarmups) {

    private BenchPlan(final String name, final List<String> quickParams, final boolean threadParam) {
        this(name, quickParams, threadParam, 2);
    }

    /** Every benchmark of the suite, the roofline first. */
    public static final List<BenchPlan> SUITE = List.of(
            new BenchPlan("RooflineBenchmark", List.of(), true),
            new BenchPlan("FmaPeakBenchmark", List.of(), false),
            new BenchPlan("ReluGradientBenchmark", List.of(), false),
            new BenchPlan("ReluForwardBenchmark", List.of(), false),
            new BenchPlan("ParallelGradientBenchmark", List.of(), true),
            new BenchPlan("SgdStepBenchmark", List.of(), false, 5),
            new BenchPlan("QsgdStepBenchmark", List.of(), false, 6),
            new BenchPlan("GaussianBenchmark", List.of(), false),
            new BenchPlan("PlantedModelBenchmark", List.of(), true),
            new BenchPlan("MomentInitBenchmark", List.of(), false),
            new BenchPlan("DitherBenchmark", List.of(), false),
            new BenchPlan("QuantizeBenchmark", List.of("s=4", "bucket=none"), false),
            new BenchPlan("ParallelQuantizeBenchmark", List.of(), true),
            new BenchPlan("BitPackBenchmark", List.of("bits=1,4,8"), false),
            new BenchPlan("EncoderBenchmark", List.of("encoder=fp32,qsgd:s=1;bucket=512;code=packed,"
                    + "qsgd:s=1;bucket=512;code=elias,ZSTD3,LZ4"), false));

    /** The JMH include pattern that selects exactly this class. */
    public String pattern() {
        return "\\." + name + "\\.";
    }
}
