package org.reluq.kernels.warmup;

import org.reluq.kernels.simd.Vectorization;

/**
 * The kernel families that run on vectors and also have a scalar twin giving the same bits, and which of
 * the two each family uses now.
 *
 * <p>Vector API code is slower than plain Java until C2 has compiled it: the interpreter and C1 box every
 * vector operation, thousands of times slower than C2's code, and C2 takes a second or more to get there.
 * A short job would spend all its time in that state. While a {@link Warmup} runs, the families use their
 * scalar twins, which compile fast, and the warm-up switches each family to vectors once its vector
 * kernels have been compiled and measured faster. Without a warm-up every family uses vectors. Because
 * the twins give the same bits, a result does not depend on when a family switched.
 */
public enum KernelFamily {
    /**
     * Standard normals ({@code Gaussian.fill}) and the planted model's labels. Below 256 bits the ziggurat's
     * gathers and 64-bit lane products cost more than they save: the scalar twin was 3.5 times faster at 128
     * bits and 12.5 times faster without AVX (reports/first-call.md).
     */
    GAUSSIAN(Vectorization.BITS >= 256),
    /** The fused ReLU gradient: row dot products, their sums and the folds into g. */
    GRADIENT(true),
    /** The trainers' O(d) vector operations ({@code DenseOps}). */
    DENSE(true),
    /** QSGD: norms, dithers, codes, decode-and-accumulate, and the frames' value checks. */
    QUANTIZE(true),
    /** Bit packing and unpacking ({@code BitPacking}). */
    PACKING(true);

    private final boolean vectorsPay;
    private volatile boolean vector;

    KernelFamily(final boolean vectorsPayAtThisWidth) {
        vectorsPay = Vectorization.AVAILABLE && vectorsPayAtThisWidth;
        vector = vectorsPay;
    }

    /** Puts the family back on the path it starts on ({@link #vectorsPay()}). */
    public void useDefault() {
        vector = vectorsPay;
    }

    /** Whether vectors are available and this family's rule picks them here: the path it starts on. */
    public boolean vectorsPay() {
        return vectorsPay;
    }

    /** Whether the family's kernels run on vectors now (else in scalar code, with the same bits). */
    public boolean vector() {
        return vector;
    }

    /** The path the family's kernels take now. */
    public KernelPath path() {
        return vector ? KernelPath.VECTOR : KernelPath.SCALAR;
    }

    /**
     * Puts the family on a path: what a {@link Warmup} does, and what tests and benchmarks do to run each path
     * (a running warm-up may still switch the family to vectors later).
     *
     * @throws IllegalStateException if the path is {@link KernelPath#VECTOR} and vectors are not available
     */
    public void use(final KernelPath path) {
        if (path == KernelPath.VECTOR && !Vectorization.AVAILABLE) {
            throw new IllegalStateException(this + " cannot run on vectors: " + Vectorization.describe());
        }
        vector = path == KernelPath.VECTOR;
    }
}
