package org.reluq.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code reluq cluster report}: turns the JSON summaries of cluster/scripts/experiment.sh into cluster.md and its
 * figure: time to 1e-4 by link, K and encoder; where a round's time goes; the bytes on the master's link against
 * the encoders' payload; the link's use with 1 MiB gradients.
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write OUT/cluster.md and OUT/cluster/time-to-accuracy.png from the summaries (--summary JSON)",
            "that cluster/scripts/experiment.sh wrote to RESULTS."})
final class ClusterReportCommand implements Callable<Integer> {

    /** Ethernet (14), IPv4 (20) and UDP (8) headers of a datagram: on the shaped link, not in Aeron's counts. */
    private static final int FRAMING_BYTES = 42;
    private static final String[] RATES = {"100mbit", "1gbit", "10gbit"};
    private static final double[] RATE_BITS = {1e8, 1e9, 1e10};
    private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b)};

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--results", paramLabel = "RESULTS", required = true, description = "The experiment's folder.")
    Path results;

    @Option(names = "--out", paramLabel = "OUT", description = "Where cluster.md goes (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("reports");

    @Option(names = "--force", description = "Overwrite an existing OUT/cluster.md.")
    boolean force;

    /** One run's summary and the link it ran on. */
    private record Run(String name, String rate, double rateBits, JsonObject json) {

        int k() {
            return json.get("workers").getAsInt();
        }

        String encoder() {
            return json.get("encoder").getAsString();
        }

        int rounds() {
            return json.get("iterations").getAsInt();
        }

        double ms(final String part) {
            return json.getAsJsonObject(part).get("meanMillis").getAsDouble();
        }

        double p50(final String part) {
            return json.getAsJsonObject(part).get("p50Millis").getAsDouble();
        }

        /** Bytes that crossed the master's link per round: what its driver received, and sent to each worker. */
        double linkBytesPerRound() {
            final double sent = json.get("driverBytesSent").getAsDouble();
            final int copies = "master".equals(json.get("topology").getAsString()) ? k() : 1;
            return (json.get("driverBytesReceived").getAsDouble() + copies * sent) / Math.max(1, rounds());
        }
    }

    @Override
    public Integer call() throws IOException {
        final CommandLine command = spec.commandLine();
        if (!Files.isDirectory(results)) {
            throw new CommandLine.ParameterException(command, "--results " + results + " is not a folder");
        }
        OutputFiles.requireNoReport(command, out, "cluster.md", force);
        final Path md = out.resolve("cluster.md");
        final List<Run> runs = read();
        if (runs.isEmpty()) {
            throw new CommandLine.ParameterException(command, "--results " + results + " holds no summaries");
        }
        // the stamp first: it names the tree's commit, which writing the figure would make look dirty
        final String text = markdown(runs);
        Files.createDirectories(out.resolve("cluster"));
        figure(runs, out.resolve("cluster").resolve("time-to-accuracy.png"));
        Files.writeString(md, text);
        command.getOut().println("report     " + md + " (" + runs.size() + " runs)");
        return 0;
    }

    private List<Run> read() throws IOException {
        final List<Run> runs = new ArrayList<>();
        try (Stream<Path> files = Files.list(results)) {
            for (final Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                final String name = file.getFileName().toString().replace(".json", "");
                for (int i = 0; i < RATES.length; i++) {
                    if (name.contains("-" + RATES[i] + "-")) {
                        try {
                            runs.add(new Run(name, RATES[i], RATE_BITS[i],
                                    JsonParser.parseString(Files.readString(file)).getAsJsonObject()));
                        } catch (RuntimeException e) {
                            throw new CommandLine.ParameterException(spec.commandLine(), file + ": not a summary ("
                                    + e.getMessage() + ")");
                        }
                    }
                }
            }
        }
        return runs;
    }

    private static List<Run> select(final List<Run> runs, final String prefix) {
        return runs.stream().filter(r -> r.name().startsWith(prefix)).toList();
    }

    private String markdown(final List<Run> runs) throws IOException {
        final StringBuilder md = new StringBuilder();
        md.append("# Distributed QSGD on shaped links\n\n");
        md.append(ReportStamp.now("reluq cluster report --results " + results + " --out " + out).markdown());
        final Path stamp = results.resolve("stamp.txt");
        md.append("\nThe summaries: ").append(Files.exists(stamp) ? readStamp(stamp) : "(no stamp.txt)").append(".\n");
        md.append("\nThe runs: `sudo cluster/scripts/experiment.sh RESULTS` (a master and K workers in their own "
                + "network namespaces, joined by veth pairs to a bridge, every link shaped to the rate in both "
                + "directions with `tbf`, whose bucket holds 250 us of traffic so that no round crosses faster than "
                + "the rate; this kernel has no `sch_netem`, so no delay was added), then this report. Each row is "
                + "one run of `reluq cluster master` with its workers; times are HdrHistogram means of the master's "
                + "rounds. A round's network time is the round less the slowest worker's gradient (compute) and "
                + "encoding and the master's decode-and-update. Link bytes: what the master's Aeron driver received, "
                + "plus what it sent times K (the model goes to each worker), per round: Aeron's and the cluster's "
                + "headers and any retransmits included.\n\n");
        accuracy(md, select(runs, "accuracy-"), "## Time to relative error 1e-4 (master topology; d = 2048, "
                + "n = 20480, m = 128)");
        accuracy(md, select(runs, "allgather-"), "## Allgather at K = 4 (every worker sends its frame to all; no "
                + "fp32 model goes back)");
        accuracy(md, select(runs, "bound-"), "## Time to relative error 1e-4 where the link dominates (master "
                + "topology; d = 8192, n = 40960, m = 128)");
        ratios(md, runs);
        link(md, select(runs, "link-"));
        md.append("\n![time to 1e-4](cluster/time-to-accuracy.png)\n");
        return md.toString();
    }

    private static String readStamp(final Path stamp) {
        try {
            return Files.readString(stamp).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + stamp, e);
        }
    }

    private static void accuracy(final StringBuilder md, final List<Run> runs, final String title) {
        if (runs.isEmpty()) {
            return;
        }
        md.append("\n").append(title).append("\n\n");
        md.append("| link | K | encoder | rounds | time to 1e-4 (s) | frame bytes/round | link bytes/round | round (ms) "
                + "| compute | encode | network | decode+update | link use |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (final Run r : sorted(runs)) {
            final double linkUse = r.linkBytesPerRound() * 8 / (r.ms("round") / 1e3) / r.rateBits();
            md.append(String.format(Locale.ROOT, "| %s | %d | `%s` | %d%s | %.2f | %.0f | %.0f | %.2f | %.2f | %.2f | "
                            + "%.2f | %.2f | %.0f%% |\n", r.rate(), r.k(), r.encoder(), r.rounds(),
                    "target-reached".equals(r.json().get("stop").getAsString().replace('_', '-')) ? "" : " (not reached)",
                    r.json().get("loopSeconds").getAsDouble(), r.json().get("frameBytes").getAsDouble() / r.rounds(),
                    r.linkBytesPerRound(), r.ms("round"), r.ms("compute"), r.ms("encode"), r.ms("network"),
                    r.ms("decodeUpdate"), 100 * linkUse));
        }
    }

    /** At 100 Mbit/s: does QSGD's time to 1e-4 shrink by its bytes-to-accuracy ratio against fp32? */
    private static void ratios(final StringBuilder md, final List<Run> runs) {
        final List<Run> slow = runs.stream().filter(r -> r.rate().equals("100mbit")
                && !r.name().startsWith("link-")).toList();
        final List<String> lines = new ArrayList<>();
        for (final Run fp32 : slow) {
            if (!fp32.encoder().equals("fp32")) {
                continue;
            }
            final String prefix = fp32.name().substring(0, fp32.name().lastIndexOf("-fp32"));
            for (final Run q : slow) {
                if (q.encoder().startsWith("qsgd") && q.name().startsWith(prefix + "-")) {
                    final double bytes = fp32.linkBytesPerRound() * fp32.rounds() / (q.linkBytesPerRound() * q.rounds());
                    final double time = fp32.json().get("loopSeconds").getAsDouble()
                            / q.json().get("loopSeconds").getAsDouble();
                    lines.add(String.format(Locale.ROOT, "| %s | %d | %d | `%s` | %.2f | %.2f | %.2f |\n",
                            q.json().get("topology").getAsString(), q.json().get("d").getAsInt(), q.k(), q.encoder(),
                            bytes, time, time / bytes));
                }
            }
        }
        if (lines.isEmpty()) {
            return;
        }
        md.append("\n## At 100 Mbit/s: time against bytes to accuracy, QSGD over fp32\n\n");
        md.append("Bytes to accuracy: link bytes per round times rounds to 1e-4. The claim to check: the time ratio is at "
                + "least the bytes ratio within 20% (last column >= 0.8).\n\n");
        md.append("| topology | d | K | encoder | fp32/QSGD bytes to 1e-4 | fp32/QSGD time to 1e-4 | time ratio / "
                + "bytes ratio |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        lines.forEach(md::append);
    }

    private static void link(final StringBuilder md, final List<Run> runs) {
        if (runs.isEmpty()) {
            return;
        }
        md.append("\n## The link's use with 1 MiB gradients (fp32, d = 262144, master topology)\n\n");
        md.append("Link-bound minimum: the link bytes of a round (each worker's frame in, the model out to each worker, "
                + "as the driver counted them: UDP payloads) plus the " + FRAMING_BYTES + " bytes of Ethernet, IPv4 "
                + "and UDP headers per datagram that the shaper counts too, over the rate. The target: a round at "
                + "most 1.18x that minimum. The batch sets the compute a round adds to its two transfers.\n\n");
        md.append("Means over the rounds, and medians (p50), which leave out the first rounds' JIT warm-up.\n\n");
        md.append("| link | K | batch | rounds | link bytes/round | link-bound minimum (ms) | round mean / p50 (ms) | "
                + "compute p50 | encode p50 | decode+update p50 | network mean / p50 | round / minimum, mean / p50 | "
                + "network / minimum, mean / p50 |\n|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (final Run r : sorted(runs)) {
            final int mtu = r.json().get("mtu").getAsInt();
            final double bytes = r.linkBytesPerRound() * (1 + (double) FRAMING_BYTES / mtu);
            final double minimum = bytes * 8 / r.rateBits() * 1e3;
            md.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %.0f | %.2f | %.2f / %.2f | %.2f | %.2f | "
                            + "%.2f | %.2f / %.2f | %.2f / %.2f | %.2f / %.2f |\n", r.rate(), r.k(),
                    r.json().get("batch").getAsInt(), r.rounds(), r.linkBytesPerRound(), minimum, r.ms("round"),
                    r.p50("round"), r.p50("compute"), r.p50("encode"), r.p50("decodeUpdate"), r.ms("network"),
                    r.p50("network"), r.ms("round") / minimum, r.p50("round") / minimum, r.ms("network") / minimum,
                    r.p50("network") / minimum));
        }
    }

    private static List<Run> sorted(final List<Run> runs) {
        return runs.stream().sorted(Comparator.comparingDouble(Run::rateBits).thenComparingInt(Run::k)
                .thenComparing(Run::encoder).thenComparing(Run::name)).toList();
    }

    /** Time to 1e-4 against the link's rate: a colour per encoder, a line style per K. */
    private static void figure(final List<Run> all, final Path file) {
        final List<Run> runs = select(all, "accuracy-");
        final Map<String, Color> colours = new LinkedHashMap<>();
        for (final Run r : sorted(runs)) {
            colours.computeIfAbsent(r.encoder(), e -> COLOURS[colours.size() % COLOURS.length]);
        }
        final XYChart chart = new XYChartBuilder().width(900).height(560)
                .title("Time to 1e-4 by link rate (master topology, d = 2048)")
                .xAxisTitle("link rate (bit/s)").yAxisTitle("time to 1e-4 (s)").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setMarkerSize(6);
        final float[][] dashes = {{2f, 4f}, {8f, 4f}, null};
        final int[] ks = {1, 2, 4};
        for (final Map.Entry<String, Color> encoder : colours.entrySet()) {
            for (int i = 0; i < ks.length; i++) {
                final int k = ks[i];
                final List<Run> line = runs.stream().filter(r -> r.encoder().equals(encoder.getKey()) && r.k() == k)
                        .sorted(Comparator.comparingDouble(Run::rateBits)).toList();
                if (line.isEmpty()) {
                    continue;
                }
                final XYSeries series = chart.addSeries(encoder.getKey() + ", K=" + k,
                        line.stream().mapToDouble(Run::rateBits).toArray(),
                        line.stream().mapToDouble(r -> r.json().get("loopSeconds").getAsDouble()).toArray());
                series.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
                series.setLineColor(encoder.getValue());
                series.setMarkerColor(encoder.getValue());
                series.setMarker(SeriesMarkers.CIRCLE);
                series.setLineStyle(dashes[i] == null ? new BasicStroke(2f)
                        : new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, dashes[i], 0f));
            }
        }
        try {
            Charts.write(chart, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
