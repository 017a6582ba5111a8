package org.reluq.cli.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The timed runs of one contender in one job, and their statistics.
 *
 * @param job       the job
 * @param contender the command
 * @param seconds   each run's wall time
 * @param outcomes  what each run did
 */
public record EndToEndResult(EndToEndJob job, Contender contender, List<Double> seconds,
                             List<Contender.Outcome> outcomes) {

    /** An empty result to add runs to. */
    public EndToEndResult(final EndToEndJob job, final Contender contender) {
        this(job, contender, new ArrayList<>(), new ArrayList<>());
    }

    /** Adds one run. */
    public void add(final double wallSeconds, final Contender.Outcome outcome) {
        seconds.add(wallSeconds);
        outcomes.add(outcome);
    }

    /** The median wall time. */
    public double median() {
        return median(seconds);
    }

    /** The fastest run. */
    public double min() {
        return seconds.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    /** The slowest run. */
    public double max() {
        return seconds.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** The mean wall time. */
    public double mean() {
        return seconds.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }

    /** The sample standard deviation of the wall times (0 for one run). */
    public double sd() {
        final double mean = mean();
        final double squares = seconds.stream().mapToDouble(s -> (s - mean) * (s - mean)).sum();
        return seconds.size() < 2 ? 0 : Math.sqrt(squares / (seconds.size() - 1));
    }

    /** Runs that stopped short of the job's target. */
    public long missed() {
        return outcomes.stream().filter(o -> !o.reached(job.target())).count();
    }

    /** The median of each phase the runs reported, in their order. */
    public Map<String, Double> medianPhases() {
        final Map<String, List<Double>> all = new LinkedHashMap<>();
        for (final Contender.Outcome outcome : outcomes) {
            outcome.phases().forEach((phase, value) -> all.computeIfAbsent(phase, k -> new ArrayList<>()).add(value));
        }
        final Map<String, Double> medians = new LinkedHashMap<>();
        all.forEach((phase, values) -> medians.put(phase, median(values)));
        return medians;
    }

    /** The median of the iterations the runs took. */
    public double medianIterations() {
        return median(outcomes.stream().map(o -> (double) o.iterations()).toList());
    }

    static double median(final List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        final double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(sorted);
        final int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
