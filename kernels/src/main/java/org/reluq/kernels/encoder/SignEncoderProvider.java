package org.reluq.kernels.encoder;

import java.util.Map;

/** {@code sign}: no parameters ({@link SignEncoder}). */
public final class SignEncoderProvider implements EncoderProvider {

    /** The provider {@code ServiceLoader} instantiates. */
    public SignEncoderProvider() {
        // nothing to set up until first use
    }

    @Override
    public String name() {
        return "sign";
    }

    @Override
    public int id() {
        return SignEncoder.ID;
    }

    @Override
    public Encoder fromHeader(final Frame.Header header) {
        EncoderProvider.requireZeroFields(name(), header);
        return new SignEncoder();
    }

    @Override
    public Encoder create(final Map<String, String> parameters) {
        EncoderProvider.requireNoParameters(name(), parameters);
        return new SignEncoder();
    }
}
