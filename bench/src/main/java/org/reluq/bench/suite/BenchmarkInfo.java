package org.reluq.bench.suite;

import java.util.List;
import java.util.Map;

/**
 * What a report needs to know of one benchmark class, declared next to the benchmarks (in {@link Suite}) so that
 * {@code reluq bench} reads it instead of keeping copies of their constants.
 *
 * @param name          the class's simple name, e.g. {@code ReluGradientBenchmark}
 * @param baselineParam the parameter whose value names the baseline row, or null for none
 * @param baselineValue that value, e.g. {@code BLAS}
 * @param quickParams   JMH {@code -p} settings of the quick profile's smaller grid
 * @param threadParam   whether the benchmark has a {@code threads} parameter the report sets
 * @param quickWarmups  warm-up iterations in the quick profile
 * @param workload      the workload of a row from its parameters (and the float lanes), or null when the benchmark
 *                      is not placed against the roofline
 */
public record BenchmarkInfo(String name, String baselineParam, String baselineValue, List<String> quickParams,
                            boolean threadParam, int quickWarmups, WorkloadRule workload) {

    /** A row's workload from its JMH parameters. */
    @FunctionalInterface
    public interface WorkloadRule {
        /** The workload of the row with these parameters when the kernels have {@code lanes} float lanes. */
        Workload of(Map<String, String> params, int lanes);
    }

    /** Copies the quick parameters. */
    public BenchmarkInfo {
        quickParams = List.copyOf(quickParams);
    }

    /** The JMH include pattern that selects exactly this class. */
    public String pattern() {
        return "\\." + name + "\\.";
    }

    /** The row's workload, or null when the benchmark has no workload rule. */
    public Workload workloadOf(final Map<String, String> params, final int lanes) {
        return workload == null ? null : workload.of(params, lanes);
    }
}
