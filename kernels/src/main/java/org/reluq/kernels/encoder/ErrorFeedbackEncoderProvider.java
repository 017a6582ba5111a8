package org.reluq.kernels.encoder;

import java.util.Map;

/**
 * {@code ef(SPEC)}: error feedback around the encoder SPEC names ({@link ErrorFeedbackEncoder}). It sends its inner
 * encoder's frames, so it declares no encoder id of its own ({@link #id()} is 0) and never rebuilds from a header.
 */
public final class ErrorFeedbackEncoderProvider implements EncoderProvider {

    /** The provider {@code ServiceLoader} instantiates. */
    public ErrorFeedbackEncoderProvider() {
        // nothing to set up until first use
    }

    @Override
    public String name() {
        return "ef";
    }

    @Override
    public int id() {
        return 0;
    }

    @Override
    public Encoder fromHeader(final Frame.Header header) {
        throw new UnsupportedOperationException("ef sends its inner encoder's frames; decode them with that encoder");
    }

    @Override
    public Encoder create(final Map<String, String> parameters) {
        final String inner = parameters.get(Encoders.WRAPPED);
        if (inner == null || parameters.size() != 1) {
            throw new IllegalArgumentException("ef wraps one encoder: write ef(SPEC), e.g. ef(sign) or "
                    + "ef(qsgd:s=1,bucket=512)");
        }
        return new ErrorFeedbackEncoder(Encoders.parse(inner));
    }
}
