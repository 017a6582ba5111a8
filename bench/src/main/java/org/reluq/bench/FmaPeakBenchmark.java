package org.reluq.bench;

import static org.reluq.kernels.simd.Species.FLOAT;

import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.reluq.kernels.internal.Reductions;
import org.reluq.kernels.simd.Species;

/**
 * This machine's FMA peak on one thread with the kernels' vector species: sixteen independent chains of
 * vector FMAs in registers (more than latency x throughput, 4 x 2 on the development machine), no memory
 * traffic. FLOPs per operation = {@link #FLOPS}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
public class FmaPeakBenchmark {

    /** FMA steps per operation per chain. */
    static final int STEPS = 4096;

    /** Floating-point operations per call of {@link #fma()}: 16 chains, LANES lanes, 2 per FMA. */
    public static final long FLOPS = 16L * STEPS * Species.LANES * 2;

    float a = 0.999f;
    float b = 1e-3f;

    /** 16 x STEPS vector FMAs x = x a + b (converging, so no overflow); returns the lanes' sum. */
    @Benchmark
    public float fma() {
        final FloatVector va = FloatVector.broadcast(FLOAT, a);
        final FloatVector vb = FloatVector.broadcast(FLOAT, b);
        FloatVector x0 = FloatVector.broadcast(FLOAT, 0.1f);
        FloatVector x1 = FloatVector.broadcast(FLOAT, 0.2f);
        FloatVector x2 = FloatVector.broadcast(FLOAT, 0.3f);
        FloatVector x3 = FloatVector.broadcast(FLOAT, 0.4f);
        FloatVector x4 = FloatVector.broadcast(FLOAT, 0.5f);
        FloatVector x5 = FloatVector.broadcast(FLOAT, 0.6f);
        FloatVector x6 = FloatVector.broadcast(FLOAT, 0.7f);
        FloatVector x7 = FloatVector.broadcast(FLOAT, 0.8f);
        FloatVector x8 = FloatVector.broadcast(FLOAT, 0.9f);
        FloatVector x9 = FloatVector.broadcast(FLOAT, 1.0f);
        FloatVector x10 = FloatVector.broadcast(FLOAT, 1.1f);
        FloatVector x11 = FloatVector.broadcast(FLOAT, 1.2f);
        FloatVector x12 = FloatVector.broadcast(FLOAT, 1.3f);
        FloatVector x13 = FloatVector.broadcast(FLOAT, 1.4f);
        FloatVector x14 = FloatVector.broadcast(FLOAT, 1.5f);
        FloatVector x15 = FloatVector.broadcast(FLOAT, 1.6f);
        for (int i = 0; i < STEPS; i++) {
            x0 = x0.fma(va, vb);
            x1 = x1.fma(va, vb);
            x2 = x2.fma(va, vb);
            x3 = x3.fma(va, vb);
            x4 = x4.fma(va, vb);
            x5 = x5.fma(va, vb);
            x6 = x6.fma(va, vb);
            x7 = x7.fma(va, vb);
            x8 = x8.fma(va, vb);
            x9 = x9.fma(va, vb);
            x10 = x10.fma(va, vb);
            x11 = x11.fma(va, vb);
            x12 = x12.fma(va, vb);
            x13 = x13.fma(va, vb);
            x14 = x14.fma(va, vb);
            x15 = x15.fma(va, vb);
        }
        return Reductions.sum(x0.add(x1).add(x2.add(x3)).add(x4.add(x5).add(x6.add(x7)))
                .add(x8.add(x9).add(x10.add(x11)).add(x12.add(x13).add(x14.add(x15)))));
    }
}
