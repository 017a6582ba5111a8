package org.reluq.kernels.encoder;

import java.util.Map;
import java.util.ServiceLoader;

/**
 * Makes encoders of one name from their parameters. Adding an encoder is one class implementing
 * {@link Encoder}, one provider, and a line in {@code META-INF/services/org.reluq.kernels.encoder.EncoderProvider}
 * ({@link ServiceLoader}).
 */
public interface EncoderProvider {

    /** The name before the colon in a spec, e.g. {@code qsgd}. */
    String name();

    /**
     * An encoder for the given parameters (keys and values as written in the spec).
     *
     * @throws IllegalArgumentException naming an unknown key or a bad value
     */
    Encoder create(Map<String, String> parameters);
}
