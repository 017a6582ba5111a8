package org.reluq.cli.bench;

import java.util.List;
import org.reluq.bench.suite.BenchmarkInfo;

/** How long {@code reluq bench} measures. */
public enum Profile {

    /** One fork, 1 s warm-up iterations (2, more for some plans), 3 x 0.5 s measured, smaller grids. */
    QUICK(List.of("-f", "1", "-w", "1s", "-i", "3", "-r", "500ms")),
    /** Every benchmark's own settings (3 forks, 5 x 1 s warm-up, 5 x 1 s measured) and whole grids. */
    FULL(List.of());

    private final List<String> jmhArgs;

    Profile(final List<String> jmhArgs) {
        this.jmhArgs = jmhArgs;
    }

    /** The JMH options of the profile for one plan. */
    public List<String> jmhArgs(final BenchmarkInfo plan) {
        if (this != QUICK) {
            return jmhArgs;
        }
        final List<String> args = new java.util.ArrayList<>(jmhArgs);
        args.add("-wi");
        args.add(Integer.toString(plan.quickWarmups()));
        return args;
    }
}
