package org.reluq.bench;

import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.model.PlantedModel;

/**
 * The inputs of the matrix benchmarks: a planted model of the given shape, a point w that is not w*,
 * and, for the heap-array baselines only, flat heap copies of X, y and w.
 */
final class MatrixWorkload implements AutoCloseable {

    final PlantedModel model;
    final OffHeapVector w;
    final float[] xFlat;
    final float[] yHeap;
    final float[] wHeap;

    MatrixWorkload(final String shape, final boolean heapCopies) {
        final Shape s = Shape.parse(shape);
        model = PlantedModel.generate(s.rows(), s.cols(), 1.0, BenchData.SEED);
        w = BenchData.point(s.cols());
        xFlat = heapCopies ? BenchData.flat(model.x()) : null;
        yHeap = heapCopies ? model.y().toArray() : null;
        wHeap = heapCopies ? w.toArray() : null;
    }

    int n() {
        return model.n();
    }

    int d() {
        return model.d();
    }

    @Override
    public void close() {
        model.close();
        w.close();
    }
}
