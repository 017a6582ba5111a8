package org.reluq.cli.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes {@code end-to-end.md} (a table per job: every contender's median wall time over alternating runs,
 * spread, and its speed against each peer measured in the same run; reluq's phases; the loop against JMH's
 * steady state) and {@code end-to-end.json} (every run).
 */
public final class EndToEndReport {

    private EndToEndReport() {
    }

    /**
     * @param header  the title and the stamp (machine, JDK, commit, command), markdown
     * @param results every contender's runs, jobs in order
     * @param steady  SgdStepBenchmark's steady-state steps per second by job name (none when not measured)
     * @return the markdown file
     */
    public static Path write(final String header, final List<EndToEndResult> results, final Map<String, Double> steady,
                             final Path out) throws IOException {
        final StringBuilder md = new StringBuilder(header).append('\n');
        for (final EndToEndJob job : results.stream().map(EndToEndResult::job).distinct().toList()) {
            final List<EndToEndResult> rows = results.stream().filter(r -> r.job().equals(job)).toList();
            md.append("## Job `").append(job.name()).append("`: `reluq fit ").append(job.describe()).append("`\n\n");
            md.append("| command | runs | median | min – max | mean ± sd | iterations (median) |");
            final List<EndToEndResult> peers = rows.stream().filter(r -> !r.contender().name().equals("reluq")
                    && !r.contender().name().equals("memory probe")).toList();
            for (final EndToEndResult peer : peers) {
                md.append(" speed vs ").append(peer.contender().name()).append(" |");
            }
            md.append("\n|---|---|---|---|---|---|").append("---|".repeat(peers.size())).append('\n');
            for (final EndToEndResult row : rows) {
                md.append(String.format(Locale.ROOT, "| %s | %d%s | %.3f s | %.3f – %.3f s | %.3f ± %.3f s | %s |",
                        row.contender().name(), row.seconds().size(),
                        row.missed() > 0 ? " (" + row.missed() + " missed the target)" : "", row.median(), row.min(),
                        row.max(), row.mean(), row.sd(), row.medianIterations() < 0 ? "—"
                                : String.format(Locale.ROOT, "%.0f", row.medianIterations())));
                for (final EndToEndResult peer : peers) {
                    md.append(String.format(Locale.ROOT, " %.2f× |", peer.median() / row.median()));
                }
                md.append('\n');
            }
            md.append("\nMedian phases (seconds; reluq's from its `--json` summary, the peers' from their own "
                    + "clocks, which start after the interpreter and the import):\n\n");
            for (final EndToEndResult row : rows) {
                final Map<String, Double> phases = row.medianPhases();
                if (phases.isEmpty()) {
                    continue;
                }
                md.append("- ").append(row.contender().name()).append(": ");
                md.append(String.join(", ", phases.entrySet().stream().map(e -> e.getKey().equals(
                        "loopIterationsPerSecond") ? String.format(Locale.ROOT, "loop rate %.0f it/s", e.getValue())
                        : String.format(Locale.ROOT, "%s %.3f", e.getKey(), e.getValue())).toList())).append('\n');
            }
            final Double jmh = steady.get(job.name());
            final EndToEndResult reluq = rows.stream().filter(r -> r.contender().name().equals("reluq")).findFirst()
                    .orElse(null);
            if (jmh != null && reluq != null) {
                final double loop = reluq.medianPhases().getOrDefault("loopIterationsPerSecond", Double.NaN);
                md.append(String.format(Locale.ROOT, "%nThe loop of `reluq fit` (median over the runs, JIT warm-up "
                        + "included) ran at %.0f iterations/s; `SgdStepBenchmark` in the same session, steady "
                        + "state: %.0f /s, so the loop reached %.0f%% of it.%n", loop, jmh, 100 * loop / jmh));
            }
            md.append('\n');
        }
        Files.createDirectories(out);
        final Path file = out.resolve("end-to-end.md");
        Files.writeString(file, md);
        Files.writeString(out.resolve("end-to-end.json"), json(results, steady));
        return file;
    }

    private static String json(final List<EndToEndResult> results, final Map<String, Double> steady) {
        final JsonArray all = new JsonArray();
        for (final EndToEndResult result : results) {
            final JsonObject row = new JsonObject();
            row.addProperty("job", result.job().name());
            row.addProperty("contender", result.contender().name());
            row.addProperty("command", String.join(" ", result.contender().command()));
            final JsonArray runs = new JsonArray();
            for (int i = 0; i < result.seconds().size(); i++) {
                final JsonObject run = new JsonObject();
                run.addProperty("seconds", result.seconds().get(i));
                final Contender.Outcome outcome = result.outcomes().get(i);
                if (outcome.iterations() >= 0) {
                    run.addProperty("iterations", outcome.iterations());
                    run.addProperty("relativeError", outcome.relativeError());
                }
                final JsonObject phases = new JsonObject();
                outcome.phases().forEach(phases::addProperty);
                run.add("phases", phases);
                runs.add(run);
            }
            row.add("runs", runs);
            all.add(row);
        }
        final JsonObject root = new JsonObject();
        root.add("results", all);
        final JsonObject jmh = new JsonObject();
        steady.forEach(jmh::addProperty);
        root.add("sgdStepSteadyPerSecond", jmh);
        return new GsonBuilder().setPrettyPrinting().create().toJson(root);
    }
}
