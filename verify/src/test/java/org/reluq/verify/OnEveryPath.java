package org.reluq.verify;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.Parameter;
import org.reluq.kernels.warmup.KernelFamily;
import org.reluq.kernels.warmup.KernelPath;

/**
 * A test class whose every test runs on each path of the kernel families it names: subclasses are
 * {@code @ParameterizedClass} over {@link KernelPath}, so exact kernels show the same bits on vectors and on the
 * scalar path in one JVM (the vector runs are skipped on a JVM without vectors).
 */
abstract class OnEveryPath {

    /** The path of the families under test. */
    @Parameter
    KernelPath path;

    /** The families the tests put on the path. */
    abstract KernelFamily[] families();

    @BeforeEach
    final void usePath() {
        KernelPaths.use(path, families());
    }

    @AfterEach
    final void restoreDefaultPaths() {
        KernelPaths.restoreDefaults();
    }
}
