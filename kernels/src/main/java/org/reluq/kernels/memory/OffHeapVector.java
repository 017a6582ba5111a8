package org.reluq.kernels.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import org.reluq.kernels.internal.Padded;

/**
 * A float vector in 64-byte-aligned off-heap memory, padded with zeros to {@link #paddedLength()}.
 *
 * <p>The memory is owned by this object and freed by {@link #close()}; any later access throws
 * {@link IllegalStateException}. The padding is zero on allocation and every kernel that writes a
 * vector keeps it zero; the public view ({@link #segment()}) covers the {@link #length()} logical floats only, so
 * no caller can break that (the kernels reach the padding through {@code org.reluq.kernels.internal.Padded}).
 * Instances may be read by several threads; writes need external ordering.
 */
public final class OffHeapVector implements AutoCloseable {

    static {
        Padded.register(OffHeapVector::padded);
    }

    private final Arena arena;
    private final MemorySegment segment;
    private final MemorySegment view;
    private final int length;
    private final int paddedLength;

    private OffHeapVector(final int length) {
        this.paddedLength = Layout.paddedLength("vector length", length);
        this.length = length;
        this.arena = Arena.ofShared();
        this.segment = NativeMemory.allocate(arena, (long) paddedLength * Float.BYTES);
        this.view = segment.asSlice(0, (long) length * Float.BYTES);
    }

    /** A zero vector of {@code length} floats. */
    public static OffHeapVector allocate(final int length) {
        return new OffHeapVector(length);
    }

    /** A vector holding a copy of {@code values}. */
    public static OffHeapVector of(final float... values) {
        Objects.requireNonNull(values, "values");
        final OffHeapVector v = new OffHeapVector(values.length);
        v.copyFrom(values);
        return v;
    }

    /** Number of logical elements. */
    public int length() {
        return length;
    }

    /** Number of floats in the segment, a multiple of {@link Layout#PAD_FLOATS}. */
    public int paddedLength() {
        return paddedLength;
    }

    /**
     * The {@link #length()} logical floats, in native order: a view that stops where the padding starts.
     *
     * @throws IllegalStateException if this vector is closed
     */
    public MemorySegment segment() {
        ensureOpen();
        return view;
    }

    private MemorySegment padded() {
        ensureOpen();
        return segment;
    }

    /** Element {@code i}. */
    public float get(final int i) {
        return segment().getAtIndex(ValueLayout.JAVA_FLOAT, Objects.checkIndex(i, length));
    }

    /** Sets element {@code i}. */
    public void set(final int i, final float value) {
        segment().setAtIndex(ValueLayout.JAVA_FLOAT, Objects.checkIndex(i, length), value);
    }

    /** Copies {@code values} (exactly {@link #length()} of them) into this vector. */
    public void copyFrom(final float[] values) {
        if (values.length != length) {
            throw new IllegalArgumentException("expected " + length + " values, got " + values.length);
        }
        MemorySegment.copy(values, 0, segment(), ValueLayout.JAVA_FLOAT, 0, length);
    }

    /** Copies the contents of {@code other}, which must have the same length. */
    public void copyFrom(final OffHeapVector other) {
        if (other.length != length) {
            throw new IllegalArgumentException("expected a vector of length " + length + ", got " + other.length);
        }
        padded().copyFrom(other.padded());
    }

    /** Sets every element to zero. */
    public void clear() {
        padded().fill((byte) 0);
    }

    /** A heap copy of the {@link #length()} logical elements. */
    public float[] toArray() {
        final float[] out = new float[length];
        MemorySegment.copy(segment(), ValueLayout.JAVA_FLOAT, 0, out, 0, length);
        return out;
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return !arena.scope().isAlive();
    }

    private void ensureOpen() {
        if (isClosed()) {
            throw new IllegalStateException("OffHeapVector of length " + length + " is closed");
        }
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
        return "OffHeapVector[length=" + length + (isClosed() ? ", closed]" : "]");
    }
}
