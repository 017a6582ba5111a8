package org.reluq.kernels.simd;

/**
 * Fused multiply-add where the hardware has it, multiply then add where it does not, decided once at class
 * initialisation. Without FMA in hardware (x86 before Haswell, many virtual CPUs, {@code -XX:UseAVX=0}) the
 * Vector API's {@code fma} and {@link Math#fma} fall back to an exact software emulation thousands of times
 * slower than either instruction; Lucene's vectorization code makes the same choice.
 *
 * <p>The float kernels' error bounds hold with or without FMA ({@code ErrorBounds} in the verify module), and
 * the scalar twins use the same choice as the vector kernels, so the two still agree bit for bit; results
 * differ between the two choices within those bounds. Kernels whose bits are part of a format (quantization,
 * frames) do not use this class. The system property {@value #PROPERTY} ({@code true} or {@code false})
 * forces the choice, so one machine can test both. This class does not touch the Vector API (it loads without
 * the module); {@code VectorFma} applies the choice to vectors.
 */
public final class Fma {

    /** System property that forces the choice: {@code true} fused, {@code false} multiply then add. */
    public static final String PROPERTY = "reluq.fma";

    /** Whether the kernels fuse: the hardware has FMA, or the property says so. */
    public static final boolean FUSED = select(System.getProperty(PROPERTY));

    private Fma() {
    }

    static boolean select(final String forced) {
        if (forced == null || forced.isBlank()) {
            return hardwareHasFma();
        }
        return switch (forced.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(
                    "-D" + PROPERTY + "=" + forced + " is not a choice; use true (fused) or false (multiply then add)");
        };
    }

    /**
     * HotSpot's {@code UseFMA}, which it sets from the CPU's features (and clears with {@code -XX:UseAVX=0});
     * true on a JVM that does not say, as every current 64-bit x86 and ARM server CPU has FMA.
     */
    private static boolean hardwareHasFma() {
        return !VmOption.value("UseFMA").orElse("true").equals("false");
    }

    /** {@code a * b + c}: fused when {@link #FUSED}, else rounded after the multiply too ({@code VectorFma} on lanes). */
    public static float fma(final float a, final float b, final float c) {
        return FUSED ? Math.fma(a, b, c) : a * b + c;
    }

    /** One phrase for logs and reports: {@code FMA} or {@code multiply-add (no FMA in hardware)}. */
    public static String describe() {
        if (FUSED) {
            return "FMA";
        }
        final String forced = System.getProperty(PROPERTY);
        return forced == null || forced.isBlank() ? "multiply-add (no FMA in hardware)"
                : "multiply-add (forced by -D" + PROPERTY + ")";
    }
}
