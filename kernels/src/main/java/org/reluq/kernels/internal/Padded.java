package org.reluq.kernels.internal;

import java.lang.foreign.MemorySegment;
import java.util.Objects;
import org.reluq.kernels.memory.OffHeapVector;

/**
 * The kernels' way to the whole padded memory of a vector, which {@link OffHeapVector#segment()} does not show:
 * the kernels read and write whole vectors and rely on the padding staying zero, so only they may reach it. The
 * memory package registers the way in when its vector class initialises (this package is not exported).
 */
public final class Padded {

    /** How the memory package hands out a vector's padded memory. */
    public interface Access {
        /** The vector's memory, padding included. */
        MemorySegment of(OffHeapVector v);
    }

    private static volatile Access access;

    private Padded() {
    }

    /** Registers the memory package's access; once. */
    public static void register(final Access memory) {
        if (access != null) {
            throw new IllegalStateException("padded access registered twice");
        }
        access = Objects.requireNonNull(memory, "access");
    }

    /**
     * The vector's memory, {@code paddedLength()} floats: for kernels only, which keep the padding zero.
     *
     * @throws IllegalStateException if the vector is closed
     */
    public static MemorySegment of(final OffHeapVector v) {
        return access.of(v);
    }
}
