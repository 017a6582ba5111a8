package org.reluq.kernels.warmup;

import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.random.Gaussian;
import org.reluq.kernels.random.GaussianWorkspace;
import org.reluq.kernels.random.RandomStream;
import org.reluq.kernels.simd.Fma;

/**
 * Loads and initialises, on a background thread, what the first kernel call would otherwise set up on the
 * critical path: the native memory calls (mmap and madvise through the FFM linker, whose first use spins
 * up method handles for tens of milliseconds), the FMA choice, the Vector API species and shuffles, the
 * ziggurat's tables.
 * A command starts it first thing, so this overlaps with parsing its options.
 */
public final class Preload {

    private Preload() {
    }

    /** Starts the preload on a daemon thread and returns at once. */
    public static void start() {
        if ("false".equals(System.getProperty("reluq.preload"))) {
            return;
        }
        Thread.ofPlatform().daemon().name("reluq-preload").start(Preload::run);
    }

    private static void run() {
        // the FMA choice asks the JVM through its management beans, tens of milliseconds the first time
        Fma.describe();
        // an array above the mapping threshold: mmap, madvise and munmap (never touched, so no page faults)
        OffHeapVector.allocate(4 << 20).close();
        // the generator's classes (its workspace sizes come from the vector species); a dozen draws, too few
        // for the JIT to compile anything
        try (OffHeapVector v = OffHeapVector.allocate(16); GaussianWorkspace workspace = new GaussianWorkspace()) {
            Gaussian.fill(0, RandomStream.DATA, 0, 12, v.segment(), 0, workspace, KernelPath.SCALAR);
        }
    }
}
