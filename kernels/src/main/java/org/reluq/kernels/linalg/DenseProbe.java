package org.reluq.kernels.linalg;

import java.lang.foreign.MemorySegment;
import org.reluq.kernels.internal.Padded;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.warmup.KernelFamily;
import org.reluq.kernels.warmup.KernelPath;
import org.reluq.kernels.warmup.Probe;

/**
 * {@link DenseOps}' reductions (the SGD update with its distance, a distance, a norm) on vectors of the job's
 * dimension, in {@link OffHeapVector}s like the trainers', so the JIT compiles them for what they will see.
 */
public final class DenseProbe implements Probe {

    private final OffHeapVector w;
    private final OffHeapVector g;
    private final OffHeapVector t;

    /** Vectors of length d. */
    public DenseProbe(final int d) {
        w = OffHeapVector.allocate(d);
        g = OffHeapVector.allocate(d);
        t = OffHeapVector.allocate(d);
    }

    @Override
    public KernelFamily family() {
        return KernelFamily.DENSE;
    }

    @Override
    public void run(final KernelPath path) {
        final MemorySegment ws = Padded.of(w);
        final MemorySegment gs = Padded.of(g);
        final MemorySegment ts = Padded.of(t);
        final long bytes = ws.byteSize();
        if (path == KernelPath.VECTOR) {
            VectorDenseOps.axpyThenDistanceSquared(ws, -1e-3f, gs, ts, bytes);
            VectorDenseOps.distanceSquared(ws, ts, bytes);
            VectorDenseOps.normSquared(gs, bytes);
        } else {
            final long floats = bytes / Float.BYTES;
            ScalarDenseOps.axpyThenDistanceSquared(ws, -1e-3f, gs, ts, floats);
            ScalarDenseOps.distanceSquared(ws, ts, floats);
            ScalarDenseOps.normSquared(gs, floats);
        }
    }

    @Override
    public void close() {
        w.close();
        g.close();
        t.close();
    }
}
