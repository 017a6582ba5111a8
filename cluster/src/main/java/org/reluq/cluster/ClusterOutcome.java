package org.reluq.cluster;

import java.util.List;
import org.reluq.kernels.sgd.TrainingResult;

/**
 * What a distributed run gives back.
 *
 * @param result          the curve, the bytes of the encoders' frames and w, as the in-process trainer reports them
 *                        (a resumed run's from round 0)
 * @param times           where the rounds' time went
 * @param rejections      messages the master dropped, by reason
 * @param invalidPackets  datagrams the master's driver could not parse as Aeron frames during the run (-1 if unknown)
 * @param messageBytes    bytes of cluster messages (headers and bodies) the master received
 * @param driverBytesReceived bytes the master's driver received, Aeron and retransmits included (-1 if unknown)
 * @param driverBytesSent bytes the master's driver sent, Aeron and retransmits included (-1 if unknown)
 * @param retransmittedBytes  bytes the master's driver retransmitted (-1 if unknown)
 * @param workers         who the workers were
 * @param runId           the run id
 * @param joinNanos       from binding to the first round: the workers' start, data and links
 * @param stopNanos       from the last round until the workers had closed
 */
public record ClusterOutcome(TrainingResult result, RoundTimes times, Rejections rejections, long invalidPackets,
                             long messageBytes, long driverBytesReceived, long driverBytesSent,
                             long retransmittedBytes,
                             List<String> workers, long runId, long joinNanos,
                             long stopNanos) {
}
