package org.reluq.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import io.aeron.exceptions.AeronException;
import org.reluq.cluster.Checkpoint;
import org.reluq.cluster.ClusterFailure;
import org.reluq.cluster.ClusterMaster;
import org.reluq.cluster.ClusterOutcome;
import org.reluq.cluster.Interruption;
import org.reluq.cluster.NetworkSettings;
import org.reluq.cluster.Rejection;
import org.reluq.cluster.RunSpec;
import org.reluq.kernels.sgd.ProgressListener;
import org.reluq.kernels.sgd.StopReason;
import org.reluq.kernels.sgd.TrainingResult;
import picocli.CommandLine;

/**
 * A master's whole job for {@code reluq cluster master} and {@code local}: checks the outputs, binds, lets the
 * caller start workers, runs, prints what {@code reluq fit} prints (and the cluster's own lines), writes the
 * checkpoint on failure.
 */
final class MasterRun {

    private MasterRun() {
    }

    /**
     * A master's run as its options give it.
     *
     * @param spec   the run
     * @param resume the checkpoint it resumes, or null
     */
    record Prepared(RunSpec spec, Checkpoint resume) {
    }

    /** Reads --resume, makes the spec and checks the outputs: what every master command does first. */
    static Prepared prepare(final CommandLine command, final TrainingOptions training, final ClusterRunOptions run) {
        final Checkpoint resume = readResume(command, run.resume);
        final RunSpec spec = spec(command, training, run, resume);
        checkOutputs(command, run);
        return new Prepared(spec, resume);
    }

    /** The run's spec from the options, or from the checkpoint to resume. */
    static RunSpec spec(final CommandLine command, final TrainingOptions training, final ClusterRunOptions run,
                        final Checkpoint resume) {
        if (resume != null) {
            for (final CommandLine.Model.OptionSpec option : command.getParseResult().matchedOptions()) {
                if (training.owns(option.longestName())) {
                    throw new CommandLine.ParameterException(command, "--resume takes the run from the checkpoint; "
                            + "drop " + option.longestName());
                }
            }
            return resume.spec();
        }
        final FitSettings settings = training.settings(null);
        final int workers = settings.quantized() == null ? 1 : settings.quantized().workers();
        final String encoder = settings.quantized() == null ? "fp32" : settings.quantized().encoder().spec();
        try {
            return new RunSpec(settings.d(), settings.n(), settings.norm(), settings.sgd(), workers, encoder,
                    run.topology);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(command, e.getMessage());
        }
    }

    /** Reads --resume, as a usage error if it is not a checkpoint. */
    static Checkpoint readResume(final CommandLine command, final Path file) {
        if (file == null) {
            return null;
        }
        try {
            return Checkpoint.read(file);
        } catch (IOException e) {
            throw new CommandLine.ParameterException(command, "--resume " + file + ": cannot read: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(command, "--resume " + file + ": " + e.getMessage());
        }
    }

    /** Refuses to overwrite files without --force (the checkpoint being resumed from may be overwritten). */
    static void checkOutputs(final CommandLine command, final ClusterRunOptions run) {
        final boolean resumingIt = run.resume != null && run.resume.toAbsolutePath().normalize()
                .equals(run.checkpoint.toAbsolutePath().normalize());
        if (!run.force && !resumingIt && Files.exists(run.checkpoint)) {
            throw new CommandLine.ParameterException(command, "--checkpoint " + run.checkpoint
                    + " exists; give --force to overwrite it or another --checkpoint");
        }
        if (!run.force && run.csv != null && Files.exists(run.csv)) {
            throw new CommandLine.ParameterException(command, "--csv " + run.csv + " exists; give --force");
        }
        if (!run.force && run.summary != null && Files.exists(run.summary)) {
            throw new CommandLine.ParameterException(command, "--summary " + run.summary + " exists; give --force");
        }
        // a cluster run can fail for its peers' sake: check where each file goes, but leave no empty file behind
        OutputFiles.requireWritableLater(command, "--checkpoint", run.checkpoint);
        OutputFiles.requireWritableLater(command, "--csv", run.csv);
        OutputFiles.requireWritableLater(command, "--summary", run.summary);
    }

    /**
     * Binds at {@code bind}, calls {@code onBound} with the endpoint (to start workers), runs and reports.
     *
     * @return the exit code
     */
    static int execute(final RunSpec spec, final Checkpoint resume, final String bind, final NetworkSettings net,
                       final ClusterRunOptions run, final PrintWriter out, final PrintWriter err,
                       final Consumer<String> onBound) {
        out.printf(Locale.ROOT, "reluq cluster  %s: d=%d n=%d batch=%d step=%.6g init=%s seed=%d target=%.2e iters=%d "
                        + "workers=%d encoder=%s%s%n", spec.topology(), spec.d(), spec.n(), spec.sgd().batchSize(),
                spec.sgd().step(), spec.sgd().init(), spec.sgd().seed(), spec.sgd().targetError(),
                spec.sgd().maxIterations(), spec.workers(), spec.encoder(),
                resume == null ? "" : " (resumed at round " + resume.round() + ")");
        try (Interruption interruption = new Interruption();
             ClusterMaster master = new ClusterMaster(spec, bind, net, resume, interruption)) {
            out.println("master     listening at " + master.endpoint());
            out.flush();
            try {
                onBound.accept(master.endpoint());
                final long start = resume == null ? 0 : resume.round();
                final ClusterOutcome outcome = master.run(!run.progress ? ProgressListener.NONE : (round, error) -> {
                    out.printf(Locale.ROOT, "progress   round %d, relative error %.4g%n", start + round, error);
                    out.flush();
                });
                report(out, spec, outcome);
                if (run.csv != null) {
                    CurveFiles.writeCsv(outcome.result(), "reluq cluster " + spec.topology() + " d=" + spec.d()
                            + " n=" + spec.n() + " seed=" + spec.sgd().seed() + " workers=" + spec.workers()
                            + " encoder=" + spec.encoder(), run.csv);
                    out.println("csv        " + run.csv);
                }
                if (run.summary != null) {
                    ClusterSummary.write(spec, net, outcome, run.summary);
                    out.println("summary    " + run.summary);
                }
                if (outcome.result().stopReason() == StopReason.DIVERGED) {
                    err.printf(Locale.ROOT, "reluq cluster: the run diverged at iteration %d; try a smaller --step "
                            + "than %.6g%n", outcome.result().iterations(), spec.sgd().step());
                    return 1;
                }
                return 0;
            } catch (ClusterFailure e) {
                err.println("reluq cluster: " + e.getMessage());
                if (e.checkpoint() != null) {
                    e.checkpoint().write(run.checkpoint);
                    err.printf(Locale.ROOT, "reluq cluster: checkpoint of round %d written to %s; continue with "
                            + "--resume %s%n", e.checkpoint().round(), run.checkpoint, run.checkpoint);
                }
                return e.exitCode();
            }
        } catch (ClusterFailure e) {
            err.println("reluq cluster: " + e.getMessage());
            return e.exitCode();
        } catch (IOException e) {
            err.println("reluq cluster: cannot write " + e.getMessage());
            return 1;
        } catch (AeronException | IllegalStateException e) {
            err.println("reluq cluster: Aeron refused: " + e.getMessage());
            return 1;
        }
    }

    private static void report(final PrintWriter out, final RunSpec spec, final ClusterOutcome outcome) {
        final TrainingResult result = outcome.result();
        out.printf(Locale.ROOT, "result     %s after %d iterations: relative error %.4g%n",
                result.stopReason().name().toLowerCase(Locale.ROOT).replace('_', ' '), result.iterations(),
                result.finalRelativeError());
        out.printf(Locale.ROOT, "wire       %d bytes from workers to aggregator (encoder frames; %d bytes of cluster "
                + "messages reached the master)%n", result.totalWireBytes(), outcome.messageBytes());
        out.println("weights    " + FitReport.weightsLine(result.weights()));
        out.printf(Locale.ROOT, "loop       %.3f s, %.0f rounds/s; %s%n", result.loopNanos() / 1e9,
                result.iterationsPerSecond(), outcome.times().describe());
        out.printf(Locale.ROOT, "phases     join %.3f s (workers' start, data, links), loop %.3f s, stop %.3f s%n",
                outcome.joinNanos() / 1e9, result.loopNanos() / 1e9, outcome.stopNanos() / 1e9);
        final StringBuilder rejected = new StringBuilder();
        for (final Map.Entry<Rejection, Long> entry : outcome.rejections().snapshot().entrySet()) {
            rejected.append(", ").append(entry.getValue()).append(' ').append(entry.getKey().description());
        }
        out.printf(Locale.ROOT, "link       the master's driver received %d and sent %d bytes (Aeron's headers and "
                + "retransmits included; %d retransmitted)%n", outcome.driverBytesReceived(), outcome.driverBytesSent(),
                outcome.retransmittedBytes());
        out.printf(Locale.ROOT, "rejected   %d messages%s; %d datagrams Aeron could not parse%n",
                outcome.rejections().total(), rejected, outcome.invalidPackets());
    }

    /** The master's defaults: loopback. */
    static final String DEFAULT_BIND = "127.0.0.1:40123";
}
