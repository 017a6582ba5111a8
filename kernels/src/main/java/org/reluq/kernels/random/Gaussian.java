package org.reluq.kernels.random;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import org.reluq.kernels.warmup.KernelFamily;
import org.reluq.kernels.warmup.KernelPath;

/**
 * Standard normal floats as a pure function of (seed, stream, index), by the ziggurat method of
 * Marsaglia and Tsang (J. Stat. Softw. 5(8), 2000) with 128 layers, fed by {@link Philox4x32}.
 *
 * <p>The definition. Element {@code e} takes word {@code e mod 4} of block {@code (e / 4, stream, sub 0)}:
 * the low 7 bits pick the layer i, bit 7 the sign, the top 24 bits an integer u, and the candidate is the
 * float product {@code x = u S[i]}, {@code S[i] = float(X[i]) 2^-24} (exact as a double, so one rounding).
 * If {@code u < EDGE[i] = floor(2^24 X[i+1] / X[i])} the point lies inside the layer's rectangle and x is
 * the draw (97.2% of draws). Otherwise the draw takes words {@code s0..s3} of block
 * {@code (e / 4, stream, 4a + e mod 4)} for attempt {@code a = 1, 2, ...}: in a wedge it returns x if
 * {@code F[i+1] + v (F[i] - F[i+1]) < density(x)} with {@code v = (s0 >>> 8) 2^-24}; in the base strip
 * it returns x if {@code x < R}, else {@code R + t} for {@code t = -ln(U(s0)) / R} if
 * {@code -2 ln(U(s1)) >= t^2} ({@code U(s) = ((s >>> 8) + 1) 2^-24}, ln by {@link StrictMath}); a
 * rejection restarts with s3 as the new word, which keeps the distribution exact. The density
 * {@code exp(-x^2/2)} is computed by a fixed sequence of IEEE operations ({@link Ziggurat#density}), so the
 * bits are the same on every JVM, vector width and thread count.
 *
 * <p>{@link #sample} computes one element by that definition; {@link #fill(long, RandomStream, long, long,
 * MemorySegment, long, GaussianWorkspace)} computes a range on vectors ({@link ZigguratVectors}) or, before
 * C2 has compiled those, one block at a time ({@link ZigguratScalar}), with the same bits.
 */
public final class Gaussian {

    private Gaussian() {
    }

    /** The standard normal element {@code index} of {@code stream} under {@code seed}: the definition. */
    public static float sample(final long seed, final RandomStream stream, final long index) {
        final int[] words = new int[4];
        Philox4x32.block(seed, stream, index >>> 2, 0, words);
        return Ziggurat.fromWord(seed, stream, index, words[(int) (index & 3)], 1, words);
    }

    /**
     * Writes elements {@code [first, first + count)} of {@code stream} as consecutive floats into
     * {@code out} from byte {@code offset}, on the path {@link KernelFamily#GAUSSIAN} takes now; the
     * workspace is the call's scratch.
     *
     * @throws IllegalArgumentException if the range is negative or {@code out} is too small
     */
    public static void fill(final long seed, final RandomStream stream, final long first, final long count,
                            final MemorySegment out, final long offset, final GaussianWorkspace workspace) {
        fill(seed, stream, first, count, out, offset, workspace, KernelFamily.GAUSSIAN.path());
    }

    /**
     * As {@link #fill(long, RandomStream, long, long, MemorySegment, long, GaussianWorkspace)} on the given
     * path; both give the same bits.
     */
    public static void fill(final long seed, final RandomStream stream, final long first, final long count,
                            final MemorySegment out, final long offset, final GaussianWorkspace workspace,
                            final KernelPath path) {
        Objects.requireNonNull(stream, "stream");
        if (first < 0 || count < 0 || first > Long.MAX_VALUE - count || offset < 0
                || offset > out.byteSize() - count * Float.BYTES) {
            throw new IllegalArgumentException("Gaussian elements [" + first + ", " + first + " + " + count
                    + ") do not fit a segment of " + out.byteSize() + " bytes from byte " + offset);
        }
        final long end = first + count;
        long e = first;
        long at = offset;
        // the head up to a block boundary, one element at a time
        for (; e < end && (e & 3) != 0; e++, at += Float.BYTES) {
            out.set(ValueLayout.JAVA_FLOAT_UNALIGNED, at, sample(seed, stream, e));
        }
        // separate methods, so a run on the scalar twin never has C2 compile the vector loop
        if (path == KernelPath.SCALAR) {
            ZigguratScalar.fill(seed, stream, e, end - e, out, at, workspace.draws(), workspace.block(),
                    workspace.words());
        } else {
            ZigguratVectors.fill(seed, stream, e, end - e, out, at, workspace);
        }
    }

    /**
     * Writes elements {@code [first, first + count)} of {@code stream} as consecutive floats into
     * {@code out} from byte {@code offset}, with a workspace of its own: for setting up vectors.
     */
    public static void fill(final long seed, final RandomStream stream, final long first, final int count,
                            final MemorySegment out, final long offset) {
        try (GaussianWorkspace workspace = new GaussianWorkspace()) {
            fill(seed, stream, first, count, out, offset, workspace);
        }
    }

    /** Writes elements {@code [first, first + count)} of {@code stream} to {@code out[from ..]}. */
    public static void fill(final long seed, final RandomStream stream, final long first, final float[] out,
                            final int from, final int count) {
        Objects.checkFromIndexSize(from, count, out.length);
        try (GaussianWorkspace workspace = new GaussianWorkspace()) {
            final MemorySegment values = workspace.scratch(count);
            fill(seed, stream, first, count, values, 0, workspace);
            MemorySegment.copy(values, ValueLayout.JAVA_FLOAT, 0, out, from, count);
        }
    }
}
