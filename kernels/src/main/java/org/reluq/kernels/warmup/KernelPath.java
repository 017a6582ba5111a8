package org.reluq.kernels.warmup;

/** How a kernel computes: on Vector API vectors, or in scalar code that gives the same bits. */
public enum KernelPath {
    /** Vector API code at the species of {@code Species.FLOAT}: fast once C2 has compiled it. */
    VECTOR,
    /** Plain Java, lane by lane in the vector code's order: fast from the first call. */
    SCALAR
}
