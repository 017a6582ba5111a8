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
import org.reluq.bench.baseline.ReadProbe;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.parallel.KernelPool;
import org.reluq.kernels.relu.ParallelGradient;

/**
 * Thread scaling of the full fused gradient ({@link ParallelGradient}: eight row blocks on T threads) against
 * the read probe on the same T threads (one read of X, the roofline at T threads). One operation is one
 * whole gradient.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
public class ParallelGradientBenchmark {

    /** What runs on the threads. */
    public enum Impl {
        /** The parallel fused gradient. */
        VECTOR,
        /** Not a kernel: X read once by the same threads. */
        READ
    }

    /** {@code n x d}. */
    @Param({"512x1024", "4096x8192"})
    public String shape;

    /** Threads T. */
    @Param({"1", "2"})
    public int threads;

    /** The implementation. */
    @Param
    public Impl impl;

    MatrixWorkload data;
    KernelPool pool;
    ParallelGradient gradient;
    OffHeapVector g;
    final float[] parts = new float[ParallelGradient.BLOCKS];

    /** Generates the workload, the pool and the output. */
    @Setup(Level.Trial)
    public void setUp() {
        data = new MatrixWorkload(shape, false);
        pool = new KernelPool(threads);
        gradient = new ParallelGradient(data.d(), pool);
        g = OffHeapVector.allocate(data.d());
    }

    /** One gradient; returns the loss (or the probe's sum). */
    @Benchmark
    public double gradient() {
        return switch (impl) {
            case VECTOR -> gradient.full(data.model.x(), data.model.y(), data.w, g);
            case READ -> ReadProbe.sum(data.model.x(), pool, parts);
        };
    }

    /** Frees everything. */
    @TearDown(Level.Trial)
    public void tearDown() {
        gradient.close();
        pool.close();
        g.close();
        data.close();
    }
}
