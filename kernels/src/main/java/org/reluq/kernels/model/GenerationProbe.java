package org.reluq.kernels.model;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.reluq.kernels.memory.OffHeapMatrix;
import org.reluq.kernels.random.Gaussian;
import org.reluq.kernels.random.GaussianWorkspace;
import org.reluq.kernels.random.RandomStream;
import org.reluq.kernels.warmup.KernelFamily;
import org.reluq.kernels.warmup.KernelPath;
import org.reluq.kernels.warmup.Probe;

/**
 * The planted model's row kernels on two rows of 1030: their Gaussian draws (the second row starts off a
 * block boundary and ends in a partial step, as rows of most widths do) and their labels. The rows live in
 * an {@link OffHeapMatrix} like X, so the JIT compiles the kernels for the memory they will see.
 */
public final class GenerationProbe implements Probe {

    private static final int D = 1030;

    private final OffHeapMatrix rows = OffHeapMatrix.allocate(2, D);
    private final Arena arena = Arena.ofShared();
    private final GaussianWorkspace workspace = new GaussianWorkspace();
    private final LabelDot labels;
    private long first;

    /** Allocates the rows, a zero w and the workspace. */
    public GenerationProbe() {
        final int stride = rows.strideFloats();
        final MemorySegment w = arena.allocate((long) stride * Double.BYTES, 64);
        labels = new LabelDot(w, new double[stride], stride);
    }

    @Override
    public KernelFamily family() {
        return KernelFamily.GAUSSIAN;
    }

    @Override
    public void run(final KernelPath path) {
        // fresh draws each time, so the slow path sees new lanes; the seed is not the user's
        final MemorySegment xs = rows.segment();
        for (int r = 0; r < 2; r++) {
            Gaussian.fill(0x9E37_79B9_7F4A_7C15L, RandomStream.DATA, first, D, xs, r * rows.strideBytes(), workspace,
                    path);
            first += D;
            labels.dot(xs, r * rows.strideBytes(), path);
        }
    }

    @Override
    public void close() {
        workspace.close();
        arena.close();
        rows.close();
    }
}
