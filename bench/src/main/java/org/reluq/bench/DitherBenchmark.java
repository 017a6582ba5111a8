package org.reluq.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.reluq.kernels.random.Dithers;
import org.reluq.kernels.warmup.KernelFamily;
import org.reluq.kernels.warmup.KernelPath;

/**
 * QSGD's dithers alone: Philox4x32-10 words of {@link #COUNT} consecutive coordinates turned into uniforms, one
 * {@link Dithers#CHUNK} at a time into a buffer in L1, on vectors and on the scalar path. The quantizer spends
 * most of its time here, so this isolates the part of QuantizeBenchmark that depends on 64-bit lane products.
 * Widths 32 ({@link Dithers#fillChunk}) and 16 ({@link Dithers#fillChunk16}, eight dithers per Philox block).
 * Throughput is coordinates per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class DitherBenchmark {

    /** Coordinates per operation. */
    public static final int COUNT = 1 << 16;

    /** The path of the quantizer's family. */
    @Param({"VECTOR", "SCALAR"})
    public KernelPath path;

    /** The dithers' width in bits. */
    @Param({"32", "16"})
    public int width;

    final float[] chunk = new float[Dithers.CHUNK];
    final int[] words = new int[Dithers.WORDS];
    long stream;

    /** Puts the quantizer's family on the path. */
    @Setup(Level.Trial)
    public void setUp() {
        KernelFamily.QUANTIZE.use(path);
    }

    /** The family back on its default path. */
    @TearDown(Level.Trial)
    public void tearDown() {
        KernelFamily.QUANTIZE.useDefault();
    }

    /** The dithers of {@link #COUNT} coordinates of a new stream; returns their last so nothing is dead code. */
    @Benchmark
    @OperationsPerInvocation(COUNT)
    public float fill() {
        stream++;
        for (int first = 0; first < COUNT; first += Dithers.CHUNK) {
            if (width == 16) {
                Dithers.fillChunk16(BenchData.SEED, stream, first, chunk, 0, words);
            } else {
                Dithers.fillChunk(BenchData.SEED, stream, first, chunk, 0, words);
            }
        }
        return chunk[Dithers.CHUNK - 1];
    }
}
