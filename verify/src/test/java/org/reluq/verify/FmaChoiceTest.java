package org.reluq.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.reluq.kernels.simd.Fma;
import org.reluq.kernels.simd.Vectorization;

/**
 * The kernels' FMA choice follows {@code -Dreluq.fma} when it is given and the JVM's {@code UseFMA} when not
 * (the verify module runs this class forced to multiply-add, and with {@code -XX:UseAVX=0}, which clears
 * UseFMA), and the species line reports it.
 */
@Tag("species")
class FmaChoiceTest {

    @Test
    void theChoiceFollowsThePropertyOrTheHardware() {
        final String forced = System.getProperty(Fma.PROPERTY);
        final boolean expected = forced == null || forced.isBlank()
                ? Boolean.parseBoolean(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                        .getVMOption("UseFMA").getValue())
                : Boolean.parseBoolean(forced);
        assertEquals(expected, Fma.FUSED, () -> "-D" + Fma.PROPERTY + "=" + forced);
        assertTrue(Vectorization.describe().endsWith(", " + Fma.describe()), Vectorization.describe());
    }

    @Test
    void bothChoicesComputeAProductPlusASum() {
        assertEquals(7f, Fma.fma(2f, 3f, 1f));
        // 1 + 2^-23 squared is 1 + 2^-22 + 2^-46: fused keeps the 2^-46 that a rounded product loses
        final float a = 1f + 0x1p-23f;
        final float c = -(1f + 0x1p-22f);
        assertEquals(Fma.FUSED ? 0x1p-46f : 0f, Fma.fma(a, a, c));
    }
}
