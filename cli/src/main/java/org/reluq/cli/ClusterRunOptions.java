package org.reluq.cli;

import java.nio.file.Path;
import org.reluq.cluster.Topology;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** What a cluster's master takes besides the training options: topology, checkpoint, resume and the curve. */
final class ClusterRunOptions {

    @Option(names = "--topology", paramLabel = "T", converter = TopologyConverter.class,
            description = "master (workers send to the master, which sends w back) or allgather (every worker sends "
                    + "to all) (default: master).")
    Topology topology = Topology.MASTER;

    @Option(names = "--checkpoint", paramLabel = "FILE",
            description = "Where the master writes its checkpoint when a worker dies or stalls or it is interrupted "
                    + "(default: ${DEFAULT-VALUE}).")
    Path checkpoint = Path.of("reluq-cluster.ckpt");

    @Option(names = "--resume", paramLabel = "FILE",
            description = "Continue the run of this checkpoint (its options; give no training options).")
    Path resume;

    @Option(names = "--force", description = "Overwrite an existing --checkpoint or --csv file.")
    boolean force;

    @Option(names = "--csv", paramLabel = "FILE",
            description = "Write the curve as 'reluq fit --csv' does: iteration, relative error, loss, bytes sent.")
    Path csv;

    @Option(names = "--summary", paramLabel = "FILE",
            description = "Write the run's settings, result, bytes and round times as JSON (what 'reluq cluster "
                    + "report' reads).")
    Path summary;

    @Option(names = "--progress", description = "Print a line every 256 rounds (round, relative error).")
    boolean progress;

    /** Parses --topology. */
    static final class TopologyConverter implements CommandLine.ITypeConverter<Topology> {
        @Override
        public Topology convert(final String value) {
            try {
                return Topology.parse(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
