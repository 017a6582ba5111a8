package org.reluq.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.reluq.kernels.encoder.Encoders;
import org.reluq.kernels.sgd.StopReason;

/**
 * The README's library example runs and does what it says, on every path (tagged "species": the build also runs
 * it on a JVM without the Vector API's module, as a library user who leaves out the flag would), and the README
 * shows its code exactly.
 */
@Tag("species")
class LibraryExampleTest {

    private static final Path SOURCE = Path.of("src/test/java/org/reluq/verify/LibraryExample.java");
    private static final Path README = Path.of("../README.md");

    @Test
    void theExampleFitsTheModelAndRoundTripsAGradient() {
        final LibraryExample.Outcome outcome = LibraryExample.run();
        assertEquals(StopReason.TARGET_REACHED, outcome.fit().stopReason(), outcome.fit().toString());
        assertTrue(outcome.fit().finalRelativeError() <= 1e-4, "relative error " + outcome.fit().finalRelativeError());
        final int d = outcome.gradient().length;
        assertEquals(Encoders.parse("qsgd:s=16,bucket=512,code=packed").maxFrameBytes(d), outcome.frameBytes(),
                "a packed frame has its full size");
        double norm = 0;
        double error = 0;
        for (int j = 0; j < d; j++) {
            norm += (double) outcome.gradient()[j] * outcome.gradient()[j];
            final double e = outcome.decoded()[j] - outcome.gradient()[j];
            error += e * e;
        }
        // E||Q(g) - g||^2 <= omega ||g||^2; one draw over 400 coordinates lies far below twice that
        final double omega = Encoders.parse("qsgd:s=16,bucket=512,code=packed").varianceFactor(d);
        assertTrue(norm > 0, "the gradient at 0 is not zero");
        assertTrue(error <= 2 * omega * norm, "||Q(g) - g||^2 = " + error + " against omega ||g||^2 = " + omega * norm);
    }

    @Test
    void theReadmeShowsTheExampleExactly() throws IOException {
        final List<String> lines = Files.readAllLines(SOURCE);
        final int begin = lines.indexOf("        // README example begins");
        final int end = lines.indexOf("            // README example ends");
        assertTrue(begin >= 0 && end > begin, "markers in " + SOURCE);
        final StringBuilder block = new StringBuilder();
        for (final String line : lines.subList(begin + 1, end)) {
            block.append(line.startsWith("        ") ? line.substring(8) : line.strip()).append('\n');
        }
        final String readme = Files.readString(README);
        assertTrue(readme.contains("```java\n" + block + "}\n```"), "README.md must show, in a java block:\n" + block);
    }
}
