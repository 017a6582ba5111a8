package org.reluq.kernels.codec;

import java.lang.foreign.MemorySegment;

/** The one bounds check of the codecs: a region of bytes must lie inside its segment. */
public final class Regions {

    private Regions() {
    }

    /**
     * Checks that {@code bytes} bytes from byte {@code offset} lie inside {@code segment}.
     *
     * @throws IllegalArgumentException naming {@code what}, the sizes and the offset
     */
    public static void require(final MemorySegment segment, final long offset, final long bytes, final String what) {
        if (offset < 0 || bytes < 0 || offset > segment.byteSize() || segment.byteSize() - offset < bytes) {
            throw new IllegalArgumentException(what + " needs " + bytes + " bytes at offset " + offset
                    + ", the segment has " + segment.byteSize());
        }
    }
}
