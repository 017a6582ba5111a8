package org.reluq.bench;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import me.lemire.integercompression.BitPacking;
import me.lemire.integercompression.vector.VectorBitPacker;
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
import org.reluq.kernels.warmup.KernelFamily;
import org.reluq.kernels.warmup.KernelPath;

/**
 * Packing and unpacking {@value #COUNT} unsigned integers of a fixed width (the values in L2, as when a
 * quantized gradient is packed chunk by chunk), in integers per second. Baselines: JavaFastPFOR's scalar
 * {@code BitPacking.fastpack/fastunpack} (32 integers per call) and its Vector API
 * {@code VectorBitPacker} (256 per call), over heap arrays as they take them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx2g"})
public class BitPackBenchmark {

    /** Integers per operation (a multiple of every implementation's block). */
    public static final int COUNT = 1 << 16;

    /** Who packs. */
    public enum Impl {
        /** reluq's {@code BitPacking} over off-heap memory, on vectors. */
        VECTOR,
        /** The same on reluq's scalar path. */
        SCALAR,
        /** JavaFastPFOR's scalar unrolled packer. */
        FASTPFOR,
        /** JavaFastPFOR's Vector API packer. */
        FASTPFOR_VECTOR
    }

    /** The implementation. */
    @Param
    public Impl impl;

    /** Bits per integer. */
    @Param({"1", "2", "3", "4", "8", "16"})
    public int bits;

    Arena arena;
    MemorySegment values;
    MemorySegment packed;
    MemorySegment unpacked;
    int[] valuesHeap;
    int[] packedHeap;
    int[] unpackedHeap;
    /** Made only for FASTPFOR_VECTOR: its class needs the Vector API module, which a fork may lack. */
    VectorBitPacker vectorPacker;

    /** Random values of the width, off heap and on heap, packed once so unpack has input. */
    @Setup(Level.Trial)
    public void setUp() {
        if (impl == Impl.VECTOR || impl == Impl.SCALAR) {
            KernelFamily.PACKING.use(impl == Impl.VECTOR ? KernelPath.VECTOR : KernelPath.SCALAR);
        } else if (impl == Impl.FASTPFOR_VECTOR) {
            vectorPacker = new VectorBitPacker();
        }
        final SplittableRandom random = new SplittableRandom(BenchData.SEED);
        valuesHeap = new int[COUNT];
        for (int i = 0; i < COUNT; i++) {
            valuesHeap[i] = (int) random.nextLong(1L << bits);
        }
        arena = Arena.ofShared();
        values = arena.allocate(4L * COUNT, 64);
        MemorySegment.copy(valuesHeap, 0, values, ValueLayout.JAVA_INT, 0, COUNT);
        packed = arena.allocate(org.reluq.kernels.codec.BitPacking.packedBytes(COUNT, bits), 64);
        unpacked = arena.allocate(4L * COUNT, 64);
        packedHeap = new int[COUNT / 32 * bits];
        unpackedHeap = new int[COUNT];
        pack();
    }

    /** Packs all values. */
    @Benchmark
    @OperationsPerInvocation(COUNT)
    public void pack() {
        switch (impl) {
            case VECTOR, SCALAR -> org.reluq.kernels.codec.BitPacking.pack(values, 0, COUNT, bits, packed, 0);
            case FASTPFOR -> {
                for (int i = 0, o = 0; i < COUNT; i += 32, o += bits) {
                    BitPacking.fastpack(valuesHeap, i, packedHeap, o, bits);
                }
            }
            case FASTPFOR_VECTOR -> {
                for (int i = 0, o = 0; i < COUNT; i += 256, o += 8 * bits) {
                    vectorPacker.fastpack(valuesHeap, i, packedHeap, o, bits);
                }
            }
        }
    }

    /** Unpacks all values. */
    @Benchmark
    @OperationsPerInvocation(COUNT)
    public void unpack() {
        switch (impl) {
            case VECTOR, SCALAR -> org.reluq.kernels.codec.BitPacking.unpack(packed, 0, COUNT, bits, unpacked, 0);
            case FASTPFOR -> {
                for (int i = 0, o = 0; i < COUNT; i += 32, o += bits) {
                    BitPacking.fastunpack(packedHeap, o, unpackedHeap, i, bits);
                }
            }
            case FASTPFOR_VECTOR -> {
                for (int i = 0, o = 0; i < COUNT; i += 256, o += 8 * bits) {
                    vectorPacker.fastunpack(packedHeap, o, unpackedHeap, i, bits);
                }
            }
        }
    }

    /** The unpacked values, whoever unpacked them (for the answer check). */
    int[] unpackedValues() {
        return impl == Impl.VECTOR || impl == Impl.SCALAR ? unpacked.toArray(ValueLayout.JAVA_INT) : unpackedHeap.clone();
    }

    /** Frees the off-heap buffers. */
    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
        KernelFamily.PACKING.useDefault();
    }
}
