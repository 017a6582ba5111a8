package org.reluq.kernels.quant;

import java.lang.foreign.MemorySegment;
import org.reluq.kernels.codec.BitPacking;
import org.reluq.kernels.random.Dithers;

/**
 * One thread's scratch for the QSGD kernels ({@link Qsgd}, {@link PackedQsgd}): a block's dithers, the norms'
 * partial sums, the scalar path's codes of a block and Philox words. Owned by the caller (an encoder's state
 * holds one per thread it encodes on), on the heap, a few KiB; one thread at a time may use it.
 */
public final class QsgdWorkspace {

    final float[] dithers = new float[BitPacking.BLOCK];
    final double[] partials = new double[SquaredNorm.PARTIALS];
    final MemorySegment blockCodes = MemorySegment.ofArray(new int[BitPacking.BLOCK]);
    final int[] words = new int[Dithers.WORDS];

    /** A new workspace. */
    public QsgdWorkspace() {
        // the arrays are all it holds
    }
}
