package org.reluq.bench;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.agrona.concurrent.UnsafeBuffer;
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
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.encoder.EncoderState;
import org.reluq.kernels.encoder.Encoders;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.parallel.KernelPool;
import org.reluq.kernels.random.Gaussian;
import org.reluq.kernels.random.RandomStream;

/**
 * Thread scaling of QSGD quantize + pack into a frame ({@code qsgd:s=4,bucket=512,code=packed}): bucket norms
 * and 4096-coordinate chunks spread over T threads, frames byte-identical for every T. One operation is one
 * whole vector of d Gaussian coordinates.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx2g"})
public class ParallelQuantizeBenchmark {

    /** Dimension: 2^20 (L3) and 2^24 (DRAM). */
    @Param({"1048576", "16777216"})
    public int d;

    /** Threads T. */
    @Param({"1", "2"})
    public int threads;

    OffHeapVector v;
    Encoder encoder;
    EncoderState state;
    UnsafeBuffer frame;
    KernelPool pool;

    /** A Gaussian vector, the encoder, its frame and the pool. */
    @Setup(Level.Trial)
    public void setUp() {
        v = OffHeapVector.allocate(d);
        Gaussian.fill(BenchData.SEED, RandomStream.DATA, 0, d, v.segment(), 0);
        encoder = Encoders.parse("qsgd:s=4,bucket=512,code=packed");
        frame = new UnsafeBuffer(ByteBuffer.allocateDirect(encoder.maxFrameBytes(d)));
        state = encoder.newState(d);
        pool = new KernelPool(threads);
    }

    /** One quantization into the frame; returns its length. */
    @Benchmark
    public int quantize() {
        return encoder.encode(v, BenchData.SEED, 7, state, frame, 0, pool);
    }

    /** Frees everything. */
    @TearDown(Level.Trial)
    public void tearDown() {
        pool.close();
        v.close();
        state.close();
    }
}
