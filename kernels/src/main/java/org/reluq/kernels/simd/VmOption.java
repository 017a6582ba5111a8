package org.reluq.kernels.simd;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.util.Optional;

/** HotSpot's value of a VM option, where the JVM says (the kernels' choices follow what C2 was told). */
final class VmOption {

    private VmOption() {
    }

    /** The option's value, or empty on a JVM without it (another architecture) or without the management bean. */
    static Optional<String> value(final String name) {
        try {
            final HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return hotSpot == null ? Optional.empty() : Optional.of(hotSpot.getVMOption(name).getValue());
        } catch (IllegalArgumentException | LinkageError | SecurityException e) {
            return Optional.empty();
        }
    }
}
