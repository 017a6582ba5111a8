package org.reluq.kernels.encoder;

import java.util.Map;

/** {@code natural}: no parameters ({@link NaturalEncoder}). */
public final class NaturalEncoderProvider implements EncoderProvider {

    /** The provider {@code ServiceLoader} instantiates. */
    public NaturalEncoderProvider() {
        // nothing to set up until first use
    }

    @Override
    public String name() {
        return "natural";
    }

    @Override
    public int id() {
        return NaturalEncoder.ID;
    }

    @Override
    public Encoder fromHeader(final Frame.Header header) {
        EncoderProvider.requireZeroFields(name(), header);
        return new NaturalEncoder();
    }

    @Override
    public Encoder create(final Map<String, String> parameters) {
        EncoderProvider.requireNoParameters(name(), parameters);
        return new NaturalEncoder();
    }
}
