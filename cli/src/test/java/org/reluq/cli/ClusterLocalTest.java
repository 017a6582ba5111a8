package org.reluq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reluq.cluster.ForeignTraffic;

/**
 * {@code reluq cluster local} with 3 worker processes on loopback: the curve, the bytes and w are the bits of
 * {@code reluq fit --workers 3} in both topologies; a killed worker is named within 5 s, leaves a checkpoint and no
 * processes or driver files, and the resumed run ends with the uninterrupted run's bits; stray datagrams and
 * foreign or corrupt messages are rejected and counted and change nothing.
 */
class ClusterLocalTest {

    private static final Pattern WEIGHTS = Pattern.compile("weights +(crc32c 0x[0-9a-f]{8})");
    private static final Path DRIVERS = Path.of("/dev/shm/reluq-aeron");

    @TempDir
    Path dir;

    /** The curve {@code reluq fit} writes (without its settings comment) and its weights line. */
    private List<String> fit(final String name, final String... options) throws IOException {
        final Path csv = dir.resolve(name + "-fit.csv");
        final List<String> args = new ArrayList<>(List.of("fit", "--no-progress", "--csv", csv.toString()));
        args.addAll(List.of(options));
        final CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.code(), run.err());
        return curveAndWeights(csv, run.out());
    }

    private static List<String> curveAndWeights(final Path csv, final String out) throws IOException {
        final List<String> lines = new ArrayList<>(Files.readAllLines(csv));
        lines.removeFirst();
        final Matcher weights = WEIGHTS.matcher(out);
        assertTrue(weights.find(), out);
        lines.add(weights.group(1));
        return lines;
    }

    private static String[] with(final String[] options, final String... more) {
        final List<String> all = new ArrayList<>(List.of(options));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    @Test
    void bothTopologiesGiveTheInProcessTrainersBits() throws Exception {
        for (final String[] run : List.of(new String[] {"master", "qsgd:s=4,code=elias"},
                new String[] {"allgather", "ef(sign)"})) {
            final String[] options = {"--d", "64", "--workers", "3", "--encoder", run[1], "--iters", "300",
                "--target-error", "0", "--seed", "11"};
            final List<String> expected = fit(run[0], options);
            final Path csv = dir.resolve(run[0] + "-cluster.csv");
            try (ClusterProcess cluster = new ClusterProcess(with(with(new String[] {"local"}, options),
                    "--topology", run[0], "--csv", csv.toString(), "--checkpoint", dir.resolve(run[0] + ".ckpt")
                            .toString()))) {
                assertEquals(0, cluster.exitCode(90), cluster.err());
                assertEquals(expected, curveAndWeights(csv, cluster.out()), run[0] + " topology, " + run[1]);
            }
        }
    }

    @Test
    void aKilledWorkerIsNamedCheckpointedAndTheResumedRunEndsWithTheSameBits() throws Exception {
        final String[] options = {"--d", "64", "--workers", "3", "--encoder", "ef(qsgd:s=2)", "--iters", "1200",
            "--target-error", "0", "--seed", "12"};
        final List<String> expected = fit("resume", options);
        final Path checkpoint = dir.resolve("killed.ckpt");
        final Path unwritten = dir.resolve("killed.json");
        final Path unwrittenCsv = dir.resolve("killed.csv");
        final List<Long> pids = new ArrayList<>();
        try (ClusterProcess cluster = new ClusterProcess(with(with(new String[] {"local"}, options), "--progress",
                "--checkpoint", checkpoint.toString(), "--summary", unwritten.toString(), "--csv",
                unwrittenCsv.toString()))) {
            pids.add(cluster.pid());
            for (int i = 0; i < 3; i++) {
                final int index = i;
                final String line = cluster.awaitOut(l -> l.startsWith("worker") && countWorkers(cluster) > index, 60)
                        .text();
                assertTrue(line.contains("pid"), line);
            }
            for (final String line : cluster.out().split("\n")) {
                if (line.startsWith("worker     process started, pid ")) {
                    pids.add(Long.parseLong(line.substring(line.lastIndexOf(' ') + 1)));
                }
            }
            cluster.awaitOut(l -> l.startsWith("progress   round 512"), 60);
            final long victim = pids.get(2);
            final long killed = System.nanoTime();
            ProcessHandle.of(victim).orElseThrow().destroyForcibly();
            final ClusterProcess.Line named = cluster.awaitErr(l -> l.contains("dead or stalled")
                    && l.contains("pid " + victim + " "), 10);
            final double seconds = (named.nanos() - killed) / 1e9;
            assertTrue(seconds < 5, String.format(Locale.ROOT, "named %.2f s after the kill", seconds));
            assertEquals(3, cluster.exitCode(30), cluster.err());
            assertTrue(Files.isRegularFile(checkpoint), cluster.err());
            // a stateful encoder's state reaches the master every 256 rounds: the checkpoint is the last such round
            final Matcher round = Pattern.compile("checkpoint of round (\\d+) written").matcher(cluster.err());
            assertTrue(round.find(), cluster.err());
            final int at = Integer.parseInt(round.group(1));
            assertTrue(at > 0 && at % 256 == 0, cluster.err());
            // the failed run's summary and curve are not written, and no empty file stands in their place
            assertFalse(Files.exists(unwritten), unwritten + " exists");
            assertFalse(Files.exists(unwrittenCsv), unwrittenCsv + " exists");
        }
        for (final long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "process " + pid + " lives");
            assertFalse(Files.exists(DRIVERS.resolve(Long.toString(pid))), "driver files of " + pid + " remain");
        }
        final Path csv = dir.resolve("resumed.csv");
        try (ClusterProcess resumed = new ClusterProcess("local", "--resume", checkpoint.toString(), "--checkpoint",
                checkpoint.toString(), "--csv", csv.toString())) {
            assertEquals(0, resumed.exitCode(90), resumed.err());
            assertTrue(resumed.out().contains("(resumed at round "), resumed.out());
            assertEquals(expected, curveAndWeights(csv, resumed.out()));
        }
    }

    private static long countWorkers(final ClusterProcess cluster) {
        return cluster.out().lines().filter(l -> l.startsWith("worker     process started")).count();
    }

    @Test
    void strayDatagramsAndForeignFramesAreRejectedCountedAndChangeNothing() throws Exception {
        final String[] options = {"--d", "64", "--workers", "3", "--iters", "1000", "--target-error", "0", "--seed",
            "13", "--encoder", "qsgd:s=8"};
        final List<String> expected = fit("stray", options);
        final Path csv = dir.resolve("stray.csv");
        try (ClusterProcess cluster = new ClusterProcess(with(with(new String[] {"local"}, options), "--progress",
                "--csv", csv.toString(), "--checkpoint", dir.resolve("stray.ckpt").toString()))) {
            final String listening = cluster.awaitOut(l -> l.startsWith("master     listening at "), 60).text();
            final String endpoint = listening.substring(listening.lastIndexOf(' ') + 1);
            cluster.awaitOut(l -> l.startsWith("progress"), 60);
            final ForeignTraffic.Sent sent = ForeignTraffic.send(endpoint, 10_000, 1_000, 99);
            assertEquals(0, cluster.exitCode(90), cluster.err());
            final String out = cluster.out();
            final Matcher rejected = Pattern.compile("rejected +(\\d+) messages.*; (\\d+) datagrams Aeron").matcher(out);
            assertTrue(rejected.find(), out);
            assertEquals(sent.foreignFrames() + sent.corruptFrames(), Long.parseLong(rejected.group(1)), out);
            assertTrue(out.contains(sent.corruptFrames() + " CRC32C mismatch"), out);
            assertTrue(out.contains(sent.foreignFrames() + " another run's id"), out);
            assertEquals(sent.datagrams() - sent.versionZero(), Long.parseLong(rejected.group(2)), out);
            assertEquals(expected, curveAndWeights(csv, out));
        }
    }
}
