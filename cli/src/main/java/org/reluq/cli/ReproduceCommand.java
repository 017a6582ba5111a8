package org.reluq.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.reluq.kernels.model.PlantedModel;
import org.reluq.verify.experiments.ConvergenceExperiments;
import org.reluq.verify.experiments.ConvergenceExperiments.QuantizedRun;
import org.reluq.verify.experiments.ConvergenceExperiments.Sizes;
import org.reluq.verify.experiments.Curve;
import org.reluq.verify.experiments.SampleComplexity;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code reluq reproduce}: runs the paper's experiments and writes {@code convergence.md} with figures and CSVs. */
@Command(name = "reproduce", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the experiments behind the paper's claims and write OUT/convergence.md, with its figures",
            "and CSV files in OUT/convergence/: (a) SGD's rate for several batch sizes, (b) sample complexity,",
            "(c) QSGD against SGD per iteration and per bit, (d) the rate against the step.",
            "Exit code: 0 done, 1 the report cannot be written, 2 for bad options."})
final class ReproduceCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--quick", description = "Smaller sizes (d = 256): a few minutes instead of tens.")
    boolean quick;

    @Option(names = "--out", paramLabel = "DIR",
            description = "Folder of the report, created when missing (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("results", "reproduce");

    @Option(names = "--force", description = "Replace a convergence.md already in --out (e.g. --out reports).")
    boolean force;

    @Option(names = "--seed", paramLabel = "SEED", description = "Seed of every experiment (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Override
    public Integer call() {
        final Path folder = out.toAbsolutePath();
        OutputFiles.requireNoReport(spec.commandLine(), out, "convergence.md", force);
        OutputFiles.requireWritableFolder(spec.commandLine(), "--out", out);
        final PrintWriter stdout = spec.commandLine().getOut();
        final String command = "reluq reproduce" + (quick ? " --quick" : "") + " --out " + out + " --seed " + seed
                + (force ? " --force" : "");
        final ReportStamp stamp = ReportStamp.now(command);
        final Sizes sizes = quick ? Sizes.quick() : Sizes.full();
        final long start = System.nanoTime();
        final Consumer<String> log = message -> stdout.printf(Locale.ROOT, "[%6.1f s] %s%n",
                (System.nanoTime() - start) / 1e9, message);
        final Map<Integer, List<SampleComplexity.Point>> samples = ConvergenceExperiments.sampleComplexity(sizes, seed,
                log);
        final ConvergenceReport.Results results;
        try (PlantedModel model = ConvergenceExperiments.model(sizes, seed)) {
            final List<Curve> batchSizes = ConvergenceExperiments.batchSizes(model, sizes, seed, log);
            final Curve sgd = ConvergenceExperiments.sgdReference(model, sizes, seed);
            final List<QuantizedRun> quantizers = ConvergenceExperiments.quantizers(model, sizes, seed, log);
            final List<QuantizedRun> best = ConvergenceExperiments.bestSteps(model, sizes, seed, log);
            final List<QuantizedRun> common = ConvergenceExperiments.commonStep(model, sizes, seed, log);
            final List<QuantizedRun> atSgdStep = ConvergenceExperiments.sgdStep(model, sizes, seed, log);
            final List<Curve> steps = ConvergenceExperiments.steps(model, sizes, seed, log);
            results = new ConvergenceReport.Results(sizes, seed, batchSizes, samples, sgd, quantizers, best, common,
                    atSgdStep, steps, (System.nanoTime() - start) / 1e9);
        }
        try {
            final Path report = ConvergenceReport.write(results, stamp, folder);
            stdout.printf(Locale.ROOT, "report     %s (%.0f s)%n", report, results.seconds());
            return 0;
        } catch (IOException e) {
            spec.commandLine().getErr().println("reluq reproduce: cannot write the report: " + e.getMessage());
            return 1;
        }
    }
}
