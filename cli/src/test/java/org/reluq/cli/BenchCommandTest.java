package org.reluq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reluq.cli.bench.JvmVariant;

/** {@code reluq bench} and {@code reluq bench compare}: what they refuse, and compare on recorded results. */
class BenchCommandTest {

    private static Path fixture() throws URISyntaxException {
        return Path.of(BenchCommandTest.class.getResource("/jmh-fixture.json").toURI());
    }

    @Test
    void compareReportsPerBenchmarkRatios(@TempDir final Path dir) throws IOException, URISyntaxException {
        final String a = Files.readString(fixture());
        // B: the VECTOR gradient twice as fast, the BLAS row missing
        final String b = a.replace("\"score\": 50.0", "\"score\": 25.0").replaceFirst(
                "(?s),\\s*\\{[^{}]*\"benchmark\": \"org.reluq.bench.ReluGradientBenchmark.gradient\"[^{}]*"
                        + "\"params\": \\{\\s*\"impl\": \"BLAS\"[^{}]*\\}[^{}]*\\{[^{}]*\\}[^{}]*\\{\\s*\\}\\s*\\}", "");
        final Path second = Files.writeString(dir.resolve("b.json"), b);
        final CliRun run = CliRun.of("bench", "compare", fixture().toString(), second.toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("ReluGradientBenchmark.gradient impl=VECTOR shape=512x1024")
                && l.endsWith("2.00×")), run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.contains("impl=BLAS") && l.endsWith("only in A")), run.out());
        assertTrue(run.out().contains("6 benchmarks in both files"), run.out());
    }

    @Test
    void compareRefusesMissingAndCorruptFiles(@TempDir final Path dir) throws IOException, URISyntaxException {
        final CliRun missing = CliRun.of("bench", "compare", dir.resolve("none.json").toString(), fixture().toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("cannot read"), missing.err());
        final Path corrupt = Files.writeString(dir.resolve("corrupt.json"), "[{\"benchmark\":");
        final CliRun bad = CliRun.of("bench", "compare", fixture().toString(), corrupt.toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("corrupt.json is not a JMH JSON result file"), bad.err());
    }

    @Test
    void theDefaultOutputIsNotTheCommittedReports() {
        final Path out = new BenchCommand().out;
        assertEquals(Path.of("results", "bench"), out);
        assertTrue(!out.toAbsolutePath().normalize().toString().contains("/reports"), out.toString());
    }

    @Test
    void benchRefusesBadOptionsBeforeRunningAnything(@TempDir final Path dir) throws URISyntaxException {
        final CliRun pattern = CliRun.of("bench", "--include", "NoSuchThing", "--out", dir.toString());
        assertEquals(2, pattern.code());
        assertTrue(pattern.err().contains("--include 'NoSuchThing' matches no benchmark; the suite has RooflineBenchmark"),
                pattern.err());
        final CliRun regex = CliRun.of("bench", "--include", "(", "--out", dir.toString());
        assertEquals(2, regex.code());
        assertTrue(regex.err().contains("is not a regular expression"), regex.err());
        final CliRun committed = CliRun.of("bench", "--out", "../reports", "--jar", fixture().toString());
        assertEquals(2, committed.code());
        assertTrue(committed.err().contains("--out ../reports already holds benchmarks.md; give --force"),
                committed.err());
        final CliRun readOnly = CliRun.of("bench", "--out", "/proc", "--jar", fixture().toString());
        assertEquals(2, readOnly.code());
        assertTrue(readOnly.err().contains("--out /proc: cannot write there"), readOnly.err());
        final CliRun both = CliRun.of("bench", "--quick", "--full");
        assertEquals(2, both.code());
        assertTrue(both.err().contains("mutually exclusive"), both.err());
        final CliRun jar = CliRun.of("bench", "--out", dir.toString(), "--jar", dir.resolve("x.jar").toString());
        assertEquals(2, jar.code());
        assertTrue(jar.err().contains("x.jar not found"), jar.err());
        final CliRun threads = CliRun.of("bench", "--threads", "0");
        assertEquals(2, threads.code());
        assertTrue(threads.err().contains("--threads must be >= 1, got 0"), threads.err());
    }

    @Test
    void jvmVariantsAreParsedAndBadOnesNamedBeforeRunningAnything(@TempDir final Path dir) {
        final List<JvmVariant> variants = JvmVariant.parse("default; -XX:UseAVX=2 ;-XX:UseAVX=2  -Dreluq.vector.bits=128");
        assertEquals(List.of("default", "-XX:UseAVX=2", "-XX:UseAVX=2 -Dreluq.vector.bits=128"),
                variants.stream().map(JvmVariant::label).toList());
        assertEquals(List.of(), variants.get(0).options());
        assertEquals(List.of("-XX:UseAVX=2", "-Dreluq.vector.bits=128"), variants.get(2).options());
        assertEquals("xx_useavx_2_dreluq.vector.bits_128", variants.get(2).slug());
        for (final String[] bad : new String[][] {{"default;;-XX:UseAVX=2", "has an empty variant"},
            {"default;UseAVX=2", "'UseAVX=2' in 'UseAVX=2' is not a JVM option"},
            {"-XX:UseAVX=2;-XX:UseAVX=2", "'-XX:UseAVX=2' is given twice"}}) {
            final CliRun run = CliRun.of("bench", "--jvm-variants", bad[0], "--out", dir.toString());
            assertEquals(2, run.code(), bad[0]);
            assertTrue(run.err().contains(bad[1]), run.err());
        }
    }
}
