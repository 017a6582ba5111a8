package org.reluq.cli.bench;

import java.util.List;

/**
 * One job of {@code reluq bench e2e}: the {@code reluq fit} arguments that define it, which the peer scripts
 * (bench/peers/) accept under the same names, and the relative error every run must reach.
 *
 * @param name   short name, e.g. {@code default}
 * @param args   the fit arguments ({@code --d 8192 ...}); empty for reluq fit's defaults
 * @param target the target relative error the arguments ask for (a run that misses it is reported)
 */
public record EndToEndJob(String name, List<String> args, double target) {

    /** The default fit: d = 1024, n = 10 d, m = 64, to 1e-6. */
    public static final EndToEndJob DEFAULT = new EndToEndJob("default", List.of(), 1e-6);

    /** The large fit of issue 13: d = 8192, n = 81920, m = 512, to 1e-4 (X is 2.7 GB). */
    public static final EndToEndJob LARGE = new EndToEndJob("large",
            List.of("--d", "8192", "--n", "81920", "--batch", "512", "--target-error", "1e-4"), 1e-4);

    /** Every job, by name. */
    public static final List<EndToEndJob> ALL = List.of(DEFAULT, LARGE);

    /** The arguments as one string, or {@code (defaults)}. */
    public String describe() {
        return args.isEmpty() ? "(defaults: --d 1024 --batch 64 --target-error 1e-6)" : String.join(" ", args);
    }
}
