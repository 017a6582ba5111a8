package org.reluq.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import io.aeron.exceptions.AeronException;
import org.reluq.cluster.ClusterFailure;
import org.reluq.cluster.ClusterWorker;
import org.reluq.cluster.Interruption;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code reluq cluster worker}: one worker process; the master sends it the run. */
@Command(name = "worker", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Join the master at --master HOST:PORT, generate the data from the run's seed, and compute,",
            "encode and send this worker's share of every batch until the master says stop."})
final class ClusterWorkerCommand implements Callable<Integer> {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--master", paramLabel = "HOST:PORT", required = true, description = "The master's address.")
    String master;

    @Option(names = "--bind", paramLabel = "HOST",
            description = "The interface to listen at (default: the one this host reaches the master from).")
    String bind;

    @Option(names = "--threads", paramLabel = "T", description = "Threads that generate the data (default: all cores).")
    Integer threads;

    @CommandLine.Mixin
    NetworkOptions network = new NetworkOptions();

    @Override
    public Integer call() {
        final CommandLine command = spec.commandLine();
        Endpoints.requireHostPort(command, "--master", master);
        if (threads != null && (threads < 1 || threads > TrainingOptions.MAX_THREADS)) {
            throw new CommandLine.ParameterException(command, "--threads must be in [1, "
                    + TrainingOptions.MAX_THREADS + "], got " + threads);
        }
        final String host = bind != null ? bind : routeTo(command, master);
        try (Interruption interruption = new Interruption();
             ClusterWorker worker = new ClusterWorker(master, host, network.settings(),
                     threads != null ? threads : Runtime.getRuntime().availableProcessors(), interruption)) {
            worker.run();
            return 0;
        } catch (ClusterFailure e) {
            command.getErr().println("reluq cluster worker: " + e.getMessage());
            return e.exitCode();
        } catch (AeronException | IllegalStateException e) {
            command.getErr().println("reluq cluster worker: Aeron refused: " + e.getMessage());
            return 1;
        }
    }

    /** The local address the kernel would send from to reach the master (a UDP connect sends nothing). */
    private static String routeTo(final CommandLine command, final String master) {
        final int colon = master.lastIndexOf(':');
        final String host = master.substring(0, colon).replace("[", "").replace("]", "");
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(new InetSocketAddress(InetAddress.getByName(host), Integer.parseInt(master.substring(colon + 1))));
            final InetAddress local = socket.getLocalAddress();
            return local.getHostAddress().contains(":") ? "[" + local.getHostAddress() + "]" : local.getHostAddress();
        } catch (IOException e) {
            throw new CommandLine.ParameterException(command, "--master " + master + ": cannot route to it ("
                    + e.getMessage() + "); give --bind");
        } catch (UncheckedIOException e) {
            throw new CommandLine.ParameterException(command, "--master " + master + ": " + e.getMessage());
        }
    }
}
