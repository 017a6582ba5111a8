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
import org.reluq.bench.baseline.NaiveQsgd;
import org.reluq.bench.baseline.ReadProbe;
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.encoder.EncoderState;
import org.reluq.kernels.encoder.Encoders;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.quant.QsgdParams;
import org.reluq.kernels.random.Gaussian;
import org.reluq.kernels.random.RandomStream;
import org.reluq.kernels.warmup.KernelFamily;
import org.reluq.kernels.warmup.KernelPath;

/**
 * QSGD quantize + pack of one whole vector (one operation), for d from L2-sized to DRAM-sized. VECTOR is
 * reluq's fused kernel (norms, then quantize and pack 4096 coordinates at a time, into a frame), SCALAR the same
 * frame on reluq's scalar path, VECTOR16 and SCALAR16 the same with 16-bit dithers ({@code dither=16}, other bits);
 * NAIVE the scalar loops of {@link NaiveQsgd}; READ one read of v, the roofline of anything that must
 * read it. Coordinates per second = d / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms2g", "-Xmx4g"})
public class QuantizeBenchmark {

    /** Who quantizes. */
    public enum Impl {
        /** reluq's fused quantize-and-pack into a frame, on vectors. */
        VECTOR,
        /** The same frame on reluq's scalar path (what runs without the Vector API, or where vectors lose). */
        SCALAR,
        /** VECTOR with 16-bit dithers: half the Philox work. */
        VECTOR16,
        /** SCALAR with 16-bit dithers. */
        SCALAR16,
        /** Scalar loops over heap arrays. */
        NAIVE,
        /** Not a quantizer: one read of v (the roofline). */
        READ
    }

    /** The implementation. */
    @Param
    public Impl impl;

    /** Levels s. */
    @Param({"1", "4", "16", "127"})
    public int s;

    /** Dimension: 2^16 (in L2), 2^20 (in L3), 2^24 (DRAM). */
    @Param({"65536", "1048576", "16777216"})
    public int d;

    /** Bucket size, or none for one norm. */
    @Param({"none", "512"})
    public String bucket;

    OffHeapVector v;
    Encoder encoder;
    EncoderState state;
    UnsafeBuffer frame;
    float[] vHeap;
    float[] norms;
    int[] codes;
    long[] packed;

    /** A Gaussian vector and the buffers of the chosen implementation. */
    @Setup(Level.Trial)
    public void setUp() {
        v = OffHeapVector.allocate(d);
        Gaussian.fill(BenchData.SEED, RandomStream.DATA, 0, d, v.segment(), 0);
        final boolean sixteen = impl == Impl.VECTOR16 || impl == Impl.SCALAR16;
        encoder = Encoders.parse("qsgd:s=" + s + ",bucket=" + bucket + (sixteen ? ",dither=16" : "") + ",code=packed");
        if (impl != Impl.NAIVE && impl != Impl.READ) {
            final KernelPath path = impl == Impl.VECTOR || impl == Impl.VECTOR16 ? KernelPath.VECTOR : KernelPath.SCALAR;
            KernelFamily.QUANTIZE.use(path);
            KernelFamily.PACKING.use(path);
            frame = new UnsafeBuffer(ByteBuffer.allocateDirect(encoder.maxFrameBytes(d)));
            state = encoder.newState(d);
        }
        if (impl == Impl.NAIVE) {
            vHeap = v.toArray();
            norms = new float[d];
            codes = new int[d];
            packed = new long[d / 2 + 1];
        }
    }

    int bucketSize() {
        return bucket.equals("none") ? 0 : Integer.parseInt(bucket);
    }

    /** One quantization of v; returns the frame length (VECTOR), packed words (NAIVE) or the sum (READ). */
    @Benchmark
    public double quantize() {
        return switch (impl) {
            case VECTOR, SCALAR, VECTOR16, SCALAR16 -> encoder.encode(v, BenchData.SEED, 7, state, frame, 0);
            case NAIVE -> NaiveQsgd.quantizeAndPack(vHeap, s, bucketSize(), BenchData.SEED, 7, norms, codes,
                    new QsgdParams(s, bucketSize()).codeBits(), packed);
            case READ -> ReadProbe.sum(v);
        };
    }

    /** Frees v and the encoder's state; the families back on their default paths. */
    @TearDown(Level.Trial)
    public void tearDown() {
        v.close();
        if (state != null) {
            state.close();
        }
        KernelFamily.QUANTIZE.useDefault();
        KernelFamily.PACKING.useDefault();
    }
}
