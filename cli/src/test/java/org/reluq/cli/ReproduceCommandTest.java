package org.reluq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code reluq reproduce --quick} end to end, and its bad options. */
class ReproduceCommandTest {

    @Test
    void quickReproductionWritesTheReportItsFiguresAndCsvs(@TempDir final Path dir) throws IOException {
        final CliRun run = CliRun.of("reproduce", "--quick", "--out", dir.toString(), "--seed", "3");
        assertEquals(0, run.code(), run.out() + run.err());
        final String md = Files.readString(dir.resolve("convergence.md"));
        for (final String section : List.of("## (a)", "## (b)", "## (c)", "## (d)", "| command | `reluq reproduce --quick",
                "--seed 3`", "| JDK | ")) {
            assertTrue(md.contains(section), "report lacks " + section);
        }
        for (final String file : List.of("a-batch-size.png", "a-batch-size.csv", "a-curves.csv", "b-sample-complexity.png",
                "b-sample-complexity.csv", "c-qsgd.csv", "c-curves.csv", "c-qsgd-iterations-one.png", "c-qsgd-bits-one.png",
                "c-qsgd-iterations-bucket64.png", "c-qsgd-bits-bucket64.png", "c-qsgd-workers.png",
                "d-step.csv", "d-step.png")) {
            final Path path = dir.resolve("convergence").resolve(file);
            assertTrue(Files.size(path) > 100, file + " is missing or empty");
            assertTrue(md.contains(file) || file.endsWith(".csv"), "report does not show " + file);
        }
        // packed and Elias codes quantize identically, so their runs must match in every setting
        final Matcher same = Pattern.compile("identical curves in (\\d+) of (\\d+) settings").matcher(md);
        assertTrue(same.find(), md);
        assertEquals(same.group(2), same.group(1));
        // one CSV row per batch size of the quick sizes, each reaching the target
        final List<String> rates = Files.readAllLines(dir.resolve("convergence").resolve("a-batch-size.csv"));
        assertEquals(6, rates.size());
        for (final String row : rates.subList(1, rates.size())) {
            assertTrue(row.contains("TARGET_REACHED"), row);
        }
    }

    @Test
    void badOptionsExitWithTwoAndNameTheValue(@TempDir final Path dir) {
        final long start = System.nanoTime();
        final CliRun unwritable = CliRun.of("reproduce", "--out", "/proc/reluq");
        assertEquals(2, unwritable.code());
        assertTrue(unwritable.err().contains("--out /proc/reluq: cannot write there"), unwritable.err());
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "refused before any experiment");
        final CliRun committed = CliRun.of("reproduce", "--out", "../reports");
        assertEquals(2, committed.code());
        assertTrue(committed.err().contains("--out ../reports already holds convergence.md; give --force"),
                committed.err());
        assertEquals(java.nio.file.Path.of("results", "reproduce"), new ReproduceCommand().out);
        final CliRun bogus = CliRun.of("reproduce", "--fast");
        assertEquals(2, bogus.code());
        assertTrue(bogus.err().contains("Unknown option: '--fast'"), bogus.err());
        final CliRun seed = CliRun.of("reproduce", "--seed", "x");
        assertEquals(2, seed.code());
        assertTrue(seed.err().contains("'x' is not a long"), seed.err());
    }
}
