package org.reluq.cli;

import java.util.concurrent.Callable;
import org.reluq.cluster.Checkpoint;
import org.reluq.cluster.RunSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code reluq cluster master}: the master of a run whose K workers start on other hosts. */
@Command(name = "master", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Listen at --bind, admit --workers K workers ('reluq cluster worker --master HOST:PORT' on any",
            "host), run the rounds and print what 'reluq fit --workers K' prints. Training options as 'reluq fit'."})
final class ClusterMasterCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--bind", paramLabel = "HOST:PORT",
            description = "The interface and UDP port to listen at (default: ${DEFAULT-VALUE}: this host only).")
    String bind = MasterRun.DEFAULT_BIND;

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
        Endpoints.requireHostPort(command, "--bind", bind);
        return MasterRun.execute(runSpec, resume, bind, network.settings(), run, command.getOut(), command.getErr(),
                endpoint -> { });
    }
}
