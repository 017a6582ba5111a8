package org.reluq.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.reluq.kernels.codec.BitPacking;
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.encoder.EncoderState;
import org.reluq.kernels.encoder.Encoders;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.model.PlantedModel;
import org.reluq.kernels.quant.PackedQsgd;
import org.reluq.kernels.quant.Qsgd;
import org.reluq.kernels.quant.QsgdParams;
import org.reluq.kernels.quant.QsgdWorkspace;
import org.reluq.kernels.relu.ReluForward;
import org.reluq.kernels.relu.ReluGradient;
import org.reluq.kernels.sgd.Init;
import org.reluq.kernels.sgd.Sampling;
import org.reluq.kernels.sgd.SgdConfig;
import org.reluq.kernels.sgd.SgdStepper;

/**
 * Once compiled, the kernels and the SGD step allocate nothing. A vector the JIT fails to keep in
 * registers (a reduction that was not inlined, say) is boxed on the heap, so this test also guards the
 * kernels' performance. The interpreter allocates vectors freely, so it first waits for C2: it measures
 * rounds of calls until one allocates nothing, and fails if none does. Tagged "allocation": the build runs it in
 * a JVM of its own, as a worker's process is (verify/pom.xml says why).
 */
@Tag("allocation")
class KernelAllocationTest {

    /** Bytes an encode or decode may allocate per frame: buffer views and the header record, whatever d is. */
    private static final long BOUND = 1024;

    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Test
    void kernelsAndStepsAllocateNothingOnceCompiled() {
        try (PlantedModel model = PlantedModel.generate(1030, 1000, 1.0, 1);
             OffHeapVector w = OffHeapVector.allocate(1000);
             OffHeapVector g = OffHeapVector.allocate(1000);
             OffHeapVector out = OffHeapVector.allocate(1030);
             SgdStepper with = new SgdStepper(model, config(Sampling.WITH_REPLACEMENT));
             SgdStepper without = new SgdStepper(model, config(Sampling.WITHOUT_REPLACEMENT))) {
            final int[] rows = new int[70];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = i * 37 % 1030;
            }
            assertEquals(0, leastAllocated(() -> ReluForward.forward(model.x(), w, out)), "forward");
            assertEquals(0, leastAllocated(() -> ReluGradient.full(model.x(), model.y(), w, g)), "full gradient");
            assertEquals(0, leastAllocated(() -> ReluGradient.batch(model.x(), model.y(), w, rows, 3, 63, g)),
                    "batch gradient");
            assertEquals(0, leastAllocated(with::step), "SGD step with replacement");
            assertEquals(0, leastAllocated(without::step), "SGD step without replacement");
        }
    }

    @Test
    void quantizerAndDecoderAllocateNothingOnceCompiled() {
        final int d = 5000;
        final QsgdParams params = new QsgdParams(4, 512);
        try (Arena arena = Arena.ofConfined();
             OffHeapVector v = OffHeapVector.allocate(d);
             OffHeapVector acc = OffHeapVector.allocate(d)) {
            for (int j = 0; j < d; j++) {
                v.set(j, (float) Math.sin(j));
            }
            final MemorySegment codes = arena.allocate(4L * d, 64);
            final float[] norms = new float[params.bucketCount(d)];
            final QsgdWorkspace workspace = new QsgdWorkspace();
            assertEquals(0, leastAllocated(() -> Qsgd.quantize(v, params, 1, 2, norms, codes, workspace)), "quantize");
            assertEquals(0, leastAllocated(() -> Qsgd.decodeAccumulate(codes, norms, params, 0.5f, acc)),
                    "decode and accumulate");
            final MemorySegment packed = arena.allocate(BitPacking.packedBytes(d, params.codeBits()), 64);
            assertEquals(0, leastAllocated(() -> BitPacking.pack(codes, 0, d, params.codeBits(), packed, 0)), "pack");
            assertEquals(0, leastAllocated(() -> BitPacking.unpack(packed, 0, d, params.codeBits(), codes, 0)),
                    "unpack");
            assertEquals(0, leastAllocated(() -> PackedQsgd.packBlocks(v, params, 1, 2, norms, 0, d / BitPacking.BLOCK,
                    packed, 0, workspace)), "quantize and pack");
        }
    }

    /**
     * Encoding and decoding with a caller's state allocate a few small objects per frame (buffer views, the
     * header record, the CRC's ByteBuffer views: 40-250 bytes, depending on what the JIT inlined), nothing in
     * proportion to d: at most 1 KiB per frame at d = 5000 and at d = 200000 (one byte per coordinate would be
     * 200 000).
     */
    @Test
    void encodersWithAStateAllocateNothingInProportionToTheDimension() {
        for (final String spec : new String[] {"fp32", "qsgd:s=4,bucket=512,code=packed", "qsgd:s=3,bucket=100,code=packed",
            "qsgd:s=4,bucket=512,code=elias", "qsgd:s=1,bucket=512,dither=16,norm=max,code=rans",
            "qsgd:s=6,bucket=512,levels=exp,code=packed", "natural",
            "terngrad:bucket=512,clip=2.5", "topk:k=100", "randk:k=100", "fp16", "bf16", "sign", "ef(topk:k=100)"}) {
            for (final int d : new int[] {5_000, 200_000}) {
                final long[] bytes = perFrame(spec, d);
                for (int k = 0; k < 2; k++) {
                    assertTrue(bytes[k] <= BOUND, spec + (k == 0 ? " encode" : " decode") + " allocates " + bytes[k]
                            + " bytes per frame at d = " + d);
                }
            }
        }
    }

    /** Bytes allocated per encode and per decode-accumulate, once compiled. */
    private static long[] perFrame(final String spec, final int d) {
        final Encoder encoder = Encoders.parse(spec);
        try (OffHeapVector g = OffHeapVector.allocate(d); OffHeapVector out = OffHeapVector.allocate(d);
             EncoderState state = encoder.newState(d)) {
            for (int j = 0; j < d; j++) {
                g.set(j, (float) Math.cos(j));
            }
            final UnsafeBuffer frame = new UnsafeBuffer(ByteBuffer.allocateDirect(encoder.maxFrameBytes(d)));
            final int length = encoder.encode(g, 1, 2, state, frame, 0);
            // these never reach zero: rounds of 25 calls until one stays within the bound (C1 code, before C2 has
            // compiled, boxes vectors; an allocation in proportion to d never gets there)
            final long encode = leastAllocated(() -> encoder.encode(g, 1, 2, state, frame, 0), 400, 25, 25 * BOUND);
            final long decode = leastAllocated(() -> encoder.decodeAccumulate(frame, 0, length, 0.5f, state, out), 400,
                    25, 25 * BOUND);
            return new long[] {encode / 25, decode / 25};
        }
    }

    private static SgdConfig config(final Sampling sampling) {
        return new SgdConfig(63, 0.01f, Integer.MAX_VALUE, Init.MOMENT, sampling, 1, 0);
    }

    /** The fewest bytes one round of 500 calls allocated, over up to 200 rounds (stops at the first 0). */
    private static long leastAllocated(final Runnable call) {
        return leastAllocated(call, 200, 500, 0);
    }

    /**
     * The fewest bytes one of at most {@code rounds} rounds of {@code calls} calls allocated, stopping at the first
     * round within {@code enough} bytes.
     */
    private static long leastAllocated(final Runnable call, final int rounds, final int calls, final long enough) {
        final long thread = Thread.currentThread().threadId();
        long least = Long.MAX_VALUE;
        for (int round = 0; round < rounds && least > enough; round++) {
            final long before = THREADS.getThreadAllocatedBytes(thread);
            for (int i = 0; i < calls; i++) {
                call.run();
            }
            least = Math.min(least, THREADS.getThreadAllocatedBytes(thread) - before);
        }
        return least;
    }
}
