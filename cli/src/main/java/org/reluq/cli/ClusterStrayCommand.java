package org.reluq.cli;

import java.util.concurrent.Callable;
import org.reluq.cluster.ForeignTraffic;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code reluq cluster stray}: stray traffic at a running master, which must reject and count it. */
@Command(name = "stray", mixinStandardHelpOptions = true,
        description = {"Send random datagrams and cluster messages of another run (and with corrupt CRCs) to a",
            "master's port during a run: its 'rejected' line counts them and its result does not change."})
final class ClusterStrayCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--at", paramLabel = "HOST:PORT", required = true, description = "The master's address.")
    String at;

    @Option(names = "--datagrams", paramLabel = "N", description = "Random datagrams (default: ${DEFAULT-VALUE}).")
    int datagrams = 10_000;

    @Option(names = "--frames", paramLabel = "N",
            description = "Messages, half of another run, half with a bad CRC (default: ${DEFAULT-VALUE}).")
    int frames = 1_000;

    @Option(names = "--seed", paramLabel = "SEED", description = "Seed of the random bytes (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Override
    public Integer call() {
        Endpoints.requireHostPort(spec.commandLine(), "--at", at);
        if (datagrams < 0 || frames < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--datagrams and --frames must be >= 0");
        }
        final ForeignTraffic.Sent sent = ForeignTraffic.send(at, datagrams, frames, seed);
        spec.commandLine().getOut().printf("sent       %d random datagrams (%d of them pass Aeron's version check, "
                + "which then drops them uncounted), %d messages of another run, %d with a bad CRC to %s%n",
                sent.datagrams(), sent.versionZero(), sent.foreignFrames(), sent.corruptFrames(), at);
        return 0;
    }
}
