package org.reluq.bench;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.reluq.kernels.simd.Vectorization;
import org.reluq.kernels.warmup.KernelFamily;

/**
 * Prints, for the JVM it runs in, what a benchmark report records beside its numbers: the kernels' path and width,
 * each family's starting path, the CPU's vector features and the HotSpot flags that decide them. {@code reluq bench}
 * runs it with each variant's JVM options, as the forks get them.
 */
public final class PathProbe {

    /** The CPU features that decide the kernels' paths, as Linux names them in /proc/cpuinfo. */
    private static final List<String> FEATURES = List.of("avx512f", "avx512dq", "avx512bw", "avx2", "avx", "fma",
            "sse4_2", "asimd", "sve", "sve2");

    private PathProbe() {
    }

    /** Prints {@code path:}, {@code families:}, {@code isa:} and {@code hotspot:} lines. */
    public static void main(final String[] args) {
        System.out.println("path: " + Vectorization.describe());
        final StringBuilder families = new StringBuilder();
        for (final KernelFamily family : KernelFamily.values()) {
            families.append(families.isEmpty() ? "" : ", ").append(family.name().toLowerCase(Locale.ROOT))
                    .append(' ').append(family.vectorsPay() ? "vectors" : "scalar");
        }
        System.out.println("families: " + families);
        System.out.println("isa: " + features() + " (" + System.getProperty("os.arch") + ")");
        System.out.println("hotspot: " + flags());
    }

    private static String features() {
        try {
            final Set<String> present = new TreeSet<>();
            for (final String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags") || line.startsWith("Features")) {
                    present.addAll(List.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+")));
                    break;
                }
            }
            final String found = String.join(" ", FEATURES.stream().filter(present::contains).toList());
            return found.isEmpty() ? "none of " + String.join(" ", FEATURES) : found;
        } catch (IOException | RuntimeException e) {
            return "unknown (no /proc/cpuinfo)";
        }
    }

    private static String flags() {
        final HotSpotDiagnosticMXBean hotSpot = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        final StringBuilder out = new StringBuilder();
        for (final String flag : List.of("UseAVX", "UseFMA", "MaxVectorSize", "UseSVE")) {
            try {
                final String value = hotSpot.getVMOption(flag).getValue();
                if (!value.isEmpty()) {
                    out.append(out.isEmpty() ? "" : " ").append(flag).append('=').append(value);
                }
            } catch (IllegalArgumentException e) {
                // a flag of another architecture
            }
        }
        return out.toString();
    }
}
