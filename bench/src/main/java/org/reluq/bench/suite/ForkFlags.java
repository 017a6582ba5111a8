package org.reluq.bench.suite;

import java.util.ArrayList;
import java.util.List;

/**
 * The JVM flags of a benchmark fork: the kernels' own flags (recorded by the build) followed by a variant's
 * options. The one variant option that removes a flag instead of adding one is {@value #WITHOUT_VECTOR_MODULE}:
 * a fork without {@code --add-modules jdk.incubator.vector}, as a library user's JVM starts by default, where
 * reluq takes its scalar path and netlib its Java BLAS (the property itself does nothing in the fork).
 */
public final class ForkFlags {

    /** The variant option that starts forks without the Vector API module. */
    public static final String WITHOUT_VECTOR_MODULE = "-Dreluq.vector.module=absent";

    private static final String ADD_MODULES = "--add-modules";

    private ForkFlags() {
    }

    /**
     * The kernels' flags without {@code --add-modules} when a variant option is {@value #WITHOUT_VECTOR_MODULE}
     * (options may come as one space-separated string, as JMH's {@code -jvmArgsPrepend} takes them), else as given.
     */
    public static List<String> kernelFlags(final List<String> kernelFlags, final List<String> variantOptions) {
        final boolean withoutModule = variantOptions.stream()
                .flatMap(option -> List.of(option.trim().split("\\s+")).stream())
                .anyMatch(WITHOUT_VECTOR_MODULE::equals);
        if (!withoutModule) {
            return List.copyOf(kernelFlags);
        }
        final List<String> kept = new ArrayList<>();
        for (int i = 0; i < kernelFlags.size(); i++) {
            final String flag = kernelFlags.get(i);
            if (flag.equals(ADD_MODULES)) {
                i++; // its value is the next word
            } else if (!flag.startsWith(ADD_MODULES + "=")) {
                kept.add(flag);
            }
        }
        return List.copyOf(kept);
    }
}
