package org.reluq.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code portability.md}: one suite run under several JVM option sets, a table per benchmark with a column per
 * variant. Each cell is the row's time per operation and its speed against the benchmark's baseline measured in
 * the same variant (the baselines of {@link BenchReport}), so the ratios are within one JVM configuration even
 * though the variants ran one after another.
 */
public final class PortabilityReport {

    private PortabilityReport() {
    }

    /**
     * Writes {@code portability.md} into {@code out}.
     *
     * @param header  the report's first lines (title, machine, command), markdown
     * @param results the results of each variant, in the variants' order
     * @param probes  what {@code PathProbe} printed for each variant (path, families, ISA, HotSpot flags)
     * @return the markdown file
     */
    public static Path write(final String header, final Map<JvmVariant, List<JmhResult>> results,
                             final Map<JvmVariant, List<String>> probes, final Path out) throws IOException {
        final Path file = out.resolve("portability.md");
        Files.writeString(file, header + "\n" + variants(probes) + tables(results));
        return file;
    }

    /** The variants and the path each took. */
    static String variants(final Map<JvmVariant, List<String>> probes) {
        final StringBuilder md = new StringBuilder("## Variants\n\n| variant | kernels |\n|---|---|\n");
        probes.forEach((variant, lines) -> md.append("| `").append(variant.label()).append("` | ")
                .append(String.join("<br>", lines)).append(" |\n"));
        return md.append('\n').toString();
    }

    /** One table per benchmark: its rows (as the first variant that has them lists them), a column per variant. */
    static String tables(final Map<JvmVariant, List<JmhResult>> results) {
        final Map<String, Map<String, JmhResult>> rowsByComponent = new LinkedHashMap<>();
        final Map<JvmVariant, Map<String, JmhResult>> byKey = new LinkedHashMap<>();
        results.forEach((variant, rows) -> {
            final Map<String, JmhResult> keyed = new LinkedHashMap<>();
            for (final JmhResult r : rows) {
                keyed.put(r.key(), r);
                rowsByComponent.computeIfAbsent(r.component(), c -> new LinkedHashMap<>()).putIfAbsent(r.key(), r);
            }
            byKey.put(variant, keyed);
        });
        final StringBuilder md = new StringBuilder();
        rowsByComponent.forEach((component, rows) -> {
            final String[] baseline = BenchReport.baseline(component);
            md.append("## ").append(component).append("\n\n");
            md.append("Time per operation").append(baseline == null ? "" : " and speed against " + baseline[0] + "="
                    + baseline[1] + " in the same variant").append(".\n\n| parameters |");
            results.keySet().forEach(v -> md.append(" `").append(v.label()).append("` |"));
            md.append("\n|---|");
            results.keySet().forEach(v -> md.append("---|"));
            md.append('\n');
            for (final String key : rows.keySet()) {
                md.append("| ").append(BenchReport.label(rows.get(key))).append(" |");
                results.forEach((variant, all) -> md.append(' ').append(cell(byKey.get(variant).get(key), all,
                        baseline)).append(" |"));
                md.append('\n');
            }
            md.append('\n');
        });
        return md.toString();
    }

    private static String cell(final JmhResult r, final List<JmhResult> variantRows, final String[] baseline) {
        if (r == null) {
            return "-";
        }
        final String time = BenchReport.time(r.secondsPerOp())
                + (Double.isFinite(r.relativeError()) ? String.format(Locale.ROOT, " ± %.0f%%", 100 * r.relativeError())
                : "");
        if (baseline == null) {
            return time;
        }
        // the baseline of the same benchmark: another class may have a method and parameters of the same names
        final List<JmhResult> sameComponent = variantRows.stream()
                .filter(row -> row.component().equals(r.component())).toList();
        final JmhResult base = BenchReport.find(sameComponent, r, baseline[0], baseline[1]);
        if (base == null || base == r) {
            return time;
        }
        return time + String.format(Locale.ROOT, ", **%.2f×**", base.secondsPerOp() / r.secondsPerOp());
    }
}
