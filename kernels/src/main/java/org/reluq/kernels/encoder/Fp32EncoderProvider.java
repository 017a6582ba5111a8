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
    public Encoder create(final Map<String, String> parameters) {
        if (!parameters.isEmpty()) {
            throw new IllegalArgumentException("fp32 takes no parameters, got " + parameters.keySet());
        }
        return new Fp32Encoder();
    }
}
