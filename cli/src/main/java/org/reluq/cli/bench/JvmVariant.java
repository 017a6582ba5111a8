package org.reluq.cli.bench;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One JVM option set of {@code reluq bench --jvm-variants}: the suite runs in forks started with these options
 * after the kernels' own flags, so one machine can stand in for others ({@code -XX:UseAVX=2} for AVX2,
 * {@code -Dreluq.vector.bits=128} for 128-bit NEON, {@code -XX:UseAVX=0} for a CPU without FMA).
 *
 * @param label   the options as written, or {@value #DEFAULT} for none
 * @param options the options, one per element
 */
public record JvmVariant(String label, List<String> options) {

    /** The label of the variant without extra options. */
    public static final String DEFAULT = "default";

    /** Copies the options. */
    public JvmVariant {
        options = List.copyOf(options);
    }

    /** The variant without extra options. */
    public static JvmVariant none() {
        return new JvmVariant(DEFAULT, List.of());
    }

    /**
     * Parses {@code 'default;-XX:UseAVX=2;-XX:UseAVX=2 -Dreluq.vector.bits=128'}: variants separated by
     * semicolons, options within one by spaces, {@value #DEFAULT} for none.
     *
     * @throws IllegalArgumentException naming the bad part: an empty variant, a word that is not an option, a
     *                                  variant given twice
     */
    public static List<JvmVariant> parse(final String spec) {
        final List<JvmVariant> variants = new ArrayList<>();
        final Set<String> seen = new HashSet<>();
        for (final String part : spec.split(";", -1)) {
            final String label = part.trim().replaceAll("\\s+", " ");
            if (label.isEmpty()) {
                throw new IllegalArgumentException("--jvm-variants '" + spec + "' has an empty variant; separate "
                        + "option sets by ';' and write " + DEFAULT + " for none");
            }
            final List<String> options = label.equals(DEFAULT) ? List.of() : List.of(label.split(" "));
            for (final String option : options) {
                if (!option.startsWith("-")) {
                    throw new IllegalArgumentException("--jvm-variants: '" + option + "' in '" + label
                            + "' is not a JVM option (options start with -)");
                }
            }
            if (!seen.add(label)) {
                throw new IllegalArgumentException("--jvm-variants: '" + label + "' is given twice");
            }
            variants.add(new JvmVariant(label, options));
        }
        return variants;
    }

    /** A folder name for this variant's JMH files, e.g. {@code XX_UseAVX_2} for {@code -XX:UseAVX=2}. */
    public String slug() {
        final String slug = label.replaceAll("[^A-Za-z0-9.]+", "_").replaceAll("^_+|_+$", "");
        return slug.isEmpty() ? DEFAULT : slug.toLowerCase(Locale.ROOT);
    }
}
