package org.reluq.kernels.warmup;

/**
 * A kernel family's work on a small input, on either path: what a {@link Warmup} runs to get the vector
 * kernels compiled and to tell when they have become the faster path.
 */
public interface Probe extends AutoCloseable {

    /** The family the probe's kernels belong to. */
    KernelFamily family();

    /** Runs the family's kernels once on the probe's input, on the given path. */
    void run(KernelPath path);

    /** Frees the probe's input. */
    @Override
    void close();
}
