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
import org.reluq.kernels.relu.ReluGradient;

/**
 * The full-matrix fused gradient (and loss) against the two-pass scalar loop, two BLAS sgemv calls, and
 * the read probe: one streaming read of X, the roofline of any kernel that must read X once. One
 * operation is one whole gradient.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
public class ReluGradientBenchmark {

    /** What computes the gradient. */
    public enum Impl {
        /** reluq's fused Vector API kernel. */
        VECTOR,
        /** The two-pass scalar loop over a heap array. */
        NAIVE,
        /** Two netlib sgemv calls and a scalar mask. */
        BLAS,
        /** Not a gradient: one streaming read of X (the roofline). */
        READ
    }

    /** {@code n x d}: 2 MiB (in cache) and 128 MiB (from DRAM). */
    @Param({"512x1024", "4096x8192"})
    public String shape;

    /** The implementation. */
    @Param
    public Impl impl;

    MatrixWorkload data;
    OffHeapVector g;
    float[] gHeap;
    float[] scratch;

    /** Generates the data; heap copies only for the baselines that use them. */
    @Setup(Level.Trial)
    public void setUp() {
        data = new MatrixWorkload(shape, impl == Impl.NAIVE || impl == Impl.BLAS);
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
