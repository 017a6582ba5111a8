package org.reluq.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.HdrHistogram.Histogram;
import org.reluq.cluster.ClusterOutcome;
import org.reluq.cluster.NetworkSettings;
import org.reluq.cluster.RunSpec;
import org.reluq.kernels.sgd.TrainingResult;

/** The JSON summary of one cluster run ({@code --summary}), which {@code reluq cluster report} reads. */
final class ClusterSummary {

    private ClusterSummary() {
    }

    static void write(final RunSpec spec, final NetworkSettings net, final ClusterOutcome outcome, final Path file)
            throws IOException {
        final TrainingResult result = outcome.result();
        final JsonObject json = new JsonObject();
        json.addProperty("topology", spec.topology().toString());
        json.addProperty("d", spec.d());
        json.addProperty("n", spec.n());
        json.addProperty("batch", spec.sgd().batchSize());
        json.addProperty("workers", spec.workers());
        json.addProperty("encoder", spec.encoder());
        json.addProperty("seed", spec.sgd().seed());
        json.addProperty("targetError", spec.sgd().targetError());
        json.addProperty("mtu", net.mtuBytes());
        json.addProperty("windowBytes", net.windowBytes());
        json.addProperty("stop", result.stopReason().name().toLowerCase(java.util.Locale.ROOT));
        json.addProperty("iterations", result.iterations());
        json.addProperty("finalRelativeError", result.finalRelativeError());
        json.addProperty("loopSeconds", result.loopNanos() / 1e9);
        json.addProperty("joinSeconds", outcome.joinNanos() / 1e9);
        json.addProperty("frameBytes", result.totalWireBytes());
        json.addProperty("messageBytesReceived", outcome.messageBytes());
        json.addProperty("driverBytesReceived", outcome.driverBytesReceived());
        json.addProperty("driverBytesSent", outcome.driverBytesSent());
        json.addProperty("retransmittedBytes", outcome.retransmittedBytes());
        json.addProperty("weights", FitReport.weightsLine(result.weights()));
        json.add("round", times(outcome.times().round()));
        json.add("compute", times(outcome.times().compute()));
        json.add("encode", times(outcome.times().encode()));
        json.add("decodeUpdate", times(outcome.times().decode()));
        json.add("network", times(outcome.times().network()));
        Files.writeString(file, new GsonBuilder().setPrettyPrinting().create().toJson(json) + "\n");
    }

    private static JsonObject times(final Histogram h) {
        final JsonObject t = new JsonObject();
        t.addProperty("count", h.getTotalCount());
        t.addProperty("meanMillis", h.getMean() / 1e6);
        t.addProperty("p50Millis", h.getValueAtPercentile(50) / 1e6);
        t.addProperty("p99Millis", h.getValueAtPercentile(99) / 1e6);
        return t;
    }
}
