package org.reluq.kernels.encoder;

import java.util.Map;

/** {@code fp32}: no parameters. */
public final class Fp32EncoderProvider implements EncoderProvider {

    /** The provider {@code ServiceLoader} instantiates. */
    public Fp32EncoderProvider() {
        // nothing to set up until first use
    }

    @Override
    public String name() {
        return "fp32";
    }

    @Override
    public int id() {
        return Fp32Encoder.ID;
    }

    @Override
    public Encoder fromHeader(final Frame.Header header) {
        EncoderProvider.requireZeroFields(name(), header);
        return new Fp32Encoder();
    }

    @Override
    public Encoder create(final Map<String, String> parameters) {
        EncoderProvider.requireNoParameters(name(), parameters);
        return new Fp32Encoder();
    }
}
