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
                "fp32;bf16;qsgd:s=4,bucket=64;sign;topk:k=5%;randk:k=5%", "--out", out.toString());
        assertEquals(0, run.code(), run.err());
        final String md = Files.readString(out.resolve("encoders.md"));
        for (final String spec : new String[] {"`fp32`", "`bf16`", "`qsgd:s=4,bucket=64,code=packed`", "`sign`",
            "`topk:k=13`", "`randk:k=13`"}) {
            assertTrue(md.contains("| " + spec + " |"), spec + " in\n" + md);
        }
        // fp32 is exact: 32 bits plus the header, a variance factor of 0
        assertTrue(md.contains("| `fp32` | 33.500 | 0 ± 0 |"), md);
        // the unbiased QSGD passes its bias test and stays within its bound
        assertTrue(run.out().lines().anyMatch(l -> l.startsWith("qsgd:s=4") && l.contains("passes")), run.out());
        // and the report is not replaced without --force
        final CliRun again = CliRun.of("compare", "--quick", "--d", "256", "--encoders", "fp32", "--out",
                out.toString());
        assertEquals(2, again.code());
        assertTrue(again.err().contains("already holds encoders.md"), again.err());
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
