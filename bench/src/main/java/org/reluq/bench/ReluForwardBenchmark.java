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
import org.reluq.kernels.model.PlantedModel;
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

    PlantedModel model;
    OffHeapVector w;
    OffHeapVector out;
    float[] xFlat;
    float[] wHeap;
    float[] outHeap;

    /** Generates the data; heap copies only for the baselines that use them. */
    @Setup(Level.Trial)
    public void setUp() {
        final Shape s = Shape.parse(shape);
        model = PlantedModel.generate(s.rows(), s.cols(), 1.0, BenchData.SEED);
        w = BenchData.point(s.cols());
        out = OffHeapVector.allocate(s.rows());
        if (impl == Impl.NAIVE || impl == Impl.BLAS) {
            xFlat = BenchData.flat(model.x());
            wHeap = w.toArray();
            outHeap = new float[s.rows()];
        }
    }

    /** One forward pass; returns the first output (or the probe's sum). */
    @Benchmark
    public float forward() {
        final int n = model.n();
        final int d = model.d();
        switch (impl) {
            case VECTOR -> ReluForward.forward(model.x(), w, out);
            case NAIVE -> NaiveRelu.forward(xFlat, n, d, wHeap, outHeap);
            case BLAS -> BlasRelu.forward(xFlat, n, d, wHeap, outHeap);
            case READ -> {
                return ReadProbe.sum(model.x());
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
        model.close();
        w.close();
        out.close();
    }
}
