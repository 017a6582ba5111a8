package org.reluq.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code reluq cluster}: distributed QSGD on Aeron (docs/cluster-protocol.md). */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = {"Quantized SGD across processes and hosts on Aeron: a master and K worker processes that give",
            "the bits of 'reluq fit --workers K' with the same options."},
        subcommands = {ClusterLocalCommand.class, ClusterMasterCommand.class, ClusterWorkerCommand.class,
            ClusterDriverCommand.class, ClusterStrayCommand.class, ClusterReportCommand.class},
        footer = {"", "Exit codes: 0 done; 1 diverged, a file could not be written or Aeron",
            "refused a channel; 2 a bad option; 3 a worker died or stalled (the master",
            "names it and writes its checkpoint: resume with --resume) or the master",
            "aborted; 4 a worker's master went silent; 130/143 interrupted by SIGINT or",
            "SIGTERM (peers stopped, driver files removed)."})
final class ClusterCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "missing subcommand: local, master, worker or driver (try 'reluq cluster local --workers 3')");
    }
}
