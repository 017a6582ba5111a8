package org.reluq.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.reluq.bench.baseline.BlasRelu;
import org.reluq.bench.baseline.NaiveRelu;
import org.reluq.bench.baseline.ReadProbe;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.relu.ReluForward;

/** The forward pass max(0, X w) against a scalar loop, BLAS sgemv, and the read probe. One operation is one pass. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
public class ReluForwardBenchmark {

    /** What computes the forward pass. */
    public enum Impl {
        /** reluq's Vector API kernel. */
        VECTOR,
        /** A scalar loop over a heap array. */
        NAIVE,
        /** netlib sgemv and a scalar max. */
        BLAS,
        /** Not a forward pass: one streaming read of X (the roofline). */
        READ
    }

    /** {@code n x d}: 2 MiB (in cache) and 128 MiB (from DRAM). */
    @Param({"512x1024", "4096x8192"})
    public String shape;

    /** The implementation. */
    @Param
    public Impl impl;

    MatrixWorkload data;
    OffHeapVector out;
    float[] outHeap;

    /** Generates the data; heap copies only for the baselines that use them. */
    @Setup(Level.Trial)
    public void setUp() {
        data = new MatrixWorkload(shape, impl == Impl.NAIVE || impl == Impl.BLAS);
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
