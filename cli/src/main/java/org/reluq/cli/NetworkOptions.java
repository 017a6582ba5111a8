package org.reluq.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.reluq.cluster.NetworkSettings;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The network options every {@code reluq cluster} process takes (defaults: {@link NetworkSettings#defaults}). */
final class NetworkOptions {

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--peer-timeout", paramLabel = "SECONDS",
            description = "Silence after which a peer counts as dead or stalled (default: 2; under 5).")
    double peerTimeout = 2;

    @Option(names = "--round-deadline", paramLabel = "SECONDS",
            description = "How long the master waits for a round's frames from live workers (default: 60).")
    double roundDeadline = 60;

    @Option(names = "--join-timeout", paramLabel = "SECONDS",
            description = "How long the master waits for its workers, and a worker for its master (default: 120).")
    double joinTimeout = 120;

    @Option(names = "--term-length", paramLabel = "BYTES",
            description = "Aeron term length, a power of two (default: 16777216; a message is at most an eighth).")
    int termLength = NetworkSettings.defaults().termBytes();

    @Option(names = "--mtu", paramLabel = "BYTES", description = "Largest datagram, a multiple of 32 (default: 1408).")
    int mtu = NetworkSettings.defaults().mtuBytes();

    @Option(names = "--window", paramLabel = "BYTES",
            description = "Receiver window per sender: at least the link's bandwidth-delay product (default: 2097152).")
    int window = NetworkSettings.defaults().windowBytes();

    @Option(names = "--socket-buffer", paramLabel = "BYTES",
            description = "UDP socket buffers (the kernel caps them at net.core.rmem_max; default: 2097152).")
    int socketBuffer = NetworkSettings.defaults().socketBufferBytes();

    @Option(names = "--driver", paramLabel = "DIR",
            description = "Use the standalone media driver at DIR (reluq cluster driver) instead of an embedded one.")
    Path driver;

    /** The checked settings. */
    NetworkSettings settings() {
        try {
            return new NetworkSettings(termLength, mtu, window, socketBuffer,
                    NetworkSettings.defaults().heartbeatNanos(), nanos("--peer-timeout", peerTimeout),
                    nanos("--round-deadline", roundDeadline), nanos("--join-timeout", joinTimeout), driver);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The options as a worker process's arguments (what {@code reluq cluster local} passes on). */
    List<String> asArguments() {
        final List<String> args = new ArrayList<>(List.of("--peer-timeout", Double.toString(peerTimeout),
                "--join-timeout", Double.toString(joinTimeout), "--term-length", Integer.toString(termLength),
                "--mtu", Integer.toString(mtu), "--window", Integer.toString(window), "--socket-buffer",
                Integer.toString(socketBuffer)));
        if (driver != null) {
            args.addAll(List.of("--driver", driver.toString()));
        }
        return args;
    }

    private long nanos(final String option, final double seconds) {
        if (!(seconds > 0) || seconds > 86_400) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    String.format(Locale.ROOT, "%s must be in (0, 86400] seconds, got %s", option, seconds));
        }
        return (long) (seconds * 1e9);
    }
}
