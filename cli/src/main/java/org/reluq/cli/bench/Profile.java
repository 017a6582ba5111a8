package org.reluq.cli.bench;

import java.util.List;

/** How long {@code reluq bench} measures. */
public enum Profile {

    /** One fork, 2 x 1 s warm-up, 3 x 0.5 s measured, smaller grids: under ten minutes on 2 cores. */
    QUICK(List.of("-f", "1", "-wi", "2", "-w", "1s", "-i", "3", "-r", "500ms")),
    /** Every benchmark's own settings (3 forks, 5 x 1 s warm-up, 5 x 1 s measured) and whole grids. */
    FULL(List.of());

    private final List<String> jmhArgs;

    Profile(final List<String> jmhArgs) {
        this.jmhArgs = jmhArgs;
    }

    /** The JMH options of the profile. */
    public List<String> jmhArgs() {
        return jmhArgs;
    }
}
