package org.reluq.cli.compare;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gradients a user dumped to a file, read a row at a time (so a file of any size is streamed, never loaded whole):
 * a NumPy {@code .npy} file (format 1.0, 2.0 or 3.0) of little-endian float32 ({@code <f4}) or float16
 * ({@code <f2}) in C order, shaped {@code (d,)} for one gradient or {@code (n, d)} for n of them; or any other file
 * as raw little-endian float32, one gradient, or rows of a given dimension. Everything about the file is checked
 * when it is opened (magic, header, dtype, order, shape, length); each row is checked for NaN and infinity when it
 * is read. Problems are {@link IllegalArgumentException}s whose message names the file and what is wrong.
 */
public final class GradientFile implements AutoCloseable {

    /** The largest dimension a frame carries. */
    public static final int MAX_DIMENSION = 1 << 28;

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private final Path path;
    private final FileChannel channel;
    private final long dataStart;
    private final int dimension;
    private final long rows;
    private final boolean half;
    private final ByteBuffer row;

    private GradientFile(final Path path, final FileChannel channel, final long dataStart, final int dimension,
                         final long rows, final boolean half) {
        this.path = path;
        this.channel = channel;
        this.dataStart = dataStart;
        this.dimension = dimension;
        this.rows = rows;
        this.half = half;
        this.row = ByteBuffer.allocate(dimension * (half ? 2 : 4)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * Opens a gradient file: {@code .npy} by its magic bytes, else raw float32.
     *
     * @param dimension for raw files, the length of a row; 0 for one row of the whole file
     * @throws IllegalArgumentException naming the file and the problem
     */
    public static GradientFile open(final Path path, final int dimension) {
        final FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException(path + ": cannot read it (" + e.getMessage() + ")");
        }
        try {
            final GradientFile file = isNpy(channel) ? npy(path, channel) : raw(path, channel, dimension);
            if (dimension != 0 && file.dimension != dimension) {
                throw new IllegalArgumentException(path + ": rows of " + file.dimension + " values, not the "
                        + dimension + " asked for");
            }
            return file;
        } catch (IOException e) {
            closeQuietly(channel);
            throw new IllegalArgumentException(path + ": cannot read it (" + e.getMessage() + ")");
        } catch (IllegalArgumentException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** Values in a row: the gradient's dimension d. */
    public int dimension() {
        return dimension;
    }

    /** Rows (gradients) in the file. */
    public long rows() {
        return rows;
    }

    /** {@code float16} or {@code float32}. */
    public String dtype() {
        return half ? "float16" : "float32";
    }

    /**
     * Row {@code r} into {@code out[0, d)} as floats (float16 widened exactly).
     *
     * @throws IllegalArgumentException if a value is NaN or infinite (naming row and index) or the file shrank
     */
    public void read(final long r, final float[] out) {
        if (r < 0 || r >= rows) {
            throw new IndexOutOfBoundsException("row " + r + " of " + rows);
        }
        row.clear();
        try {
            long at = dataStart + r * row.capacity();
            while (row.hasRemaining()) {
                final int read = channel.read(row, at);
                if (read < 0) {
                    throw new IllegalArgumentException(path + ": ends within row " + r + " (was it truncated while"
                            + " being read?)");
                }
                at += read;
            }
        } catch (IOException e) {
            throw new IllegalArgumentException(path + ": cannot read row " + r + " (" + e.getMessage() + ")");
        }
        row.flip();
        for (int j = 0; j < dimension; j++) {
            final float x = half ? Float.float16ToFloat(row.getShort()) : row.getFloat();
            if (!Float.isFinite(x)) {
                throw new IllegalArgumentException(path + ": value " + x + " at row " + r + ", index " + j
                        + " is not finite");
            }
            out[j] = x;
        }
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }

    private static boolean isNpy(final FileChannel channel) throws IOException {
        final ByteBuffer head = ByteBuffer.allocate(MAGIC.length);
        channel.read(head, 0);
        return head.position() == MAGIC.length && java.util.Arrays.equals(head.array(), MAGIC);
    }

    private static GradientFile npy(final Path path, final FileChannel channel) throws IOException {
        final long size = channel.size();
        final ByteBuffer prefix = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        channel.read(prefix, 0);
        if (prefix.position() < 10) {
            throw new IllegalArgumentException(path + ": .npy header is cut short (" + size + " bytes)");
        }
        final int major = prefix.get(6) & 0xFF;
        final long headerLength;
        final int lengthBytes;
        if (major == 1) {
            headerLength = prefix.getShort(8) & 0xFFFF;
            lengthBytes = 2;
        } else if (major == 2 || major == 3) {
            if (prefix.position() < 12) {
                throw new IllegalArgumentException(path + ": .npy header is cut short (" + size + " bytes)");
            }
            headerLength = prefix.getInt(8) & 0xFFFF_FFFFL;
            lengthBytes = 4;
        } else {
            throw new IllegalArgumentException(path + ": .npy format version " + major + "." + (prefix.get(7) & 0xFF)
                    + " is not 1.0, 2.0 or 3.0");
        }
        final long dataStart = 8 + lengthBytes + headerLength;
        if (headerLength > 1 << 20 || dataStart > size) {
            throw new IllegalArgumentException(path + ": .npy header of " + headerLength + " bytes does not fit in"
                    + " the file's " + size);
        }
        final ByteBuffer text = ByteBuffer.allocate((int) headerLength);
        channel.read(text, 8 + lengthBytes);
        final String header = new String(text.array(), major == 3 ? StandardCharsets.UTF_8
                : StandardCharsets.ISO_8859_1).trim();
        final String descr = field(path, header, DESCR, "descr");
        final boolean half = switch (descr) {
            case "<f4" -> false;
            case "<f2" -> true;
            default -> throw new IllegalArgumentException(path + ": dtype '" + descr + "' is not float32 or float16"
                    + " little-endian ('<f4' or '<f2'); convert with a.astype('<f4')");
        };
        if (field(path, header, ORDER, "fortran_order").equals("True")) {
            throw new IllegalArgumentException(path + ": the array is in Fortran order; save it in C order"
                    + " (np.ascontiguousarray)");
        }
        final long[] shape = shape(path, field(path, header, SHAPE, "shape"));
        final long rows = shape.length == 1 ? 1 : shape[0];
        final long d = shape[shape.length - 1];
        requireDimension(path, d);
        final long expected = dataStart + rows * d * (half ? 2 : 4);
        if (rows < 1) {
            throw new IllegalArgumentException(path + ": shape (" + shape[0] + ", " + d + ") holds no gradient");
        }
        if (size != expected) {
            throw new IllegalArgumentException(path + ": " + size + " bytes, but its header's shape and dtype need "
                    + expected + (size < expected ? " (truncated?)" : " (data after the array)"));
        }
        return new GradientFile(path, channel, dataStart, (int) d, rows, half);
    }

    private static GradientFile raw(final Path path, final FileChannel channel, final int dimension)
            throws IOException {
        final long size = channel.size();
        if (size == 0 || size % 4 != 0) {
            throw new IllegalArgumentException(path + ": " + size + " bytes is not a whole number of little-endian"
                    + " float32 values (and the file is not .npy)");
        }
        final long values = size / 4;
        final long d = dimension == 0 ? values : dimension;
        requireDimension(path, d);
        if (values % d != 0) {
            throw new IllegalArgumentException(path + ": " + values + " float32 values are not rows of " + d);
        }
        return new GradientFile(path, channel, 0, (int) d, values / d, false);
    }

    private static void requireDimension(final Path path, final long d) {
        if (d < 1 || d > MAX_DIMENSION) {
            throw new IllegalArgumentException(path + ": gradients of " + d + " values; reluq's frames carry 1 to "
                    + MAX_DIMENSION);
        }
    }

    private static String field(final Path path, final String header, final Pattern pattern, final String name) {
        final Matcher m = pattern.matcher(header);
        if (!header.startsWith("{") || !m.find()) {
            throw new IllegalArgumentException(path + ": .npy header has no '" + name + "' (" + abbreviate(header)
                    + ")");
        }
        return m.group(1).trim();
    }

    private static long[] shape(final Path path, final String text) {
        final String[] parts = text.split(",");
        final long[] shape = new long[parts.length];
        int n = 0;
        for (final String part : parts) {
            if (part.isBlank()) {
                continue;
            }
            try {
                shape[n++] = Long.parseLong(part.trim().replace("L", ""));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(path + ": .npy shape (" + text + ") is not a tuple of integers");
            }
        }
        if (n != 1 && n != 2) {
            throw new IllegalArgumentException(path + ": shape (" + text + ") has " + n + " dimensions; gradients"
                    + " are (d,) or (n, d)");
        }
        return java.util.Arrays.copyOf(shape, n);
    }

    private static String abbreviate(final String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    private static void closeQuietly(final FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was written; a failed close of a read channel loses nothing
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s (%s, %d x %d)", path.getFileName(), dtype(), rows, dimension);
    }
}
