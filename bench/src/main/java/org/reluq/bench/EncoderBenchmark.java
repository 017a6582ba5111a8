package org.reluq.bench;

import com.github.luben.zstd.Zstd;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FastDecompressor;
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
import org.reluq.kernels.quant.Qsgd;
import org.reluq.kernels.quant.QsgdParams;
import org.reluq.kernels.quant.QsgdWorkspace;
import org.reluq.kernels.random.Gaussian;
import org.reluq.kernels.random.RandomStream;

/**
 * Encode and decode of one gradient of d = 2^20 Gaussian coordinates (one operation), per encoder, against
 * general-purpose compressors on the same quantized values: QSGD s=1, bucket 512, one byte per code
 * ({@code level << 1 | sign}), compressed by zstd level 3 ({@code ZSTD3}) or LZ4 ({@code LZ4}); their
 * encode includes the quantization, their decode the dequantization. {@link #bitsPerCoordinate} is what
 * each writes, headers included (reported from the answer test and the report generator).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx2g"})
public class EncoderBenchmark {

    /** Coordinates per gradient. */
    public static final int D = 1 << 20;

    /** The compressors' quantizer: QSGD s=1 with buckets of 512, as the baseline. */
    static final QsgdParams BASELINE = new QsgdParams(1, 512);

    /**
     * An encoder spec with ';' for ',' (JMH splits {@code -p} values at commas), or ZSTD3 / LZ4 for the
     * compressors on quantized bytes.
     */
    @Param({"fp32", "fp16", "bf16", "sign", "ef(sign)", "qsgd:s=1;bucket=512;code=packed", "qsgd:s=1;bucket=512;code=elias",
        "qsgd:s=1;bucket=512;code=rans",
        "qsgd:s=4;bucket=512;code=packed", "qsgd:s=4;bucket=512;code=elias", "qsgd:s=16;bucket=none;code=elias",
        "qsgd:s=1;bucket=512;dither=16;code=packed", "qsgd:s=4;bucket=512;norm=max;code=packed",
        "qsgd:s=6;bucket=512;levels=exp;code=packed", "qsgd:s=6;bucket=512;levels=exp;code=rans", "natural",
        "terngrad:bucket=512;clip=none", "topk:k=10486", "ef(topk:k=10486)", "randk:k=10486", "ZSTD3", "LZ4"})
    public String encoder;

    OffHeapVector g;
    OffHeapVector out;
    Encoder codec;
    EncoderState state;
    UnsafeBuffer frame;
    int frameLength;
    Arena arena;
    MemorySegment codes;
    float[] norms;
    final QsgdWorkspace workspace = new QsgdWorkspace();
    byte[] codeBytes;
    byte[] compressed;
    int compressedLength;
    LZ4Compressor lz4;
    LZ4FastDecompressor lz4Decompressor;

    /** The gradient, and one encoded copy for the decode benchmark. */
    @Setup(Level.Trial)
    public void setUp() {
        g = OffHeapVector.allocate(D);
        Gaussian.fill(BenchData.SEED, RandomStream.DATA, 0, D, g.segment(), 0);
        out = OffHeapVector.allocate(D);
        if (isCompressor()) {
            arena = Arena.ofShared();
            codes = arena.allocate(4L * D, 64);
            norms = new float[BASELINE.bucketCount(D)];
            codeBytes = new byte[D];
            compressed = new byte[(int) Math.max(Zstd.compressBound(D), D + D / 255 + 16)];
            final LZ4Factory factory = LZ4Factory.fastestInstance();
            lz4 = factory.fastCompressor();
            lz4Decompressor = factory.fastDecompressor();
        } else {
            codec = Encoders.parse(encoder.replace(';', ','));
            frame = new UnsafeBuffer(ByteBuffer.allocateDirect(codec.maxFrameBytes(D)));
            state = codec.newState(D);
        }
        encode();
    }

    boolean isCompressor() {
        return encoder.equals("ZSTD3") || encoder.equals("LZ4");
    }

    /** Encodes g; returns the bytes written. */
    @Benchmark
    public int encode() {
        if (!isCompressor()) {
            frameLength = codec.encode(g, BenchData.SEED, 3, state, frame, 0);
            return frameLength;
        }
        Qsgd.quantize(g, BASELINE, BenchData.SEED, 3, norms, codes, workspace);
        for (int j = 0; j < D; j++) {
            codeBytes[j] = (byte) codes.getAtIndex(ValueLayout.JAVA_INT, j);
        }
        compressedLength = encoder.equals("ZSTD3") ? (int) Zstd.compressByteArray(compressed, 0, compressed.length,
                codeBytes, 0, D, 3) : lz4.compress(codeBytes, 0, D, compressed, 0);
        return compressedLength + 4 * norms.length;
    }

    /** Decodes the encoded copy into out; returns its first coordinate. */
    @Benchmark
    public float decode() {
        if (!isCompressor()) {
            codec.decode(frame, 0, frameLength, state, out);
            return out.get(0);
        }
        if (encoder.equals("ZSTD3")) {
            Zstd.decompressByteArray(codeBytes, 0, D, compressed, 0, compressedLength);
        } else {
            lz4Decompressor.decompress(compressed, 0, codeBytes, 0, D);
        }
        for (int j = 0; j < D; j++) {
            codes.setAtIndex(ValueLayout.JAVA_INT, j, codeBytes[j]);
        }
        out.clear();
        Qsgd.decodeAccumulate(codes, norms, BASELINE, 1f, out);
        return out.get(0);
    }

    /** Bits written per coordinate for the last encode, headers (and the compressors' norms) included. */
    public double bitsPerCoordinate() {
        return 8.0 * (isCompressor() ? compressedLength + 4 * norms.length : frameLength) / D;
    }

    /** Frees the buffers. */
    @TearDown(Level.Trial)
    public void tearDown() {
        g.close();
        out.close();
        if (state != null) {
            state.close();
        }
        if (arena != null) {
            arena.close();
        }
    }
}
