package org.reluq.verify;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.reluq.kernels.simd.Vectorization;
import org.reluq.kernels.warmup.KernelFamily;
import org.reluq.kernels.warmup.KernelPath;

/** Puts kernel families on a path for a test, and back on their default paths after it. */
final class KernelPaths {

    private KernelPaths() {
    }

    /** Puts the families on the path; skips the test when the path is VECTOR and this JVM has no vectors. */
    static void use(final KernelPath path, final KernelFamily... families) {
        assumeTrue(path == KernelPath.SCALAR || Vectorization.AVAILABLE,
                () -> "no vector path here: " + Vectorization.describe());
        for (final KernelFamily family : families) {
            family.use(path);
        }
    }

    /** Every family back on the path it starts on. */
    static void restoreDefaults() {
        for (final KernelFamily family : KernelFamily.values()) {
            family.useDefault();
        }
    }
}
