package org.reluq.kernels.simd;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float vector species every kernel uses, chosen once at class initialisation.
 *
 * <p>By default this is {@link FloatVector#SPECIES_PREFERRED}, the widest species the hardware runs
 * natively. The system property {@value #PROPERTY} ({@code 128}, {@code 256} or {@code 512}) forces a
 * width, so one machine can test the kernels at every width (as Lucene does with
 * {@code tests.vectorsize}). A width wider than the hardware is correct but runs as slow Java code. The int,
 * long and double species of the same shape are here too, so every kernel derives them alike. Only vector code
 * touches this class (it needs the Vector API); {@link Vectorization} says whether vectors run at all.
 */
// its fields are Vector API types; only vector code, which reads that module itself, uses them
@SuppressWarnings("exports")
public final class Species {

    /** System property that forces the vector width in bits. */
    public static final String PROPERTY = "reluq.vector.bits";

    /** The species of every float kernel. */
    public static final VectorSpecies<Float> FLOAT = select(System.getProperty(PROPERTY));

    /** Int lanes of the same shape (as many as {@link #FLOAT}'s). */
    public static final VectorSpecies<Integer> INT = VectorSpecies.of(int.class, FLOAT.vectorShape());

    /** Long lanes of the same shape (half as many). */
    public static final VectorSpecies<Long> LONG = VectorSpecies.of(long.class, FLOAT.vectorShape());

    /** Double lanes of the same shape (half as many). */
    public static final VectorSpecies<Double> DOUBLE = VectorSpecies.of(double.class, FLOAT.vectorShape());

    /** Lanes per float vector. */
    public static final int LANES = FLOAT.length();

    /** Bytes per float vector. */
    public static final long VECTOR_BYTES = FLOAT.vectorByteSize();

    private Species() {
    }

    static VectorSpecies<Float> select(final String bits) {
        if (bits == null || bits.isBlank()) {
            // kernels are written for up to 16 lanes; wider hardware (SVE 1024/2048) runs 512-bit vectors
            return FloatVector.SPECIES_PREFERRED.length() > 16 ? FloatVector.SPECIES_512
                    : FloatVector.SPECIES_PREFERRED;
        }
        return switch (bits.trim()) {
            case "128" -> FloatVector.SPECIES_128;
            case "256" -> FloatVector.SPECIES_256;
            case "512" -> FloatVector.SPECIES_512;
            default -> throw new IllegalArgumentException(
                    "-D" + PROPERTY + "=" + bits + " is not a supported vector width; use 128, 256 or 512");
        };
    }

    /** Whether the chosen species is the hardware's preferred one (false when forced wider or narrower). */
    public static boolean isPreferred() {
        return FLOAT.equals(FloatVector.SPECIES_PREFERRED);
    }

    /** The species for logs and reports, e.g. {@code float x16 (512-bit, preferred)}; see {@link Vectorization#describe}. */
    public static String describe() {
        final int bits = FLOAT.vectorBitSize();
        final String how = isPreferred() ? "preferred"
                : "forced by -D" + PROPERTY + "; preferred is "
                + VectorShape.preferredShape().vectorBitSize() + "-bit";
        return "float x" + LANES + " (" + bits + "-bit, " + how + ")";
    }
}
