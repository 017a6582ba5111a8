package org.reluq.kernels.encoder;

/** {@code fp16}: no parameters ({@link HalfEncoder}). */
public final class Fp16EncoderProvider extends HalfEncoderProvider {

    /** The provider {@code ServiceLoader} instantiates. */
    public Fp16EncoderProvider() {
        super(HalfEncoder.Format.FP16);
    }
}
