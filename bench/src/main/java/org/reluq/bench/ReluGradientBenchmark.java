package org.reluq.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.reluq.bench.baseline.BlasRelu;
import org.reluq.bench.baseline.NaiveRelu;
import org.reluq.bench.baseline.ReadProbe;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.model.PlantedModel;
import org.reluq.kernels.relu.ReluGradient;

/**
 * The full-matrix fused gradient (and loss) against the two-pass scalar loop, two BLAS sgemv calls, and
 * the read probe: one streaming read of X, the roofline of any kernel that must read X once. One
 * operation is one whole gradient.
 */
public class ReluGradientBenchmark extends MatrixBenchmark {

    OffHeapVector g;
    float[] gHeap;
    float[] scratch;

    /** Generates the workload and the output buffers. */
    @Setup(Level.Trial)
    public void setUp() {
        load();
        g = OffHeapVector.allocate(data.d());
        gHeap = new float[data.d()];
        scratch = new float[data.n()];
    }

    /** One gradient; returns the loss (or the probe's sum) so nothing is dead code. */
    @Benchmark
    public double gradient() {
        final PlantedModel model = data.model;
        return switch (impl) {
            case VECTOR -> ReluGradient.full(model.x(), model.y(), data.w, g);
            case NAIVE -> NaiveRelu.gradient(data.xFlat, data.d(), data.yHeap, data.wHeap, null, data.n(), scratch, gHeap);
            case BLAS -> BlasRelu.gradient(data.xFlat, data.n(), data.d(), data.yHeap, data.wHeap, scratch, gHeap);
            case READ -> ReadProbe.sum(model.x());
        };
    }

    /** The gradient the last call wrote (null for READ), for the answer check. */
    float[] gradientOutput() {
        return switch (impl) {
            case VECTOR -> g.toArray();
            case NAIVE, BLAS -> gHeap.clone();
            case READ -> null;
        };
    }

    /** Frees the off-heap data. */
    @TearDown(Level.Trial)
    public void tearDown() {
        data.close();
        g.close();
    }
}
