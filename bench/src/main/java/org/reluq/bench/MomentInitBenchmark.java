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
import org.reluq.kernels.sgd.Init;

/**
 * The moment init {@code w0 = (2/n) sum_i y_i x_i} (one full gradient at w = 0) against its roofline, one
 * read of X ({@link ReadProbe}), in the same run: the default fit's X (10240 x 1024, 40 MB, about L3) and
 * the large job's shape cut to 20480 x 8192 (640 MB, DRAM).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx2g"})
public class MomentInitBenchmark {

    /** What runs. */
    public enum Impl {
        /** {@link Init#MOMENT}, as the trainers call it. */
        MOMENT,
        /** One read of X: the least any pass over X can take. */
        READ
    }

    /** n x d. */
    @Param({"10240x1024", "20480x8192"})
    public String shape;

    /** The implementation. */
    @Param({"MOMENT", "READ"})
    public Impl impl;

    MatrixWorkload data;
    OffHeapVector w;
    OffHeapVector scratch;

    /** Generates the model. */
    @Setup(Level.Trial)
    public void setUp() {
        data = new MatrixWorkload(shape, false);
        w = OffHeapVector.allocate(data.d());
        scratch = OffHeapVector.allocate(data.d());
    }

    /** Frees it. */
    @TearDown(Level.Trial)
    public void tearDown() {
        data.close();
        w.close();
        scratch.close();
    }

    /** One init (or one read); returns a coordinate of w0 (or the sum of X). */
    @Benchmark
    public float init() {
        if (impl == Impl.READ) {
            return ReadProbe.sum(data.model.x());
        }
        Init.MOMENT.write(data.model, BenchData.SEED, w, scratch);
        return w.get(0);
    }
}
