package org.reluq.bench;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
import org.reluq.bench.suite.Suite;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.parallel.KernelPool;

/**
 * This machine's read bandwidth, measured in the same run as the kernels: streaming reads (eight
 * independent vector accumulators) of a working set sized for L2, for L3 and for DRAM, on 1 and on T
 * threads, each thread reading its own 1/T of the working set. One operation reads the working set
 * {@link #repeats} times (at least 64 MiB), so handing the work to the threads costs nothing measurable.
 * Bytes per second = {@code repeats(workingSet) * workingSet} / time. The report puts every kernel
 * against the level its data live in, at its own thread count.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx2g"})
public class RooflineBenchmark {

    /** Bytes read per operation: 512 KiB (L2), 8 MiB (L3), 1 GiB (DRAM). */
    @Param({"524288", "8388608", "1073741824"})
    public long workingSet;

    /** Threads reading disjoint parts of the working set at once (the report's limit for T-thread kernels). */
    @Param({"1", "2"})
    public int threads;

    OffHeapVector data;
    KernelPool pool;
    double[] parts;
    int repeats;

    /** Fills the working set with ones (so the sum is checkable: exactly workingSet / 4). */
    @Setup(Level.Trial)
    public void setUp() {
        data = OffHeapVector.allocate(Math.toIntExact(workingSet / Float.BYTES));
        for (int i = 0; i < data.length(); i++) {
            data.segment().setAtIndex(ValueLayout.JAVA_FLOAT, i, 1f);
        }
        pool = new KernelPool(threads);
        parts = new double[threads];
        repeats = repeats(workingSet);
    }

    /** How many times one operation reads a working set: {@code max(1, 64 MiB / workingSet)} ({@link Suite}). */
    public static int repeats(final long workingSet) {
        return Suite.rooflineRepeats(workingSet);
    }

    /** {@link #repeats} reads of the working set, thread t reading part t; returns the sum of all reads. */
    @Benchmark
    public double read() {
        final MemorySegment all = data.segment();
        final long part = (all.byteSize() / threads) & -64;
        pool.run(threads, t -> {
            final MemorySegment mine = all.asSlice(t * part, t == threads - 1 ? all.byteSize() - t * part : part);
            double sum = 0;
            for (int r = 0; r < repeats; r++) {
                sum += ReadProbe.sum(mine);
            }
            parts[t] = sum;
        });
        double total = 0;
        for (final double p : parts) {
            total += p;
        }
        return total;
    }

    /** Frees the working set. */
    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        data.close();
    }
}
