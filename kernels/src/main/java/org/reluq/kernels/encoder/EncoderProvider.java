package org.reluq.kernels.encoder;

import java.util.Map;
import java.util.ServiceLoader;

/**
 * Makes encoders of one name from their parameters, or from a frame's header. Adding an encoder is one class
 * (usually a {@link FramedEncoder}), one provider, and a line in
 * {@code META-INF/services/org.reluq.kernels.encoder.EncoderProvider}
 * ({@link ServiceLoader}).
 */
public interface EncoderProvider {

    /** The name before the colon in a spec, e.g. {@code qsgd}. */
    String name();

    /**
     * The encoder id this provider's encoders write in byte 5 of their frames (docs/wire-format.md lists the
     * ids taken); {@link Encoders} refuses two providers with one id.
     */
    int id();

    /**
     * The encoder that wrote a frame with this header (its id is {@link #id()}), from the header's fields alone.
     *
     * @throws org.reluq.kernels.codec.MalformedFrameException if the fields name no encoder of this provider
     */
    Encoder fromHeader(Frame.Header header);

    /**
     * An encoder for the given parameters (keys and values as written in the spec).
     *
     * @throws IllegalArgumentException naming an unknown key or a bad value
     */
    Encoder create(Map<String, String> parameters);

    /**
     * For a provider whose encoder takes no parameters: refuses any.
     *
     * @throws IllegalArgumentException naming the parameters given
     */
    static void requireNoParameters(final String name, final Map<String, String> parameters) {
        if (!parameters.isEmpty()) {
            throw new IllegalArgumentException(name + " takes no parameters, got " + parameters.keySet());
        }
    }

    /**
     * For a provider whose encoder writes zeros in the header's levels, bucket and code fields: refuses a header
     * that does not.
     *
     * @throws org.reluq.kernels.codec.MalformedFrameException naming the fields
     */
    static void requireZeroFields(final String name, final Frame.Header header) {
        if (header.levels() != 0 || header.bucket() != 0 || header.code() != 0) {
            throw new org.reluq.kernels.codec.MalformedFrameException(name + " frame with levels "
                    + Integer.toUnsignedString(header.levels()) + ", bucket " + Integer.toUnsignedString(header.bucket())
                    + ", code " + header.code() + " (" + name + " writes zeros there)");
        }
    }
}
