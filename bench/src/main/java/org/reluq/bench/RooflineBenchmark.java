package org.reluq.bench;

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
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.parallel.KernelPool;

/**
 * This machine's read bandwidth, measured in the same run as the kernels: one streaming read (eight
 * independent vector accumulators) of a working set sized for L2, for L3 and for DRAM, on 1 and on T
 * threads. Bytes per second = {@code workingSet} / time. The report puts every kernel against the level
 * its data live in, at its own thread count.
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
    final float[] parts = new float[8];

    /** Fills the working set with ones (so the sum is checkable: exactly workingSet / 4). */
    @Setup(Level.Trial)
    public void setUp() {
        data = OffHeapVector.allocate(Math.toIntExact(workingSet / Float.BYTES));
        for (int i = 0; i < data.length(); i++) {
            data.segment().setAtIndex(ValueLayout.JAVA_FLOAT, i, 1f);
        }
        pool = new KernelPool(threads);
    }

    /** One read of the working set (in eight parts when threads > 1); returns its sum. */
    @Benchmark
    public float read() {
        return threads == 1 ? ReadProbe.sum(data) : ReadProbe.sum(data.segment(), pool, parts);
    }

    /** Frees the working set. */
    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        data.close();
    }
}
