package org.reluq.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.reluq.cluster.Checkpoint;
import org.reluq.cluster.RunSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code reluq cluster local}: the one-command demo, a master in this process and K worker processes on this host,
 * over UDP on loopback. The workers are stopped with the master, whatever ends it.
 */
@Command(name = "local", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the master here and start K worker processes on this host (UDP on loopback): the same",
            "rounds, bits and output as 'reluq fit --workers K' with the same options."})
final class ClusterLocalCommand implements Callable<Integer> {

    /** How long finished workers get to exit before they are killed. */
    private static final long EXIT_GRACE_SECONDS = 10;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    TrainingOptions training = new TrainingOptions();

    @CommandLine.Mixin
    ClusterRunOptions run = new ClusterRunOptions();

    @CommandLine.Mixin
    NetworkOptions network = new NetworkOptions();

    @Override
    public Integer call() {
        final CommandLine command = spec.commandLine();
        final MasterRun.Prepared prepared = MasterRun.prepare(command, training, run);
        final RunSpec runSpec = prepared.spec();
        final Checkpoint resume = prepared.resume();
        final PrintWriter out = command.getOut();
        final List<Process> workers = new ArrayList<>();
        // on SIGINT/SIGTERM the workers get SIGTERM too (they stop their drivers and remove their files), then the rest
        final Thread reaper = new Thread(() -> {
            workers.forEach(Process::destroy);
            stop(workers);
        }, "reluq-local-reaper");
        Runtime.getRuntime().addShutdownHook(reaper);
        try {
            return MasterRun.execute(runSpec, resume, "127.0.0.1:0", network.settings(), run, out, command.getErr(),
                    endpoint -> {
                        final int threads = Math.max(1, Runtime.getRuntime().availableProcessors() / runSpec.workers());
                        for (int i = 0; i < runSpec.workers(); i++) {
                            final Process process = start(endpoint, threads);
                            workers.add(process);
                            out.println("worker     process started, pid " + process.pid());
                        }
                        out.flush();
                    });
        } finally {
            stop(workers);
            try {
                Runtime.getRuntime().removeShutdownHook(reaper);
            } catch (IllegalStateException e) {
                // shutting down: the hook kills the workers
            }
        }
    }

    private Process start(final String master, final int threads) {
        final List<String> args = new ArrayList<>();
        args.add(ProcessHandle.current().info().command().orElse("java"));
        for (final String jvm : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!jvm.startsWith("-Dreluq.launch") && !jvm.startsWith("-XX:AOTCache") && !jvm.startsWith("-javaagent")
                    && !jvm.startsWith("-agentlib")) {
                args.add(jvm);
            }
        }
        args.addAll(List.of("-cp", System.getProperty("java.class.path"), Reluq.class.getName(), "cluster", "worker",
                "--master", master, "--bind", "127.0.0.1", "--threads", Integer.toString(threads)));
        args.addAll(network.asArguments());
        try {
            return new ProcessBuilder(args).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a worker process: " + e.getMessage(), e);
        }
    }

    /** Waits for the workers to exit, kills those that do not, and removes dead drivers' directories. */
    private static void stop(final List<Process> workers) {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(EXIT_GRACE_SECONDS);
        for (final Process process : workers) {
            try {
                if (!process.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        org.reluq.cluster.DriverDirectories.removeStale();
    }
}
