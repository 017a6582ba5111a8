package org.reluq.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.reluq.bench.suite.BenchmarkInfo;
import org.reluq.bench.suite.ForkFlags;
import org.reluq.bench.suite.Suite;
import org.reluq.cli.bench.BenchReport;
import org.reluq.cli.bench.JmhResult;
import org.reluq.cli.bench.JmhResults;
import org.reluq.cli.bench.JvmVariant;
import org.reluq.cli.bench.PortabilityReport;
import org.reluq.cli.bench.Profile;
import org.reluq.kernels.simd.Vectorization;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code reluq bench}: runs the JMH suite from the shaded benchmarks jar, one JMH run per benchmark class,
 * keeps JMH's JSON and log per class, and writes {@code benchmarks.md} with figures.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false, subcommands = {CompareCommand.class, E2eCommand.class},
        description = {"Run reluq's JMH benchmarks on this machine and write OUT/benchmarks.md with figures in",
            "OUT/benchmarks/ and JMH's JSON and logs in OUT/jmh/. The roofline (read bandwidth at L2-, L3- and",
            "DRAM-sized working sets, FMA peak) is measured in the same run.",
            "Exit code: 0 done, 1 a benchmark failed, 2 for bad options."})
final class BenchCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.ArgGroup(exclusive = true)
    ProfileChoice profile = new ProfileChoice();

    /** --quick or --full. */
    static final class ProfileChoice {
        @Option(names = "--quick", description = "1 fork, short iterations, smaller grids (default; ~8 min here).")
        boolean quick;

        @Option(names = "--full", description = "Every benchmark's own settings and whole grids (hours).")
        boolean full;
    }

    @Option(names = "--include", paramLabel = "REGEX",
            description = "Only benchmark classes whose name matches (e.g. 'Gradient|Quantize').")
    String include;

    @Option(names = "--threads", paramLabel = "N",
            description = "Thread counts 1 and N for benchmarks with a threads parameter (default: ${DEFAULT-VALUE}).")
    int threads = 2;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Folder of the report, created when missing (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("results", "bench");

    @Option(names = "--force", description = "Replace a benchmarks.md already in --out (e.g. --out reports).")
    boolean force;

    @Option(names = "--jvm-variants", paramLabel = "SETS",
            description = {"Run the suite once per JVM option set, ';' between sets, 'default' for none, into one",
                "OUT/portability.md with a table per benchmark across the sets, e.g.",
                "'default;-XX:UseAVX=2;-XX:UseAVX=2 -Dreluq.vector.bits=128;-XX:UseAVX=0'; the option",
                "-Dreluq.vector.module=absent starts a set's forks without the Vector API module."})
    String jvmVariants;

    @Option(names = "--jar", paramLabel = "JAR",
            description = "The benchmarks jar (default: the one ./reluq builds, bench/target/benchmarks.jar).")
    Path jar;

    @Override
    public Integer call() throws IOException {
        final Profile chosen = profile.full ? Profile.FULL : Profile.QUICK;
        if (threads < 1) {
            throw usage("--threads must be >= 1, got " + threads);
        }
        final List<JvmVariant> variants = variants();
        final List<BenchmarkInfo> plans = plans();
        final Path folder = out.toAbsolutePath();
        final Path benchmarks = benchmarksJar();
        final boolean portability = jvmVariants != null;
        OutputFiles.requireNoReport(spec.commandLine(), out, portability ? "portability.md" : "benchmarks.md", force);
        OutputFiles.requireWritableFolder(spec.commandLine(), "--out", out);
        final PrintWriter stdout = spec.commandLine().getOut();
        // each variant's kernel path, from a JVM started as its forks are: a bad option fails here, not hours in
        final Map<JvmVariant, List<String>> probes = new LinkedHashMap<>();
        for (final JvmVariant variant : variants) {
            final List<String> probe = probe(benchmarks, variant);
            probes.put(variant, probe);
            stdout.printf(Locale.ROOT, "variant    %s: %s%n", variant.label(), String.join("; ", probe));
        }
        final String command = "reluq bench --" + chosen.name().toLowerCase(Locale.ROOT)
                + (include == null ? "" : " --include '" + include + "'") + " --threads " + threads
                + (portability ? " --jvm-variants '" + jvmVariants + "'" : "") + " --out " + out;
        final ReportStamp stamp = ReportStamp.now(command);
        final Path jmh = Files.createDirectories(folder.resolve("jmh"));
        final Map<JvmVariant, List<JmhResult>> results = new LinkedHashMap<>();
        final JsonArray all = new JsonArray();
        final long start = System.nanoTime();
        for (int v = 0; v < variants.size(); v++) {
            final JvmVariant variant = variants.get(v);
            final Path dir = portability ? Files.createDirectories(jmh.resolve(variant.slug())) : jmh;
            final List<JmhResult> variantResults = new ArrayList<>();
            for (int i = 0; i < plans.size(); i++) {
                final BenchmarkInfo plan = plans.get(i);
                stdout.printf(Locale.ROOT, "[%s%d/%d] %s (%.0f s so far)%n",
                        portability ? variant.label() + ", " : "", i + 1, plans.size(), plan.name(),
                        (System.nanoTime() - start) / 1e9);
                final Path json = dir.resolve(plan.name() + ".json");
                if (!runJmh(benchmarks, plan, chosen, variant, json, dir.resolve(plan.name() + ".log"), stdout)) {
                    spec.commandLine().getErr().printf("reluq bench: %s failed; its log is %s%n", plan.name(),
                            dir.resolve(plan.name() + ".log"));
                    return 1;
                }
                variantResults.addAll(JmhResults.read(json));
                all.addAll(JsonParser.parseString(Files.readString(json)).getAsJsonArray());
            }
            results.put(variant, variantResults);
        }
        if (!portability) {
            // one file of every result, for reluq bench compare (variants would mix in it: each has its folder)
            Files.writeString(jmh.resolve("benchmarks.json"), all.toString());
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        final Path report;
        if (portability) {
            report = PortabilityReport.write(portabilityHeader(stamp, chosen, seconds), results, probes, folder);
        } else {
            final String header = header(stamp, chosen, all, seconds) + "| kernels | "
                    + String.join("<br>", probes.get(variants.get(0))) + " |\n";
            report = BenchReport.write(results.get(variants.get(0)), header, Vectorization.LANES, folder);
        }
        stdout.printf(Locale.ROOT, "report     %s (%d results, JMH JSON in %s)%n", report,
                results.values().stream().mapToInt(List::size).sum(),
                portability ? jmh.resolve("<variant>") : jmh.resolve("benchmarks.json"));
        return 0;
    }

    private static final Pattern PROBE_LINE = Pattern.compile("(path|families|isa|hotspot): ");

    private List<JvmVariant> variants() {
        if (jvmVariants == null) {
            return List.of(JvmVariant.none());
        }
        try {
            return JvmVariant.parse(jvmVariants);
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage());
        }
    }

    /** What {@code PathProbe} prints in a JVM with the forks' flags and the variant's options. */
    private List<String> probe(final Path benchmarks, final JvmVariant variant) throws IOException {
        final List<String> command = new ArrayList<>(List.of(javaExecutable()));
        command.addAll(ForkFlags.kernelFlags(forkFlags(benchmarks), variant.options()));
        command.addAll(variant.options());
        command.addAll(List.of("-cp", benchmarks.toString(), "org.reluq.bench.PathProbe"));
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final List<String> lines;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            // PathProbe's own lines only: not the JVM's warnings, nor the kernels' log of a missing module
            lines = in.lines().filter(line -> PROBE_LINE.matcher(line).lookingAt()).toList();
        }
        try {
            if (process.waitFor() != 0) {
                throw usage("--jvm-variants: the JVM does not start with '" + variant.label() + "': "
                        + (lines.isEmpty() ? "exit code " + process.exitValue() : lines.get(0)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while probing " + variant.label(), e);
        }
        return lines;
    }

    /** The kernels' JVM flags, as the benchmarks jar recorded them for its forks. */
    private static List<String> forkFlags(final Path benchmarks) throws IOException {
        try (JarFile jar = new JarFile(benchmarks.toFile())) {
            final JarEntry entry = jar.getJarEntry("org/reluq/bench/jvm.properties");
            if (entry == null) {
                throw new IOException(benchmarks + " holds no org/reluq/bench/jvm.properties: rebuild it");
            }
            final Properties properties = new Properties();
            try (InputStream in = jar.getInputStream(entry)) {
                properties.load(in);
            }
            return List.of(properties.getProperty("jvm.flags", "").trim().split("\\s+"));
        }
    }

    private List<BenchmarkInfo> plans() {
        if (include == null) {
            return Suite.ALL;
        }
        final Pattern pattern;
        try {
            pattern = Pattern.compile(include);
        } catch (PatternSyntaxException e) {
            throw usage("--include '" + include + "' is not a regular expression: " + e.getDescription());
        }
        final List<BenchmarkInfo> plans = Suite.ALL.stream().filter(p -> pattern.matcher(p.name()).find()).toList();
        if (plans.isEmpty()) {
            throw usage("--include '" + include + "' matches no benchmark; the suite has "
                    + String.join(", ", Suite.ALL.stream().map(BenchmarkInfo::name).toList()));
        }
        return plans;
    }

    private Path benchmarksJar() {
        final Path path = jar != null ? jar : Path.of(System.getProperty("reluq.benchmarks.jar",
                "bench/target/benchmarks.jar"));
        if (!Files.isRegularFile(path)) {
            throw usage("benchmarks jar " + path + " not found: run ./reluq bench (it builds the jar), or build it "
                    + "with ./mvnw -DskipTests -pl bench -am package, or give --jar");
        }
        return path;
    }

    /** Runs JMH for one class in a child JVM, relays its progress lines, and keeps its whole output. */
    private boolean runJmh(final Path benchmarks, final BenchmarkInfo plan, final Profile chosen,
                           final JvmVariant variant, final Path json, final Path log, final PrintWriter stdout)
            throws IOException {
        final List<String> command = new ArrayList<>(List.of(javaExecutable(), "-jar", benchmarks.toString(),
                plan.pattern()));
        command.addAll(chosen.jmhArgs(plan));
        if (!variant.options().isEmpty()) {
            // prepended: the benchmarks' own fork options (heap, pre-touch) still apply
            command.add("-jvmArgsPrepend");
            command.add(String.join(" ", variant.options()));
        }
        if (chosen == Profile.QUICK) {
            for (final String param : plan.quickParams()) {
                command.add("-p");
                command.add(param);
            }
        }
        if (plan.threadParam()) {
            command.add("-p");
            command.add(threads == 1 ? "threads=1" : "threads=1," + threads);
        }
        command.addAll(List.of("-rf", "json", "-rff", json.toString()));
        final Process jmh = new ProcessBuilder(command).redirectErrorStream(true).start();
        // Ctrl-C on reluq must not leave a JMH run behind
        final Thread stopChild = new Thread(jmh::destroyForcibly, "reluq-bench-stop");
        Runtime.getRuntime().addShutdownHook(stopChild);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(jmh.getInputStream(),
                StandardCharsets.UTF_8)); Writer keep = Files.newBufferedWriter(log)) {
            keep.write(String.join(" ", command) + "\n");
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                keep.write(line + "\n");
                if (line.startsWith("# Run progress") || line.startsWith("# Parameters")) {
                    stdout.println("    " + line.substring(2));
                }
            }
        }
        try {
            return jmh.waitFor() == 0 && Files.isRegularFile(json);
        } catch (InterruptedException e) {
            jmh.destroyForcibly();
            Thread.currentThread().interrupt();
            return false;
        } finally {
            Runtime.getRuntime().removeShutdownHook(stopChild);
        }
    }

    private static String javaExecutable() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString());
    }

    private static String portabilityHeader(final ReportStamp stamp, final Profile profile, final double seconds) {
        return "# reluq on other hardware: the suite under several JVM option sets\n\n"
                + String.format(Locale.ROOT, "Made by `reluq bench --jvm-variants` (%s profile) in %.0f s. Each variant "
                        + "ran the suite in forks started with its options after the kernels' flags; each cell is the "
                        + "time per operation and, in bold, the speed against the benchmark's baseline measured in the "
                        + "same variant. JMH's JSON and logs per variant: [`jmh/`](jmh/).%s%n%n",
                        profile.name().toLowerCase(Locale.ROOT), seconds, profile == Profile.QUICK
                                ? " The quick profile measures one fork for 1.5 s per row: on a busy machine its "
                                + "errors are wide, so check a target with more iterations before quoting it." : "")
                + stamp.markdown() + "\n";
    }

    private static String header(final ReportStamp stamp, final Profile profile, final JsonArray all,
                                 final double seconds) {
        final String flags = all.isEmpty() ? "" : String.join(" ", all.get(0).getAsJsonObject().get("jvmArgs")
                .getAsJsonArray().asList().stream().map(e -> e.getAsString()).toList());
        return "# reluq benchmarks\n\n"
                + String.format(Locale.ROOT, "Made by `reluq bench` (%s profile) in %.0f s. Every row compares "
                        + "implementations measured in the same run; \"speed vs\" is the named baseline's time over "
                        + "the row's time; \"%% of roofline\" is the bytes the kernel must read per second over the "
                        + "read bandwidth of the level its data live in (see the roofline table). JMH's JSON and "
                        + "logs: [`jmh/`](jmh/).%s%n%n", profile.name().toLowerCase(Locale.ROOT), seconds,
                        profile == Profile.QUICK ? " The quick profile measures one fork for 1.5 s per row: its "
                                + "errors are wide on a busy machine, and a row can exceed 100% of a roofline "
                                + "level measured in another JMH run; quote numbers from `--full`." : "")
                + stamp.markdown() + "| JVM flags of every fork | `" + flags + "` |\n";
    }

    private CommandLine.ParameterException usage(final String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
