package org.reluq.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.reluq.kernels.encoder.Encoders;

/** The hex dumps of docs/wire-format.md section 5 are what the encoders write, so the spec cannot drift. */
class WireFormatExampleTest {

    private static final float[] EXAMPLE = {0.5f, -0.25f, 0f, 1f, -0.125f};
    /** The 16-bit formats' example, with values that round. */
    private static final float[] ROUNDING = {0.1f, -3.14159f, 65504f, 1e-7f, 0f};

    @Test
    void theWorkedExamplesAreTheEncodersBytes() throws IOException {
        final List<byte[]> dumps = hexDumps(Files.readString(Path.of("..", "docs", "wire-format.md")));
        final String[] specs = {"qsgd:s=2,bucket=none,code=packed", "qsgd:s=3,bucket=none,levels=exp,code=packed",
            "qsgd:s=2,bucket=none,code=elias", "fp32", "fp16",
            "bf16", "sign", "natural", "terngrad:bucket=none,clip=none", "topk:k=2", "randk:k=2",
            "qsgd:s=2,bucket=none,norm=max,dither=16,code=packed", "qsgd:s=2,bucket=none,code=rans"};
        final float[][] vectors = {EXAMPLE, EXAMPLE, EXAMPLE, EXAMPLE, ROUNDING, ROUNDING, EXAMPLE, EXAMPLE, EXAMPLE, EXAMPLE,
            EXAMPLE, EXAMPLE, EXAMPLE};
        assertEquals(specs.length, dumps.size(), "hex dumps in the document");
        for (int i = 0; i < specs.length; i++) {
            assertArrayEquals(dumps.get(i), TestData.frame(Encoders.parse(specs[i]), vectors[i], 1, 2), specs[i]);
        }
    }

    /** The code blocks whose lines look like {@code 0000  52 4c ...}, as bytes. */
    private static List<byte[]> hexDumps(final String markdown) {
        final List<byte[]> dumps = new ArrayList<>();
        final String[] parts = markdown.split("```");
        for (int p = 1; p < parts.length; p += 2) {
            final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            boolean dump = false;
            for (final String line : parts[p].strip().split("\n")) {
                if (!line.matches("[0-9a-f]{4}  [0-9a-f ]+")) {
                    dump = false;
                    break;
                }
                dump = true;
                for (final String hex : line.substring(6).trim().split(" ")) {
                    bytes.write(Integer.parseInt(hex, 16));
                }
            }
            if (dump) {
                dumps.add(bytes.toByteArray());
            }
        }
        return dumps;
    }
}
