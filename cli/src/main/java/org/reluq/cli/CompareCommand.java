package org.reluq.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.reluq.cli.bench.JmhResult;
import org.reluq.cli.bench.JmhResults;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code reluq bench compare A.json B.json}: per-benchmark speed of B relative to A. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compare two JMH JSON result files (e.g. from two machines): for every benchmark and",
            "parameter set in both, the time per operation in each and B's speed relative to A (A's time over",
            "B's). Exit code: 0 done, 2 for a missing or malformed file."})
final class CompareCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "A.json", description = "The reference results.")
    Path a;

    @Parameters(index = "1", paramLabel = "B.json", description = "The results to compare with A.")
    Path b;

    @Override
    public Integer call() {
        final Map<String, JmhResult> first = read(a);
        final Map<String, JmhResult> second = read(b);
        final PrintWriter out = spec.commandLine().getOut();
        out.printf(Locale.ROOT, "%-90s %16s %16s %10s%n", "benchmark", "A time/op", "B time/op", "B vs A");
        int both = 0;
        for (final Map.Entry<String, JmhResult> e : first.entrySet()) {
            final JmhResult other = second.get(e.getKey());
            if (other == null) {
                out.printf(Locale.ROOT, "%-90s %16s %16s %10s%n", e.getKey(), time(e.getValue()), "-", "only in A");
                continue;
            }
            both++;
            out.printf(Locale.ROOT, "%-90s %16s %16s %9.2f×%n", e.getKey(), time(e.getValue()), time(other),
                    e.getValue().secondsPerOp() / other.secondsPerOp());
        }
        for (final Map.Entry<String, JmhResult> e : second.entrySet()) {
            if (!first.containsKey(e.getKey())) {
                out.printf(Locale.ROOT, "%-90s %16s %16s %10s%n", e.getKey(), "-", time(e.getValue()), "only in B");
            }
        }
        out.printf(Locale.ROOT, "%d benchmarks in both files%n", both);
        return 0;
    }

    private Map<String, JmhResult> read(final Path file) {
        final List<JmhResult> results;
        try {
            results = JmhResults.read(file);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "cannot read " + file + ": " + e);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        final Map<String, JmhResult> byKey = new LinkedHashMap<>();
        for (final JmhResult r : results) {
            byKey.put(r.key(), r);
        }
        return byKey;
    }

    private static String time(final JmhResult r) {
        final double us = r.secondsPerOp() * 1e6;
        final double error = 100 * r.relativeError();
        return Double.isFinite(error) ? String.format(Locale.ROOT, "%.4g µs ±%.0f%%", us, error)
                : String.format(Locale.ROOT, "%.4g µs", us);
    }
}
