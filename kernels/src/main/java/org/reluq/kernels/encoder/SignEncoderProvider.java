package org.reluq.kernels.encoder;

import java.util.Map;
import org.reluq.kernels.codec.MalformedFrameException;

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
        if (header.levels() != 0 || header.bucket() != 0 || header.code() != 0) {
            throw new MalformedFrameException("sign frame with levels " + Integer.toUnsignedString(header.levels())
                    + ", bucket " + Integer.toUnsignedString(header.bucket()) + ", code " + header.code()
                    + " (sign writes zeros there)");
        }
        return new SignEncoder();
    }

    @Override
    public Encoder create(final Map<String, String> parameters) {
        if (!parameters.isEmpty()) {
            throw new IllegalArgumentException("sign takes no parameters, got " + parameters.keySet());
        }
        return new SignEncoder();
    }
}
