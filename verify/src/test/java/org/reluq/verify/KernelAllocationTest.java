package org.reluq.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.management.ThreadMXBean;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.reluq.kernels.codec.BitPacking;
import org.reluq.kernels.memory.OffHeapVector;
import org.reluq.kernels.quant.PackedQsgd;
import org.reluq.kernels.quant.Qsgd;
import org.reluq.kernels.quant.QsgdParams;
import org.reluq.kernels.model.PlantedModel;
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
 * rounds of calls until one allocates nothing, and fails if none does.
 */
class KernelAllocationTest {

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
            assertEquals(0, leastAllocated(() -> Qsgd.quantize(v, params, 1, 2, norms, codes)), "quantize");
            assertEquals(0, leastAllocated(() -> Qsgd.decodeAccumulate(codes, norms, params, 0.5f, acc)),
                    "decode and accumulate");
            final MemorySegment packed = arena.allocate(BitPacking.packedBytes(d, params.codeBits()), 64);
            assertEquals(0, leastAllocated(() -> BitPacking.pack(codes, 0, d, params.codeBits(), packed, 0)), "pack");
            assertEquals(0, leastAllocated(() -> BitPacking.unpack(packed, 0, d, params.codeBits(), codes, 0)),
                    "unpack");
            assertEquals(0, leastAllocated(() -> PackedQsgd.packBlocks(v, params, 1, 2, norms, 0, d / BitPacking.BLOCK,
                    packed, 0)), "quantize and pack");
        }
    }

    private static SgdConfig config(final Sampling sampling) {
        return new SgdConfig(63, 0.01f, Integer.MAX_VALUE, Init.MOMENT, sampling, 1, 0);
    }

    /** The fewest bytes one round of 500 calls allocated, over up to 200 rounds (stops at the first 0). */
    private static long leastAllocated(final Runnable call) {
        final long thread = Thread.currentThread().threadId();
        long least = Long.MAX_VALUE;
        for (int round = 0; round < 200 && least > 0; round++) {
            final long before = THREADS.getThreadAllocatedBytes(thread);
            for (int i = 0; i < 500; i++) {
                call.run();
            }
            least = Math.min(least, THREADS.getThreadAllocatedBytes(thread) - before);
        }
        return least;
    }
}
