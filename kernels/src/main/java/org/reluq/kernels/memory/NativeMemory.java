package org.reluq.kernels.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.Optional;

/**
 * Allocates zeroed, 64-byte-aligned off-heap memory for the arrays.
 *
 * <p>Large arrays on Linux come from an anonymous {@code mmap} advised with {@code MADV_HUGEPAGE}: the
 * kernel hands out zero pages without a memset, and 2 MiB pages spare the TLB a miss per 4 KiB when
 * kernels stream X or jump between its rows. This needs native access (the launcher, Surefire and the
 * benchmark forks pass {@code --enable-native-access=ALL-UNNAMED}); without it, or on other systems,
 * or for small arrays, memory comes from {@link Arena#allocate(long, long)}.
 */
// restricted methods (downcalls, reinterpret) are used only when the module has native access
@SuppressWarnings("restricted")
final class NativeMemory {

    /** Arrays at least this large are mapped: below it, huge pages do not pay for a system call. */
    static final long MAP_THRESHOLD = 4L << 20;

    private static final int PROT_READ_WRITE = 0x3;
    private static final int MAP_PRIVATE_ANONYMOUS = 0x22;
    private static final int MADV_HUGEPAGE = 14;

    private static final Optional<Calls> CALLS = lookup();

    private NativeMemory() {
    }

    /** The three libc functions, when this platform and this module may call them. */
    private record Calls(MethodHandle mmap, MethodHandle madvise, MethodHandle munmap) {
    }

    private static Optional<Calls> lookup() {
        final String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        final String arch = System.getProperty("os.arch", "");
        if (!os.startsWith("linux") || !(arch.equals("amd64") || arch.equals("aarch64"))
                || !NativeMemory.class.getModule().isNativeAccessEnabled()) {
            return Optional.empty();
        }
        try {
            final Linker linker = Linker.nativeLinker();
            final var libc = linker.defaultLookup();
            final MethodHandle mmap = linker.downcallHandle(libc.find("mmap").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
            final MethodHandle madvise = linker.downcallHandle(libc.find("madvise").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_INT));
            final MethodHandle munmap = linker.downcallHandle(libc.find("munmap").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
            return Optional.of(new Calls(mmap, madvise, munmap));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** A zeroed segment of {@code bytes} bytes, 64-byte aligned, freed when {@code arena} closes. */
    static MemorySegment allocate(final Arena arena, final long bytes) {
        if (bytes >= MAP_THRESHOLD && CALLS.isPresent()) {
            final MemorySegment mapped = map(arena, bytes, CALLS.get());
            if (mapped != null) {
                return mapped;
            }
        }
        return arena.allocate(bytes, Layout.LINE_BYTES);
    }

    /** Maps anonymous memory (page-aligned, so line-aligned) and asks for huge pages; null if mmap fails. */
    private static MemorySegment map(final Arena arena, final long bytes, final Calls calls) {
        try {
            final MemorySegment address = (MemorySegment) calls.mmap().invokeExact(MemorySegment.NULL, bytes,
                    PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS, -1, 0L);
            if (address.address() == -1L) {
                return null; // MAP_FAILED: fall back to the allocator, which reports exhaustion itself
            }
            // advice only: if the kernel declines, the mapping still works with small pages
            final int ignored = (int) calls.madvise().invokeExact(address, bytes, MADV_HUGEPAGE);
            return address.reinterpret(bytes, arena, segment -> unmap(calls, segment, bytes));
        } catch (Throwable e) {
            throw new IllegalStateException("mmap of " + bytes + " bytes failed", e);
        }
    }

    private static void unmap(final Calls calls, final MemorySegment segment, final long bytes) {
        try {
            final int ignored = (int) calls.munmap().invokeExact(segment, bytes);
        } catch (Throwable e) {
            throw new IllegalStateException("munmap of " + bytes + " bytes failed", e);
        }
    }
}
