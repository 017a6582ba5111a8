package org.reluq.kernels.encoder;

import java.lang.foreign.MemorySegment;
import org.agrona.DirectBuffer;

/**
 * A {@link MemorySegment} over exactly the bytes of an Agrona buffer, so kernels can read and write frames (and the
 * cluster can checksum its messages).
 */
public final class BufferSegments {

    private BufferSegments() {
    }

    /** The buffer's bytes [0, capacity) as a segment: its byte[] region, or its off-heap memory. */
    // reinterpret is restricted: the module runs with native access (the build's JVM flags)
    @SuppressWarnings("restricted")
    public static MemorySegment of(final DirectBuffer buffer) {
        final byte[] array = buffer.byteArray();
        if (array != null) {
            return MemorySegment.ofArray(array).asSlice(buffer.wrapAdjustment(), buffer.capacity());
        }
        return MemorySegment.ofAddress(buffer.addressOffset()).reinterpret(buffer.capacity());
    }
}
