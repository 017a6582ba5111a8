package org.reluq.kernels.internal;

import jdk.incubator.vector.FloatVector;
import org.reluq.kernels.simd.Fma;

/** {@link Fma}'s choice on vectors: a class of its own, so the scalar path never loads the Vector API. */
public final class VectorFma {

    private VectorFma() {
    }

    /** {@code a * b + c} on every lane: fused when {@link Fma#FUSED}, else rounded after the multiply too. */
    public static FloatVector fma(final FloatVector a, final FloatVector b, final FloatVector c) {
        return Fma.FUSED ? a.fma(b, c) : a.mul(b).add(c);
    }
}
