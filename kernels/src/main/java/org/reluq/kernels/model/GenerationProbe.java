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
 * The planted model's row kernels on two rows of the job's dimension: their Gaussian draws and their labels.
 * The rows live in an {@link OffHeapMatrix} like X, and their elements are those of rows of X (the second
 * starts where the first ends, off a block boundary unless d is a multiple of 4), so the JIT compiles the
 * kernels for what they will see.
 */
public final class GenerationProbe implements Probe {

    private final int d;
    private final OffHeapMatrix rows;
    private final Arena arena = Arena.ofShared();
    private final GaussianWorkspace workspace = new GaussianWorkspace();
    private final LabelDot labels;
    private long first;

    /** Allocates two rows of d, a zero w and the workspace. */
    public GenerationProbe(final int d) {
        this.d = d;
        this.rows = OffHeapMatrix.allocate(2, d);
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
            Gaussian.fill(0x9E37_79B9_7F4A_7C15L, RandomStream.DATA, first, d, xs, r * rows.strideBytes(), workspace,
                    path);
            first += d;
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
