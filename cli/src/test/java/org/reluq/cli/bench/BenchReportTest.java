package org.reluq.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The report generator on a recorded JMH result file with numbers chosen so every cell can be worked out. */
class BenchReportTest {

    static Path fixture() throws URISyntaxException {
        return Path.of(BenchReportTest.class.getResource("/jmh-fixture.json").toURI());
    }

    @Test
    void turnsTheFixtureIntoTheExpectedTables() throws IOException, URISyntaxException {
        final List<JmhResult> results = JmhResults.read(fixture());
        assertEquals(7, results.size());
        final String md = BenchReport.tables(results, 16);
        // roofline: 128 reads of 512 KiB in 512 us, 8 of 8 MiB in 800 us, 1 GiB in 40 ms; 16 x 4096 x 16 lanes
        // x 2 FLOPs in 10 us
        for (final String row : List.of(
                "| read bandwidth, L2 | 512 KiB | 131.1 GB/s ± 10% |",
                "| read bandwidth, L3 | 8 MiB | 83.9 GB/s ± 5% |",
                "| read bandwidth, DRAM | 1 GiB | 26.8 GB/s ± 5% |",
                "| FMA peak, 1 thread | registers | 209.7 GFLOP/s ± 5% |",
                // X of 512 x 1024 floats (2 MiB, so L3) in 50 us and 100 us; VECTOR twice as fast as BLAS
                "| impl=VECTOR shape=512x1024 | 50.00 ± 2.0 us/op | 50.00 µs | 2.00× | 41.9 | 50% of L3 |",
                "| impl=BLAS shape=512x1024 | 100.0 ± 5.0 us/op | 100.00 µs | 1.00× | 21.0 | 25% of L3 |",
                // 64 rows of 1024 floats at 62 500 steps/s from a 40 MiB X (DRAM); no READ row, so no ratio
                "| impl=VECTOR shape=1024x64 | 6.250e+04 ops/s | 16.00 µs | - | 16.4 | 61% of DRAM |")) {
            assertTrue(md.contains(row), "missing row\n" + row + "\nin\n" + md);
        }
        assertTrue(md.contains("| parameters | score | time per op | speed vs impl=BLAS | GB/s | % of roofline |"), md);
    }

    @Test
    void writesTheMarkdownAndItsFigures(@TempDir final Path dir) throws IOException, URISyntaxException {
        final Path md = BenchReport.write(JmhResults.read(fixture()), "# header\n", 16, dir);
        final String text = Files.readString(md);
        assertTrue(text.startsWith("# header"), text);
        for (final String figure : List.of("relugradient.png", "scaling.png")) {
            assertTrue(text.contains("benchmarks/" + figure), figure);
            assertTrue(Files.size(dir.resolve("benchmarks").resolve(figure)) > 1000, figure);
        }
    }

    @Test
    void malformedFilesAreRefusedWithTheirName(@TempDir final Path dir) throws IOException {
        final Path broken = Files.writeString(dir.resolve("broken.json"), "[{\"benchmark\": \"x\"");
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> JmhResults.read(broken));
        assertTrue(e.getMessage().contains("broken.json is not a JMH JSON result file"), e.getMessage());
        final Path object = Files.writeString(dir.resolve("object.json"), "{\"a\": 1}");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JmhResults.read(object)).getMessage()
                .contains("not an array"));
        final Path noMetric = Files.writeString(dir.resolve("nometric.json"), "[{\"benchmark\": \"a.B.c\", \"mode\": \"avgt\"}]");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> JmhResults.read(noMetric)).getMessage()
                .contains("result 0 has no primaryMetric"));
    }
}
