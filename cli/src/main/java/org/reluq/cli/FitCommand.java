package org.reluq.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.encoder.Encoders;
import org.reluq.kernels.memory.Layout;
import org.reluq.kernels.model.PlantedModel;
import org.reluq.kernels.qsgd.QsgdConfig;
import org.reluq.kernels.qsgd.QsgdTrainer;
import org.reluq.kernels.sgd.Init;
import org.reluq.kernels.sgd.ProgressListener;
import org.reluq.kernels.sgd.Sampling;
import org.reluq.kernels.sgd.SgdConfig;
import org.reluq.kernels.sgd.SgdTrainer;
import org.reluq.kernels.sgd.StopReason;
import org.reluq.kernels.sgd.TrainingResult;
import org.reluq.kernels.warmup.TrainingWarmup;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code reluq fit}: generates a planted model and fits it with mini-batch SGD, or with quantized SGD over K
 * workers when {@code --workers} or {@code --encoder} is given. Every option is checked, and every output file
 * created, before the data are generated.
 */
@Command(name = "fit", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Generate a planted ReLU model y = ReLU(X w*) with Gaussian X and fit w by mini-batch SGD,",
            "or by quantized SGD: K workers split each batch and send encoded gradients to an aggregator.",
            "The default run (d = 1024) takes about half a second here; it prints where the time went."},
        footer = {"", "Exit codes: 0 the run completed, 1 it diverged or a file could not be written, 2 a bad option",
            "(one line names it). JVM options for the launcher: RELUQ_JAVA_OPTS, e.g. -Dreluq.warmup=false to run",
            "the vector kernels from the first call."})
final class FitCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    TrainingOptions training = new TrainingOptions();

    @Option(names = "--csv", paramLabel = "FILE",
            description = "Write the curve: iteration, relative error, loss, bytes sent (settings in a # comment).")
    Path csv;

    @Option(names = "--plot", paramLabel = "FILE", description = "Plot relative error against iteration (.png or .svg).")
    Path plot;

    @Option(names = "--json", description = "Print a JSON summary (settings, phases, result) instead of the text.")
    boolean json;

    @Option(names = "--no-progress", description = "Never draw the progress line (drawn only on a terminal).")
    boolean noProgress;

    @Override
    public Integer call() {
        final long fitStart = System.nanoTime();
        final FitSettings settings = training.settings(plot);
        OutputFiles.requireWritableFile(spec.commandLine(), "--csv", csv);
        OutputFiles.requireWritableFile(spec.commandLine(), "--plot", plot);
        final PrintWriter err = spec.commandLine().getErr();
        training.warnings(settings).forEach(warning -> err.println("reluq fit: warning: " + warning));
        startWarmup(settings);
        return fit(settings, fitStart);
    }

    /** The vector kernels' warm-up: {@link TrainingWarmup}'s policy, which cluster workers share. */
    private static void startWarmup(final FitSettings settings) {
        TrainingWarmup.start(settings.n(), settings.d(), settings.sgd().batchSize());
    }

    private int fit(final FitSettings settings, final long fitStart) {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final FitReport report = new FitReport(settings);
        if (!json) {
            report.printSettings(out);
        }
        final boolean showProgress = !noProgress && System.console() != null && System.console().isTerminal();
        try (ProgressBar bar = showProgress ? new ProgressBar(err, settings.sgd().maxIterations(), settings.sgd().targetError()) : null) {
            if (bar != null) {
                bar.phase(String.format(Locale.ROOT, "data: generating %d x %d", settings.n(), settings.d()));
            }
            final long dataStart = System.nanoTime();
            final PlantedModel model;
            try {
                model = PlantedModel.generate(settings.n(), settings.d(), settings.norm(), settings.sgd().seed(),
                        settings.dataThreads());
            } catch (OutOfMemoryError e) {
                err.printf(Locale.ROOT, "reluq fit: cannot allocate %.2f GiB for X (%d x %d floats): %s%n",
                        (double) settings.n() * settings.d() * Float.BYTES / (1 << 30), settings.n(), settings.d(),
                        e.getMessage());
                return 1;
            }
            try (model) {
                final long dataNanos = System.nanoTime() - dataStart;
                if (!json) {
                    report.printData(out, dataNanos);
                }
                if (bar != null) {
                    bar.phase("init: " + settings.sgd().init());
                }
                final ProgressListener progress = bar == null ? ProgressListener.NONE : bar;
                final TrainingResult result = settings.quantized() == null
                        ? SgdTrainer.train(model, settings.sgd(), progress)
                        : QsgdTrainer.train(model, settings.quantized(), progress);
                if (bar != null) {
                    bar.finish();
                }
                final long outputStart = System.nanoTime();
                final boolean written = writeFiles(out, err, result, settings);
                final FitReport.Phases phases = new FitReport.Phases(Reluq.launchToMainNanos,
                        fitStart - Reluq.mainNanos, dataNanos, result.initNanos(), result.loopNanos(),
                        System.nanoTime() - outputStart, System.nanoTime() - Reluq.mainNanos);
                if (json) {
                    report.printJson(out, result, phases);
                } else {
                    report.printResult(out, err, result, phases);
                }
                if (!written) {
                    return 1;
                }
                if (result.stopReason() == StopReason.DIVERGED) {
                    err.printf(Locale.ROOT, "reluq fit: the run diverged at iteration %d (loss, gradient or iterate "
                            + "not finite); try a smaller --step than %.6g%n", result.iterations(),
                            settings.sgd().step());
                    return 1;
                }
                return 0;
            }
        }
    }

    private boolean writeFiles(final PrintWriter out, final PrintWriter err, final TrainingResult result,
                               final FitSettings settings) {
        try {
            if (csv != null) {
                CurveFiles.writeCsv(result, "reluq fit " + settings.describe(), csv);
                if (!json) {
                    out.println("csv        " + csv);
                }
            }
            if (plot != null) {
                final String method = settings.quantized() == null ? "SGD" : String.format(Locale.ROOT,
                        "QSGD (K=%d, %s)", settings.quantized().workers(), settings.quantized().encoder().spec());
                CurveFiles.writePlot(result, String.format(Locale.ROOT, "%s on a planted ReLU: d=%d, n=%d, m=%d",
                        method, settings.d(), settings.n(), settings.sgd().batchSize()), plot);
                if (!json) {
                    out.println("plot       " + plot);
                }
            }
            return true;
        } catch (IOException e) {
            err.println("reluq fit: cannot write " + e.getMessage());
            return false;
        }
    }


}
