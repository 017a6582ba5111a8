package org.reluq.bench;

import java.lang.foreign.MemorySegment;
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
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.random.Gaussian;
import org.reluq.kernels.random.GaussianWorkspace;
import org.reluq.kernels.random.RandomStream;
import org.reluq.kernels.warmup.KernelPath;

/**
 * The Gaussian generator alone, one thread, 2^20 draws into memory already touched: the kernel that
 * {@link PlantedModelBenchmark} runs with its allocation and labels, on vectors and as the scalar twin the
 * warm-up runs before the vector kernels are compiled. One operation is one fill; each starts where the last
 * ended, so every draw is new.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class GaussianBenchmark {

    /** Draws per operation. */
    public static final int COUNT = 1 << 20;

    /** The path. */
    @Param({"VECTOR", "SCALAR"})
    public KernelPath path;

    OffHeapVector out;
    GaussianWorkspace workspace;
    long first;

    /** Allocates and touches the output. */
    @Setup(Level.Trial)
    public void setUp() {
        out = OffHeapVector.allocate(COUNT);
        out.segment().fill((byte) 0);
        workspace = new GaussianWorkspace();
    }

    /** Frees them. */
    @TearDown(Level.Trial)
    public void tearDown() {
        workspace.close();
        out.close();
    }

    /** One fill of 2^20 new draws; returns one so nothing is dead code. */
    @Benchmark
    public float fill() {
        final MemorySegment segment = out.segment();
        Gaussian.fill(BenchData.SEED, RandomStream.DATA, first, COUNT, segment, 0, workspace, path);
        first += COUNT;
        return out.get(COUNT - 1);
    }
}
