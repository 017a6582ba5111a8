package org.reluq.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.reluq.kernels.simd.Vectorization;
import org.reluq.kernels.warmup.KernelFamily;
import org.reluq.kernels.warmup.KernelPath;

/**
 * The provider's choice follows the JVM: with the Vector API's module every family may run on vectors, without it
 * (the build's no-vector-module run) none can, the description says why, and asking for vectors fails clearly.
 */
@Tag("species")
class VectorizationTest {

    private static boolean moduleInJvm() {
        return ModuleLayer.boot().findModule(Vectorization.MODULE).isPresent();
    }

    @Test
    void vectorsAreAvailableExactlyWhenTheModuleIsThereAndNotSwitchedOff() {
        final boolean switchedOff = "false".equals(System.getProperty(Vectorization.PROPERTY));
        assertEquals(moduleInJvm() && !switchedOff, Vectorization.AVAILABLE, Vectorization.describe());
        assertEquals(Vectorization.BITS / 32, Vectorization.LANES);
        assertTrue(Vectorization.BITS == 128 || Vectorization.BITS == 256 || Vectorization.BITS == 512,
                "width " + Vectorization.BITS);
    }

    @Test
    void withoutVectorsEveryFamilyIsScalarAndSaysWhy() {
        if (Vectorization.AVAILABLE) {
            return;
        }
        assertTrue(Vectorization.describe().startsWith("scalar path"), Vectorization.describe());
        if (!moduleInJvm()) {
            assertTrue(Vectorization.describe().contains("add-modules " + Vectorization.MODULE),
                    Vectorization.describe());
        }
        for (final KernelFamily family : KernelFamily.values()) {
            assertFalse(family.vectorsPay(), family + " starts on vectors");
            assertFalse(family.vector(), family + " runs on vectors");
            final IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> family.use(KernelPath.VECTOR));
            assertTrue(e.getMessage().contains("cannot run on vectors"), e.getMessage());
        }
    }
}
