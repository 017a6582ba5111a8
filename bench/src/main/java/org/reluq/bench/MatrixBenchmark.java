package org.reluq.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the whole-matrix benchmarks share: their JMH settings, the shapes (2 MiB, in cache, and 128 MiB,
 * from DRAM), the implementations compared in one run, and the workload.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx4g", "-XX:+AlwaysPreTouch"})
public abstract class MatrixBenchmark {

    /** What computes the result. */
    public enum Impl {
        /** reluq's Vector API kernel over off-heap memory. */
        VECTOR,
        /** The scalar loops a developer writes first, over a flat heap array. */
        NAIVE,
        /** netlib sgemv (its Vector API implementation) and a scalar loop for the ReLU. */
        BLAS,
        /** Not a kernel: one streaming read of X, the roofline of anything that must read X once. */
        READ
    }

    /** {@code n x d}. */
    @Param({"512x1024", "4096x8192"})
    public String shape;

    /** The implementation. */
    @Param
    public Impl impl;

    MatrixWorkload data;

    /** Generates the workload; heap copies only for the baselines that use them. */
    void load() {
        data = new MatrixWorkload(shape, impl == Impl.NAIVE || impl == Impl.BLAS);
    }
}
