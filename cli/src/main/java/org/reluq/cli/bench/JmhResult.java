package org.reluq.cli.bench;

import java.util.Map;
import java.util.TreeMap;

/**
 * One row of JMH's JSON result file: a benchmark method at one point of its parameter grid.
 *
 * @param benchmark the fully qualified method, e.g. {@code org.reluq.bench.ReluGradientBenchmark.gradient}
 * @param mode      JMH's mode ({@code avgt}, {@code thrpt})
 * @param threads   JMH worker threads
 * @param forks     forks measured
 * @param params    the parameters, sorted by name (empty when the benchmark has none)
 * @param score     the primary score
 * @param error     JMH's 99.9% half-interval of the score (NaN when too few samples)
 * @param unit      the score's unit, e.g. {@code us/op} or {@code ops/s}
 */
public record JmhResult(String benchmark, String mode, int threads, int forks, Map<String, String> params,
                        double score, double error, String unit) {

    /** Copies params into a sorted map. */
    public JmhResult {
        params = new TreeMap<>(params);
    }

    /** The benchmark class's simple name, e.g. {@code ReluGradientBenchmark}. */
    public String component() {
        final String[] parts = benchmark.split("\\.");
        return parts.length >= 2 ? parts[parts.length - 2] : benchmark;
    }

    /** The method name, e.g. {@code gradient}. */
    public String method() {
        return benchmark.substring(benchmark.lastIndexOf('.') + 1);
    }

    /** A parameter, or null. */
    public String param(final String name) {
        return params.get(name);
    }

    /** The score as seconds per operation (from avgt time units or thrpt rates). */
    public double secondsPerOp() {
        final String u = unit;
        if (u.endsWith("/op")) {
            return score * seconds(u.substring(0, u.length() - 3));
        }
        if (u.startsWith("ops/")) {
            return seconds(u.substring(4)) / score;
        }
        throw new IllegalArgumentException("unknown JMH unit " + unit + " of " + benchmark);
    }

    /** The relative error of the score (error / score). */
    public double relativeError() {
        return Double.isFinite(error) ? error / score : Double.NaN;
    }

    /** A key naming this result in its run: the method and every parameter. */
    public String key() {
        final StringBuilder key = new StringBuilder(component()).append('.').append(method());
        params.forEach((name, value) -> key.append(' ').append(name).append('=').append(value));
        return key.toString();
    }

    private static double seconds(final String unit) {
        return switch (unit) {
            case "ns" -> 1e-9;
            case "us" -> 1e-6;
            case "ms" -> 1e-3;
            case "s" -> 1;
            case "min" -> 60;
            default -> throw new IllegalArgumentException("unknown time unit " + unit);
        };
    }
}
