package org.reluq.kernels.warmup;

import java.util.List;

/**
 * The warm-up policy of one training process ({@code reluq fit}, a cluster worker): big data generate on the
 * Gaussian's scalar twin, which the launcher lets C2 compile for such a job, and the step's kernels run on vectors
 * from the start, with no race (on two cores a race competes with the generator's threads for seconds, and the cold
 * vector generator is slower still; reports/first-call.md measures each choice). Else every family starts on its
 * scalar twin (same bits), and the race to vectors begins only once a short job would be done.
 */
public final class TrainingWarmup {

    /** Data (n d) at least this large generate on the scalar twin, C2-compiled (the launcher's rule too). */
    public static final long BIG_DATA = 1L << 26;

    /** A smaller job waits this long before it competes with its own work for compiling vector kernels. */
    public static final long DELAY_NANOS = 500_000_000L;

    private TrainingWarmup() {
    }

    /** Applies the policy for a run on n x d data with batches of m rows; -Dreluq.warmup=false turns it off. */
    public static void start(final long n, final int d, final int batchSize) {
        if ("false".equals(System.getProperty("reluq.warmup"))) {
            return;
        }
        if (n * d >= BIG_DATA) {
            KernelFamily.GAUSSIAN.use(KernelPath.SCALAR);
        } else {
            Warmup.start(List.of(KernelFamily.GRADIENT, KernelFamily.DENSE, KernelFamily.GAUSSIAN), DELAY_NANOS, d,
                    batchSize);
        }
    }
}
