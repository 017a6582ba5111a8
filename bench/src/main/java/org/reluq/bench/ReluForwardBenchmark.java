package org.reluq.bench;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.reluq.bench.baseline.BlasRelu;
import org.reluq.bench.baseline.NaiveRelu;
import org.reluq.bench.baseline.ReadProbe;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.relu.ReluForward;

/** The forward pass max(0, X w) against a scalar loop, BLAS sgemv, and the read probe. One operation is one pass. */
public class ReluForwardBenchmark extends MatrixBenchmark {

    OffHeapVector out;
    float[] outHeap;

    /** Generates the workload and the output buffers. */
    @Setup(Level.Trial)
    public void setUp() {
        load();
        out = OffHeapVector.allocate(data.n());
        outHeap = new float[data.n()];
    }

    /** One forward pass; returns the first output (or the probe's sum). */
    @Benchmark
    public float forward() {
        switch (impl) {
            case VECTOR -> ReluForward.forward(data.model.x(), data.w, out);
            case NAIVE -> NaiveRelu.forward(data.xFlat, data.n(), data.d(), data.wHeap, outHeap);
            case BLAS -> BlasRelu.forward(data.xFlat, data.n(), data.d(), data.wHeap, outHeap);
            case READ -> {
                return ReadProbe.sum(data.model.x());
            }
        }
        return impl == Impl.VECTOR ? out.get(0) : outHeap[0];
    }

    /** The outputs the last call wrote (null for READ), for the answer check. */
    float[] forwardOutput() {
        return switch (impl) {
            case VECTOR -> out.toArray();
            case NAIVE, BLAS -> outHeap.clone();
            case READ -> null;
        };
    }

    /** Frees the off-heap data. */
    @TearDown(Level.Trial)
    public void tearDown() {
        data.close();
        out.close();
    }
}
