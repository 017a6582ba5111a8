package org.reluq.kernels.encoder;

import java.util.Map;
import org.reluq.kernels.codec.MalformedFrameException;

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
        if (header.levels() != 0 || header.bucket() != 0 || header.code() != 0) {
            throw new MalformedFrameException("fp32 frame with levels " + Integer.toUnsignedString(header.levels())
                    + ", bucket " + Integer.toUnsignedString(header.bucket()) + ", code " + header.code()
                    + " (fp32 writes zeros there)");
        }
        return new Fp32Encoder();
    }

    @Override
    public Encoder create(final Map<String, String> parameters) {
        if (!parameters.isEmpty()) {
            throw new IllegalArgumentException("fp32 takes no parameters, got " + parameters.keySet());
        }
        return new Fp32Encoder();
    }
}
