package org.reluq.kernels.encoder;

/** {@code bf16}: no parameters ({@link HalfEncoder}). */
public final class Bf16EncoderProvider extends HalfEncoderProvider {

    /** The provider {@code ServiceLoader} instantiates. */
    public Bf16EncoderProvider() {
        super(HalfEncoder.Format.BF16);
    }
}
