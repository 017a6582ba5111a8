package org.reluq.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.reluq.cli.bench.Contender;
import org.reluq.cli.bench.EndToEndJob;
import org.reluq.cli.bench.EndToEndReport;
import org.reluq.cli.bench.EndToEndResult;
import org.reluq.cli.bench.JmhResult;
import org.reluq.cli.bench.JmhResults;
import org.reluq.cli.bench.ProcessRun;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code reluq bench e2e}: times whole processes, as a user waits for them: {@code reluq fit} against the
 * numpy and PyTorch scripts of bench/peers/ (the same algorithm and stopping rule), the runs of each job
 * alternating between the commands so a drifting machine slows them alike, and writes end-to-end.md.
 */
@Command(name = "e2e", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Time whole `reluq fit` processes against the peer scripts in bench/peers/ (numpy, PyTorch:",
            "the same model, init, SGD and stopping rule), alternating runs, and write OUT/end-to-end.md and",
            "OUT/end-to-end.json: median, spread, speed against each peer, reluq's phases, and its loop against",
            "SgdStepBenchmark's steady state measured in the same session. The default takes about 8 minutes here.",
            "Peers: apt-get install python3-numpy python3-torch."},
        footer = {"", "Exit codes: 0 done, 1 a command failed or the report cannot be written, 2 a bad option."})
final class E2eCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--jobs", paramLabel = "JOB[,JOB]", split = ",",
            description = "Jobs: default (d = 1024 to 1e-6), large (d = 8192, n = 81920, m = 512 to 1e-4) "
                    + "(default: both).")
    List<String> jobs = List.of("default", "large");

    @Option(names = "--runs", paramLabel = "N", description = "Timed runs of each command per job, after one "
            + "untimed (default: ${DEFAULT-VALUE}).")
    int runs = 5;

    @Option(names = "--peers", paramLabel = "PEER[,PEER]", split = ",",
            description = "Peer scripts to time: numpy, torch (default: both).")
    List<String> peers = List.of("numpy", "torch");

    @Option(names = "--python", paramLabel = "PYTHON", description = "The Python of the peers (default: "
            + "${DEFAULT-VALUE}).")
    String python = "/usr/bin/python3";

    @Option(names = "--no-jmh", description = "Skip SgdStepBenchmark (the loop's steady-state reference).")
    boolean noJmh;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Folder of the report, created when missing (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("results", "e2e");

    @Option(names = "--force", description = "Replace an end-to-end.md already in --out (e.g. --out reports).")
    boolean force;

    @Override
    public Integer call() throws IOException {
        final List<EndToEndJob> chosen = jobs();
        if (runs < 1) {
            throw usage("--runs must be >= 1, got " + runs);
        }
        final Path home = Path.of(System.getProperty("reluq.home", ".")).toAbsolutePath().normalize();
        final Path launcher = home.resolve("reluq");
        if (!Files.isExecutable(launcher)) {
            throw usage("the reluq launcher " + launcher + " is missing: run this through ./reluq");
        }
        for (final String peer : peers) {
            if (!peer.equals("numpy") && !peer.equals("torch")) {
                throw usage("--peers " + peer + " is not a peer; expected numpy or torch");
            }
            requirePython(peer.equals("torch") ? "torch" : "numpy");
        }
        final Path jar = Path.of(System.getProperty("reluq.benchmarks.jar", "bench/target/benchmarks.jar"));
        if (!noJmh && !Files.isRegularFile(jar)) {
            throw usage("benchmarks jar " + jar + " not found (run this through ./reluq, which builds it), or give "
                    + "--no-jmh");
        }
        OutputFiles.requireNoReport(spec.commandLine(), out, "end-to-end.md", force);
        OutputFiles.requireWritableFolder(spec.commandLine(), "--out", out);
        final PrintWriter stdout = spec.commandLine().getOut();
        final String command = "reluq bench e2e --jobs " + String.join(",", jobs) + " --runs " + runs + " --peers "
                + String.join(",", peers) + (noJmh ? " --no-jmh" : "") + " --out " + out + (force ? " --force" : "");
        final ReportStamp stamp = ReportStamp.now(command);
        final List<EndToEndResult> results = new ArrayList<>();
        for (final EndToEndJob job : chosen) {
            final List<Contender> contenders = contenders(job, launcher, home);
            final List<EndToEndResult> rows = contenders.stream().map(c -> new EndToEndResult(job, c)).toList();
            // one untimed run of each: the launcher's build check, the OS's file cache, the JIT's first run
            for (int r = 0; r <= runs; r++) {
                for (final EndToEndResult row : rows) {
                    final ProcessRun run = ProcessRun.of(row.contender().command(), home);
                    if (run.code() != 0) {
                        spec.commandLine().getErr().printf("reluq bench e2e: %s exited with %d:%n%s%n",
                                String.join(" ", row.contender().command()), run.code(), run.output());
                        return 1;
                    }
                    final Contender.Outcome outcome;
                    try {
                        outcome = row.contender().reader().read(run.output());
                    } catch (IllegalArgumentException e) {
                        spec.commandLine().getErr().printf("reluq bench e2e: %s: %s:%n%s%n", row.contender().name(),
                                e.getMessage(), run.output());
                        return 1;
                    }
                    if (r > 0) {
                        row.add(run.seconds(), outcome);
                    }
                    stdout.printf(Locale.ROOT, "[%s] %s %-12s %.3f s%s%n", job.name(), r == 0 ? "warm-up" : "run " + r,
                            row.contender().name(), run.seconds(), outcome.reached(job.target()) ? ""
                                    : String.format(Locale.ROOT, " (missed the target: %.3g)", outcome.relativeError()));
                }
            }
            results.addAll(rows);
        }
        final Map<String, Double> steady = noJmh ? Map.of() : steadySteps(chosen, jar, stdout);
        final Path report = EndToEndReport.write(header(stamp), results, steady, out);
        stdout.println("report     " + report);
        return 0;
    }

    private List<EndToEndJob> jobs() {
        final List<EndToEndJob> chosen = new ArrayList<>();
        for (final String name : jobs) {
            chosen.add(EndToEndJob.ALL.stream().filter(j -> j.name().equals(name)).findFirst().orElseThrow(() ->
                    usage("--jobs " + name + " is not a job; expected default or large")));
        }
        return chosen;
    }

    private List<Contender> contenders(final EndToEndJob job, final Path launcher, final Path home) {
        final List<Contender> contenders = new ArrayList<>();
        contenders.add(Contender.reluq(launcher.toString(), job));
        for (final String peer : peers) {
            contenders.add(Contender.peer(peer, python, home.resolve("bench/peers/fit_" + peer + ".py").toString(), job));
        }
        if (job.equals(EndToEndJob.LARGE)) {
            contenders.add(Contender.memoryProbe(python, 81920L * 8192));
        }
        return contenders;
    }

    /** Fails with a one-line hint when the peer's Python cannot import its module. */
    private void requirePython(final String module) throws IOException {
        final ProcessRun check;
        try {
            check = ProcessRun.of(List.of(python, "-c", "import " + module), Path.of("."));
        } catch (IOException e) {
            throw usage("--python " + python + " cannot be started (" + e.getMessage() + ")");
        }
        if (check.code() != 0) {
            throw usage("--python " + python + " cannot import " + module + ": apt-get install python3-"
                    + (module.equals("torch") ? "torch" : "numpy") + ", or leave it out of --peers");
        }
    }

    /** SgdStepBenchmark's steady state at each job's shape (one fork, 5 x 1 s after 5 x 1 s), steps per second. */
    private static Map<String, Double> steadySteps(final List<EndToEndJob> jobs, final Path jar,
                                                   final PrintWriter stdout) throws IOException {
        final Map<String, Double> steady = new LinkedHashMap<>();
        for (final EndToEndJob job : jobs) {
            final String shape = job.equals(EndToEndJob.LARGE) ? "8192x512" : "1024x64";
            final Path json = Files.createTempFile("reluq-e2e-jmh", ".json");
            try {
                final ProcessRun run = ProcessRun.of(List.of(ProcessHandle.current().info().command().orElse("java"),
                        "-jar", jar.toString(), "SgdStepBenchmark", "-p", "shape=" + shape, "-p", "impl=VECTOR", "-f",
                        "1", "-wi", "5", "-i", "5", "-rf", "json", "-rff", json.toString()), Path.of("."));
                if (run.code() != 0) {
                    throw new IOException("SgdStepBenchmark failed:\n" + run.output());
                }
                final JmhResult result = JmhResults.read(json).get(0);
                steady.put(job.name(), 1 / result.secondsPerOp());
                stdout.printf(Locale.ROOT, "[%s] SgdStepBenchmark shape=%s: %.0f steps/s%n", job.name(), shape,
                        1 / result.secondsPerOp());
            } finally {
                Files.deleteIfExists(json);
            }
        }
        return steady;
    }

    private static String header(final ReportStamp stamp) {
        return "# End to end: whole `reluq fit` processes against the scripts a user would write\n\n"
                + "Made by `reluq bench e2e`. Each row is a whole process, start to exit, as a user waits for it; the "
                + "commands of a job ran in turn, run after run (after one untimed run each), so a machine that "
                + "drifts slows them alike. \"speed vs P\" is P's median over the row's. The peers "
                + "([`bench/peers/`](../bench/peers/)) run the same algorithm: planted model, moment init, SGD with "
                + "replacement at step 1.5 m/(m+d), stop at the target; float32, labels in float64. The memory "
                + "probe only writes an array as large as X in a fresh process: the floor of any job that makes "
                + "one, as the first touch of memory costs what it costs on the machine.\n\n" + stamp.markdown();
    }

    private CommandLine.ParameterException usage(final String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
