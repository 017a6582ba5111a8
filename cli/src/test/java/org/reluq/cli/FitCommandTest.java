package org.reluq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code reluq fit} end to end: a small fit with its files, and every bad option refused with exit code 2. */
class FitCommandTest {

    @Test
    void fitsASmallModelAndWritesTheCurve(@TempDir final Path dir) throws IOException {
        final Path csv = dir.resolve("curve.csv");
        final Path png = dir.resolve("curve.png");
        final Path svg = dir.resolve("curve.svg");
        final CliRun run = CliRun.of("fit", "--d", "64", "--batch", "16", "--iters", "3000", "--target-error", "1e-4",
                "--seed", "3", "--csv", csv.toString(), "--plot", png.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("target 1.00e-04 reached after"), run.out());
        assertTrue(run.out().contains("iterations/s"), run.out());
        final List<String> lines = Files.readAllLines(csv);
        assertTrue(lines.get(0).startsWith("# reluq fit d=64 n=640 batch=16 "), lines.get(0));
        assertTrue(lines.get(0).contains(" seed=3 target=1.00e-04 "), lines.get(0));
        assertEquals("iteration,relative_error,loss,wire_bytes", lines.get(1));
        final String[] last = lines.get(lines.size() - 1).split(",", -1);
        assertTrue(Double.parseDouble(last[1]) <= 1e-4, "last relative error " + last[1]);
        assertEquals("", last[2], "no loss after the last step");
        final byte[] header = Files.readAllBytes(png);
        assertTrue(header.length > 1000 && header[1] == 'P' && header[2] == 'N' && header[3] == 'G', "a PNG file");
        assertEquals(0, CliRun.of("fit", "--d", "32", "--iters", "50", "--plot", svg.toString()).code());
        assertTrue(Files.readString(svg).contains("<svg"), "an SVG file");
    }

    @Test
    void reportsTheSteadySpeedOnceARunIsLongEnough() {
        final CliRun run = CliRun.of("fit", "--d", "32", "--batch", "8", "--iters", "600", "--target-error", "1e-30",
                "--no-progress");
        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(run.out().contains("iteration budget spent after 600 iterations"), run.out());
        assertTrue(run.out().contains(", fastest 256 iterations at "), run.out());
        final CliRun brief = CliRun.of("fit", "--d", "32", "--batch", "8", "--iters", "100", "--target-error", "1e-30",
                "--no-progress");
        assertTrue(brief.out().contains("iterations/s") && !brief.out().contains("fastest"), brief.out());
    }

    @Test
    void fitsWithQuantizedWorkersAndCountsTheBytes(@TempDir final Path dir) throws IOException {
        final Path csv = dir.resolve("q.csv");
        final CliRun run = CliRun.of("fit", "--d", "64", "--batch", "16", "--iters", "3000", "--target-error", "1e-3",
                "--workers", "4", "--encoder", "qsgd:s=4,code=elias", "--threads", "2", "--csv", csv.toString(),
                "--no-progress");
        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(run.out().contains("workers    4, encoder qsgd:s=4,bucket=none,code=elias"), run.out());
        assertTrue(run.out().contains("(1 + omega), omega = 2"), run.out());
        assertTrue(run.out().contains("target 1.00e-03 reached"), run.out());
        final List<String> lines = Files.readAllLines(csv);
        final String[] last = lines.get(lines.size() - 1).split(",");
        final long bytes = Long.parseLong(last[3]);
        assertTrue(run.out().contains("wire       " + bytes + " bytes"), run.out());
        // four frames per iteration, each at least its 48-byte header
        assertTrue(bytes >= 4L * 48 * (lines.size() - 3), "bytes " + bytes);
    }

    @Test
    void aDivergingRunExitsWithOneAndSaysWhy() {
        final CliRun run = CliRun.of("fit", "--d", "32", "--batch", "8", "--step", "1000", "--init", "gaussian", "--iters", "10000");
        assertEquals(1, run.code(), run.out());
        assertTrue(run.err().contains("diverged at iteration"), run.err());
        assertTrue(run.err().contains("smaller --step than 1000"), run.err());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "fit --d 0|--d must be >= 1, got 0",
        "fit --d -5|--d must be >= 1, got -5",
        "fit --d abc|'abc' is not an int",
        "fit --n 0|--n must be >= 1, got 0",
        "fit --batch 0|--batch must be >= 1, got 0",
        "fit --iters -1|--iters must be >= 1, got -1",
        "fit --step NaN|--step must be finite and > 0, got NaN",
        "fit --step -0.5|--step must be finite and > 0, got -0.5",
        "fit --step 0|--step must be finite and > 0, got 0.0",
        "fit --target-error -1|--target-error must be finite and >= 0, got -1.0",
        "fit --init ones|unknown init 'ones'",
        "fit --sampling sometimes|unknown sampling 'sometimes'",
        "fit --d 8 --n 10 --batch 11 --sampling without|--batch 11 exceeds --n 10",
        "fit --batch 2147483647|--batch 2147483647 exceeds --n 10240",
        "fit --d 268435457 --workers 1|--n defaults to 10 d = 2684354570",
        "fit --d 100000 --n 100000000|X needs 37252.9 GiB and this machine has",
        "fit --threads 100000|--threads 100000 exceeds 256",
        "fit --d 2147483647|--d 2147483647 exceeds the largest row",
        "fit --norm 0|--norm must be finite and > 0, got 0.0",
        "fit --threads 0|--threads must be >= 1, got 0",
        "fit --plot /tmp/curve.gif|must end in .png or .svg",
        "fit --csv /proc/reluq.csv|--csv /proc/reluq.csv: cannot write there",
        "fit --plot /proc/reluq.png|--plot /proc/reluq.png: cannot write there",
        "fit --csv /tmp|--csv /tmp is a folder",
        "fit --bogus|Unknown option: '--bogus'",
        "fit --workers 0|--workers must be >= 1, got 0",
        "fit --batch 8 --workers 9|--workers = 9 exceeds the --batch 8",
        "fit --encoder zip|--encoder zip: ",
        "fit --encoder qsgd:s=0|--encoder qsgd:s=0: ",
        "fit --encoder qsgd:s=4;bucket=3|--encoder qsgd:s=4;bucket=3: ",
        "fly|Unmatched argument at index 0: 'fly'",
        "|missing command",
    })
    void badOptionsExitWithTwoAndNameTheValue(final String args, final String message) {
        final CliRun run = CliRun.of(args == null ? new String[0] : args.split(" "));
        assertEquals(2, run.code(), run.out() + run.err());
        assertTrue(run.err().contains(message), "stderr '" + run.err() + "' lacks '" + message + "'");
        // one line, not the usage; nothing was generated before the check
        assertEquals(1, run.err().strip().lines().count(), run.err());
        assertTrue(run.err().contains("(try 'reluq"), run.err());
        assertTrue(!run.out().contains("data "), "refused before any work: " + run.out());
    }

    @Test
    void aHugeBudgetCostsNothingUntilItIsUsed() {
        final CliRun run = CliRun.of("fit", "--d", "16", "--iters", "2147483647", "--target-error", "1e-3",
                "--no-progress");
        assertEquals(0, run.code(), run.out() + run.err());
        assertTrue(run.out().contains("target 1.00e-03 reached"), run.out());
    }

    @Test
    void senselessSettingsAreWarnedAbout() {
        final CliRun fewer = CliRun.of("fit", "--d", "64", "--n", "32", "--batch", "8", "--iters", "20",
                "--no-progress");
        assertEquals(0, fewer.code(), fewer.err());
        assertTrue(fewer.err().contains("warning: --n 32 is below --d 64"), fewer.err());
        final CliRun reached = CliRun.of("fit", "--d", "32", "--target-error", "0.99", "--no-progress");
        assertEquals(0, reached.code(), reached.err());
        assertTrue(reached.err().contains("is already at or below --target-error"), reached.err());
        assertTrue(reached.out().contains("after 0 iterations"), reached.out());
    }

    @Test
    void jsonSummaryHoldsSettingsPhasesAndResult() {
        final CliRun run = CliRun.of("fit", "--d", "32", "--iters", "500", "--seed", "9", "--json");
        assertEquals(0, run.code(), run.err());
        final com.google.gson.JsonObject json = com.google.gson.JsonParser.parseString(run.out()).getAsJsonObject();
        assertEquals(32, json.getAsJsonObject("settings").get("d").getAsInt());
        assertEquals(9, json.getAsJsonObject("settings").get("seed").getAsLong());
        assertTrue(json.getAsJsonObject("phases").get("dataSeconds").getAsDouble() > 0, run.out());
        assertTrue(json.getAsJsonObject("phases").get("totalSeconds").getAsDouble()
                >= json.getAsJsonObject("phases").get("loopSeconds").getAsDouble(), run.out());
        final com.google.gson.JsonObject result = json.getAsJsonObject("result");
        assertTrue(result.get("iterations").getAsInt() > 0, run.out());
        assertTrue(result.get("relativeError").getAsDouble() < result.get("initialRelativeError").getAsDouble());
    }

    @Test
    void textOutputSaysWhereTheTimeWent() {
        final CliRun run = CliRun.of("fit", "--d", "32", "--iters", "200", "--no-progress");
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("phases     "), run.out());
        assertTrue(run.out().contains(" data "), run.out());
        assertTrue(run.out().contains(" init ") && run.out().contains(" loop ") && run.out().contains(" in all"),
                run.out());
    }

    @Test
    void versionNamesTheCommitAndTheVectorSpecies() {
        final CliRun run = CliRun.of("--version");
        assertEquals(0, run.code());
        assertTrue(run.out().contains("vectors: float x"), run.out());
        assertTrue(run.out().matches("(?s)reluq \\S+ \\(commit [0-9a-f]{7}.*"), run.out());
    }
}
