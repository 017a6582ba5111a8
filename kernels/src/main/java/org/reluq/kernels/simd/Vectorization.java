package org.reluq.kernels.simd;

/**
 * How the kernels compute on this JVM, decided once at class initialisation: on Vector API vectors, or on
 * the scalar path. This class never touches the Vector API itself, so it loads on a JVM started without
 * {@code --add-modules jdk.incubator.vector}.
 *
 * <p>Vectors are available when the module {@value #MODULE} is in the boot layer and the system property
 * {@value #PROPERTY} is not {@code false}. Every kernel family then starts on the path its rule picks
 * ({@code KernelFamily}); without vectors every family runs its scalar code, which gives the vector kernels'
 * bits for {@link #LANES} lanes. Exact kernels (quantization, packing, codes, frames) give the same bits
 * whatever the lanes; the float reductions keep their stated error bounds.
 *
 * <p>The lanes are those of {@code Species.FLOAT} when vectors are available; without them the scalar path
 * follows the lane order of {@value #SCALAR_BITS}-bit vectors, or of the width {@code -Dreluq.vector.bits}
 * names, so a scalar run can reproduce any vector width's float results.
 */
public final class Vectorization {

    /** The incubating module of the Vector API. */
    public static final String MODULE = "jdk.incubator.vector";

    /** System property: {@code false} runs every kernel on the scalar path even where vectors are available. */
    public static final String PROPERTY = "reluq.vectors";

    /** The vector width whose lane order the scalar path follows when there are no vectors and none is named. */
    public static final int SCALAR_BITS = 256;

    /** Why the kernels run without vectors, or null when they have them. */
    private static final String WITHOUT_VECTORS = whyScalar(System.getProperty(PROPERTY),
            ModuleLayer.boot().findModule(MODULE).isPresent());

    /** Whether the Vector API kernels can run on this JVM. */
    public static final boolean AVAILABLE = WITHOUT_VECTORS == null;

    /** The float vector width in bits of the kernels (or the one the scalar path follows). */
    public static final int BITS = AVAILABLE ? Species.FLOAT.vectorBitSize()
            : scalarBits(System.getProperty(Species.PROPERTY));

    /** Float lanes per vector at {@link #BITS}. */
    public static final int LANES = BITS / Float.SIZE;

    /** Bytes per vector at {@link #BITS}. */
    public static final long VECTOR_BYTES = BITS / Byte.SIZE;

    /**
     * Whether C2 compiles the Vector API's masked operations, blends, mask casts and int-float conversions to
     * vector instructions. Not on x86 without AVX ({@code -XX:UseAVX=0}, CPUs before Sandy Bridge, some virtual
     * CPUs), where they run as Java code, 50 to 300 times slower than the lanewise arithmetic around them; kernels
     * then compare by sign bits and convert by exact float arithmetic on the bits instead.
     */
    public static final boolean MASKS_AND_CONVERSIONS = !VmOption.value("UseAVX").orElse("1").equals("0");

    static {
        if (!AVAILABLE && System.getProperty(PROPERTY) == null) {
            // a library user who left out the flag should hear it once, not find out from a profile
            System.getLogger("org.reluq.kernels").log(System.Logger.Level.INFO, "reluq kernels: " + describe());
        }
    }

    private Vectorization() {
    }

    static String whyScalar(final String forced, final boolean modulePresent) {
        if (forced != null && !forced.isBlank()) {
            switch (forced.trim()) {
                case "false":
                    return "forced by -D" + PROPERTY + "=false";
                case "true":
                    break;
                default:
                    throw new IllegalArgumentException("-D" + PROPERTY + "=" + forced
                            + " is not a choice; use true (vectors where available) or false (the scalar path)");
            }
        }
        return modulePresent ? null : MODULE + " is not in the JVM's modules; add --add-modules " + MODULE;
    }

    static int scalarBits(final String bits) {
        if (bits == null || bits.isBlank()) {
            return SCALAR_BITS;
        }
        return switch (bits.trim()) {
            case "128" -> 128;
            case "256" -> 256;
            case "512" -> 512;
            default -> throw new IllegalArgumentException(
                    "-D" + Species.PROPERTY + "=" + bits + " is not a supported vector width; use 128, 256 or 512");
        };
    }

    /**
     * One line for logs and reports: the species and whether the kernels fuse multiply-adds ({@link Fma}),
     * e.g. {@code float x16 (512-bit, preferred), FMA}, or the scalar path and why.
     */
    public static String describe() {
        if (AVAILABLE) {
            return Species.describe() + ", " + Fma.describe();
        }
        return "scalar path in the lane order of " + BITS + "-bit vectors (" + WITHOUT_VECTORS + "), "
                + Fma.describe();
    }
}
