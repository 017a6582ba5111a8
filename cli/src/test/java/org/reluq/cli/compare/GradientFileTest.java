package org.reluq.cli.compare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** .npy and raw gradient files: what NumPy writes is read exactly; every malformed file is refused by name. */
public class GradientFileTest {

    @TempDir
    Path dir;

    /** A .npy file as NumPy's format 1.0 writes it: magic, version, header padded to 64 bytes with a newline. */
    public static byte[] npy(final String descr, final boolean fortran, final String shape, final byte[] data) {
        String header = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': ("
                + shape + "), }";
        final int total = 10 + header.length() + 1;
        header = header + " ".repeat((64 - total % 64) % 64) + "\n";
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.write(header.length() & 0xFF);
        out.write(header.length() >>> 8);
        out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
        out.writeBytes(data);
        return out.toByteArray();
    }

    public static byte[] floats(final float... values) {
        final ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (final float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    private Path write(final String name, final byte[] bytes) throws IOException {
        final Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    @Test
    void npyFloat32RowsAreReadExactly() throws IOException {
        final Path file = write("g.npy", npy("<f4", false, "2, 3", floats(1, -2.5f, 3e-30f, 0, -0f, 7)));
        try (GradientFile g = GradientFile.open(file, 0)) {
            assertEquals(3, g.dimension());
            assertEquals(2, g.rows());
            final float[] row = new float[3];
            g.read(1, row);
            assertArrayEquals(new float[] {0, -0f, 7}, row);
            g.read(0, row);
            assertArrayEquals(new float[] {1, -2.5f, 3e-30f}, row);
        }
    }

    @Test
    void npyFloat16AndOneDimensionalShapesAreRead() throws IOException {
        final ByteBuffer halves = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN);
        halves.putShort(Float.floatToFloat16(1.5f)).putShort(Float.floatToFloat16(-0.25f))
                .putShort(Float.floatToFloat16(65504f));
        try (GradientFile g = GradientFile.open(write("h.npy", npy("<f2", false, "3,", halves.array())), 0)) {
            assertEquals(1, g.rows());
            assertEquals("float16", g.dtype());
            final float[] row = new float[3];
            g.read(0, row);
            assertArrayEquals(new float[] {1.5f, -0.25f, 65504f}, row);
        }
    }

    @Test
    void rawFloat32IsOneGradientOrRowsOfTheGivenDimension() throws IOException {
        final Path file = write("g.f32", floats(1, 2, 3, 4, 5, 6));
        try (GradientFile g = GradientFile.open(file, 0)) {
            assertEquals(6, g.dimension());
            assertEquals(1, g.rows());
        }
        try (GradientFile g = GradientFile.open(file, 2)) {
            assertEquals(3, g.rows());
            final float[] row = new float[2];
            g.read(2, row);
            assertArrayEquals(new float[] {5, 6}, row);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "float64; dtype '<f8' is not float32 or float16",
        "big-endian; dtype '>f4' is not float32",
        "int8; dtype '|i1' is not float32",
        "fortran; Fortran order",
        "truncated; (truncated?)",
        "trailing; (data after the array)",
        "three-dimensional; has 3 dimensions",
        "empty; holds no gradient",
        "no shape; has no 'shape'",
        "version; format version 9.0",
        "header too long; does not fit",
        "raw odd length; is not a whole number",
        "raw rows; are not rows of 4",
        "dimension asked; not the 5 asked for"})
    void malformedFilesAreRefusedByName(final String kind, final String expected) throws IOException {
        final byte[] six = floats(1, 2, 3, 4, 5, 6);
        final byte[] bytes = switch (kind) {
            case "float64" -> npy("<f8", false, "3,", new byte[24]);
            case "big-endian" -> npy(">f4", false, "6,", six);
            case "int8" -> npy("|i1", false, "6,", new byte[6]);
            case "fortran" -> npy("<f4", true, "2, 3", six);
            case "truncated" -> {
                final byte[] whole = npy("<f4", false, "2, 3", six);
                yield java.util.Arrays.copyOf(whole, whole.length - 4);
            }
            case "trailing" -> npy("<f4", false, "5,", six);
            case "three-dimensional" -> npy("<f4", false, "1, 2, 3", six);
            case "empty" -> npy("<f4", false, "0, 3", new byte[0]);
            case "no shape" -> npy("<f4", false, "6,", six).clone();
            case "version" -> version(npy("<f4", false, "6,", six));
            case "header too long" -> java.util.Arrays.copyOf(npy("<f4", false, "6,", six), 40);
            case "raw odd length" -> new byte[10];
            case "raw rows" -> six;
            case "dimension asked" -> npy("<f4", false, "6,", six);
            default -> throw new IllegalStateException(kind);
        };
        if (kind.equals("no shape")) {
            final String text = new String(bytes, StandardCharsets.ISO_8859_1).replace("'shape'", "'shap_'");
            System.arraycopy(text.getBytes(StandardCharsets.ISO_8859_1), 0, bytes, 0, bytes.length);
        }
        final Path file = write(kind.startsWith("raw") ? "g.f32" : "g.npy", bytes);
        final int dimension = kind.equals("raw rows") ? 4 : kind.equals("dimension asked") ? 5 : 0;
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GradientFile.open(file, dimension).close());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith(file.toString()), "names the file: " + e.getMessage());
    }

    private static byte[] version(final byte[] npy) {
        npy[6] = 9;
        return npy;
    }

    @ParameterizedTest
    @CsvSource({"NaN, 1", "Infinity, 4", "-Infinity, 5"})
    void nonFiniteValuesAreNamedWithTheirRowAndIndex(final float bad, final int at) throws IOException {
        final float[] values = {1, 2, 3, 4, 5, 6};
        values[at] = bad;
        final Path file = write("bad.npy", npy("<f4", false, "2, 3", floats(values)));
        try (GradientFile g = GradientFile.open(file, 0)) {
            final float[] row = new float[3];
            final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> g.read(at / 3, row));
            assertTrue(e.getMessage().contains("row " + at / 3 + ", index " + at % 3 + " is not finite"),
                    e.getMessage());
        }
    }
}
