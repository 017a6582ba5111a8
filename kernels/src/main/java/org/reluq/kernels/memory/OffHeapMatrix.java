package org.reluq.kernels.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * A row-major float matrix in off-heap memory. Every row starts on a 64-byte boundary: the row stride
 * is {@link Layout#paddedLength} of the column count, and the padding columns are zero.
 *
 * <p>Owned memory, freed by {@link #close()}; any later access throws {@link IllegalStateException}.
 */
public final class OffHeapMatrix implements AutoCloseable {

    private final Arena arena;
    private final MemorySegment segment;
    private final int rows;
    private final int cols;
    private final int stride;

    private OffHeapMatrix(final int rows, final int cols) {
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be >= 1, got " + rows);
        }
        this.stride = Layout.paddedLength("cols", cols);
        this.rows = rows;
        this.cols = cols;
        this.arena = Arena.ofShared();
        this.segment = NativeMemory.allocate(arena, (long) rows * stride * Float.BYTES);
    }

    /** A zero matrix. */
    public static OffHeapMatrix allocate(final int rows, final int cols) {
        return new OffHeapMatrix(rows, cols);
    }

    /** A matrix holding a copy of {@code values}, which must be rectangular. */
    public static OffHeapMatrix of(final float[][] values) {
        Objects.requireNonNull(values, "values");
        if (values.length == 0) {
            throw new IllegalArgumentException("rows must be >= 1, got 0");
        }
        final OffHeapMatrix m = new OffHeapMatrix(values.length, values[0].length);
        for (int r = 0; r < values.length; r++) {
            m.setRow(r, values[r]);
        }
        return m;
    }

    /** Number of rows. */
    public int rows() {
        return rows;
    }

    /** Number of logical columns. */
    public int cols() {
        return cols;
    }

    /** Row stride in floats (the padded column count). */
    public int strideFloats() {
        return stride;
    }

    /** Row stride in bytes, a multiple of {@link Layout#LINE_BYTES}. */
    public long strideBytes() {
        return (long) stride * Float.BYTES;
    }

    /**
     * The whole segment, {@code rows * strideFloats()} floats.
     *
     * @throws IllegalStateException if this matrix is closed
     */
    public MemorySegment segment() {
        if (isClosed()) {
            throw new IllegalStateException("OffHeapMatrix " + rows + "x" + cols + " is closed");
        }
        return segment;
    }

    /** Element (r, c). */
    public float get(final int r, final int c) {
        return segment().getAtIndex(ValueLayout.JAVA_FLOAT, index(r, c));
    }

    /** Sets element (r, c). */
    public void set(final int r, final int c, final float value) {
        segment().setAtIndex(ValueLayout.JAVA_FLOAT, index(r, c), value);
    }

    /** Copies {@code values} (exactly {@link #cols()} floats) into row {@code r}. */
    public void setRow(final int r, final float[] values) {
        if (values.length != cols) {
            throw new IllegalArgumentException("row " + r + " has " + values.length + " values, expected " + cols);
        }
        MemorySegment.copy(values, 0, segment(), ValueLayout.JAVA_FLOAT, index(r, 0) * Float.BYTES, cols);
    }

    /** A heap copy of row {@code r}'s logical columns. */
    public float[] row(final int r) {
        final float[] out = new float[cols];
        MemorySegment.copy(segment(), ValueLayout.JAVA_FLOAT, index(r, 0) * Float.BYTES, out, 0, cols);
        return out;
    }

    /** A heap copy of the logical matrix. */
    public float[][] toArray() {
        final float[][] out = new float[rows][];
        for (int r = 0; r < rows; r++) {
            out[r] = row(r);
        }
        return out;
    }

    private long index(final int r, final int c) {
        return (long) Objects.checkIndex(r, rows) * stride + Objects.checkIndex(c, cols);
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return !arena.scope().isAlive();
    }

    /** Frees the memory. Idempotent. */
    @Override
    public void close() {
        if (!isClosed()) {
            arena.close();
        }
    }

    @Override
    public String toString() {
        return "OffHeapMatrix[" + rows + "x" + cols + (isClosed() ? ", closed]" : "]");
    }
}
