package org.reluq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reluq cluster report} over the committed summaries: the claims it checks (a round against its link-bound
 * minimum, QSGD's time against its bytes) are recomputed here from the JSON, and committed results are not replaced
 * without --force.
 */
class ClusterReportCommandTest {

    private static final Path SUMMARIES = Path.of("../reports/cluster/summaries");

    @TempDir
    Path out;

    @Test
    void theReportsRatiosFollowFromTheSummaries() throws IOException {
        final CliRun run = CliRun.of("cluster", "report", "--results", SUMMARIES.toString(), "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        final String md = Files.readString(out.resolve("cluster.md"));
        assertTrue(Files.size(out.resolve("cluster").resolve("time-to-accuracy.png")) > 0);

        // link use: Aeron's bytes plus 42 bytes of Ethernet, IPv4 and UDP headers per datagram, over 1 Gbit/s
        final JsonObject link = summary("link-1gbit-k2-b8-fp32");
        final double bytes = (link.get("driverBytesReceived").getAsDouble() + link.get("driverBytesSent").getAsDouble()
                * link.get("workers").getAsInt()) / link.get("iterations").getAsInt();
        final double minimumMillis = bytes * (1 + 42.0 / link.get("mtu").getAsInt()) * 8 / 1e9 * 1e3;
        final String p50 = String.format(Locale.ROOT, " / %.2f |", link.getAsJsonObject("round")
                .get("p50Millis").getAsDouble() / minimumMillis);
        final String linkRow = row(md, "| 1gbit | 2 | 8 | 2000 |");
        assertTrue(linkRow.contains(String.format(Locale.ROOT, "| %.2f |", minimumMillis)), linkRow);
        assertTrue(linkRow.contains(p50), linkRow + " lacks" + p50);

        // time against bytes: link bytes times rounds, fp32 over QSGD, and loop times
        final JsonObject fp32 = summary("bound-100mbit-k2-fp32");
        final JsonObject qsgd = summary("bound-100mbit-k2-qsgd-s_6-bucket_512-levels_exp-code_rans");
        final double bytesRatio = linkBytes(fp32) / linkBytes(qsgd);
        final double timeRatio = fp32.get("loopSeconds").getAsDouble() / qsgd.get("loopSeconds").getAsDouble();
        final String ratioRow = row(md, "| master | 8192 | 2 | `qsgd:s=6,bucket=512,levels=exp,code=rans` |");
        assertTrue(ratioRow.endsWith(String.format(Locale.ROOT, "| %.2f | %.2f | %.2f |", bytesRatio, timeRatio,
                timeRatio / bytesRatio)), ratioRow);
    }

    @Test
    void committedResultsStayUnlessForced() {
        final CliRun run = CliRun.of("cluster", "report", "--results", SUMMARIES.toString(), "--out", "../reports");
        assertEquals(2, run.code(), run.out());
        assertTrue(run.err().contains("cluster.md"), run.err());
    }

    private static JsonObject summary(final String name) throws IOException {
        return JsonParser.parseString(Files.readString(SUMMARIES.resolve(name + ".json"))).getAsJsonObject();
    }

    /** All the link bytes of a run: what the master received, and what it sent to each of K workers. */
    private static double linkBytes(final JsonObject run) {
        return run.get("driverBytesReceived").getAsDouble()
                + run.get("driverBytesSent").getAsDouble() * run.get("workers").getAsInt();
    }

    private static String row(final String md, final String start) {
        return md.lines().filter(l -> l.startsWith(start)).findFirst()
                .orElseThrow(() -> new AssertionError("no row starting " + start));
    }
}
