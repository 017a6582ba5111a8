package org.reluq.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reluq.cli.compare.GradientFileTest;

/** {@code reluq compare --quick}: a report on planted and on file gradients; bad input is one line and exit code 2. */
class CompareEncodersCommandTest {

    @TempDir
    Path dir;

    @Test
    void quickRunOnThePlantedModelWritesTheReport() throws IOException {
        final Path out = dir.resolve("report");
        final CliRun run = CliRun.of("compare", "--quick", "--d", "256", "--encoders",
                "fp32;bf16;qsgd:s=4,bucket=64;qsgd:s=4,bucket=64,code=rans;sign;topk:k=5%;randk:k=5%", "--out",
                out.toString());
        assertEquals(0, run.code(), run.err());
        final String md = Files.readString(out.resolve("encoders.md"));
        for (final String spec : new String[] {"`fp32`", "`bf16`", "`qsgd:s=4,bucket=64,code=packed`", "`sign`",
            "`topk:k=13`", "`randk:k=13`"}) {
            assertTrue(md.contains("| " + spec + " |"), spec + " in\n" + md);
        }
        // fp32 is exact: 32 bits plus the header, of which the sign and exponent carry less than their 9 bits
        final String fp32 = md.lines().filter(l -> l.startsWith("| `fp32` | 33.500 |")).findFirst().orElseThrow();
        final double information = Double.parseDouble(fp32.split("\\|")[3].trim());
        assertTrue(information > 23 + 1.5 && information < 33.5, fp32);
        assertTrue(fp32.contains("| 0 ± 0 |"), fp32);
        // packed and rANS codes of one quantizer carry the same information, in different numbers of bits
        assertEquals(column(md, "`qsgd:s=4,bucket=64,code=packed`", 3), column(md, "`qsgd:s=4,bucket=64,code=rans`", 3));
        // the unbiased QSGD passes its bias test and stays within its bound
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("qsgd:s=4") && l.contains("passes")), run.out());
        // fp32 reaches the target on the planted model; the decision table has a row a bandwidth
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("fp32") && l.contains("iterations to 1e-04")),
                run.out());
        for (final String b : new String[] {"10 Mbit/s", "100 Mbit/s", "1 Gbit/s", "10 Gbit/s", "100 Gbit/s"}) {
            assertTrue(md.contains("| " + b + " | `"), b + " in\n" + md);
        }
        for (final String figure : CompareEncodersCommand.FIGURES) {
            final byte[] png = Files.readAllBytes(out.resolve(figure));
            assertTrue(png.length > 10_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', figure);
            assertTrue(md.contains("](" + figure + ")"), figure + " linked");
        }
        // and the report is not replaced without --force
        final CliRun again = CliRun.of("compare", "--quick", "--d", "256", "--encoders", "fp32", "--out",
                out.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("already holds encoders.md"), again.err());
    }

    /** Column c (1-based, after the leading '|') of the table row that starts with the spec. */
    private static String column(final String md, final String spec, final int c) {
        return md.lines().filter(l -> l.startsWith("| " + spec + " |")).findFirst().orElseThrow().split("\\|")[c]
                .trim();
    }

    @Test
    void badOptionsAreOneLineAndExitCode2() {
        final String[][] cases = {
            {"--bandwidth", "10M,fast", "bandwidth 'fast'"},
            {"--steps", "1,-2", "--steps -2.0"},
            {"--workers", "65", "--workers 65"},
            {"--target-error", "2", "--target-error 2.0"},
            {"--latency", "-1", "--latency -1.0"},
        };
        for (final String[] c : cases) {
            final CliRun run = CliRun.of("compare", "--quick", c[0], c[1], "--out", dir.resolve("x").toString());
            assertEquals(2, run.code(), c[0] + " " + c[1]);
            assertEquals(1, run.err().lines().count(), run.err());
            assertTrue(run.err().contains(c[2]), run.err());
        }
    }

    @Test
    void aNumpyFileIsMeasuredAndABadOneIsOneLine() throws IOException {
        final float[] values = new float[2 * 300];
        for (int j = 0; j < values.length; j++) {
            values[j] = (float) Math.sin(j);
        }
        final Path good = dir.resolve("g.npy");
        Files.write(good, GradientFileTest.npy("<f4", false, "2, 300", GradientFileTest.floats(values)));
        final CliRun run = CliRun.of("compare", "--quick", "--source", good.toString(), "--encoders",
                "fp32;qsgd:s=2,bucket=none", "--out", dir.resolve("a").toString());
        assertEquals(0, run.code(), run.err());
        assertTrue(run.out().contains("g.npy (float32, 2 x 300; 2 rows evenly spaced)"), run.out());

        final Path bad = dir.resolve("bad.npy");
        Files.write(bad, GradientFileTest.npy("<f8", false, "300,", new byte[2400]));
        final CliRun refused = CliRun.of("compare", "--quick", "--source", bad.toString(), "--out",
                dir.resolve("b").toString());
        assertEquals(2, refused.code());
        assertEquals(1, refused.err().lines().count(), refused.err());
        assertTrue(refused.err().contains("dtype '<f8'"), refused.err());
        final CliRun unknown = CliRun.of("compare", "--quick", "--encoders", "qsgd:s=0", "--out",
                dir.resolve("c").toString());
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("--encoders 'qsgd:s=0'"), unknown.err());
    }
}
