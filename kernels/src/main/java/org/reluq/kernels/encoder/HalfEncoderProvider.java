package org.reluq.kernels.encoder;

import java.util.Map;
import org.reluq.kernels.codec.MalformedFrameException;

/** What the {@code fp16} and {@code bf16} providers share ({@link HalfEncoder}): no parameters, zero header words. */
abstract class HalfEncoderProvider implements EncoderProvider {

    private final HalfEncoder.Format format;

    HalfEncoderProvider(final HalfEncoder.Format format) {
        this.format = format;
    }

    @Override
    public final String name() {
        return format.spec;
    }

    @Override
    public final int id() {
        return format.id;
    }

    @Override
    public final Encoder fromHeader(final Frame.Header header) {
        if (header.levels() != 0 || header.bucket() != 0 || header.code() != 0) {
            throw new MalformedFrameException(format.spec + " frame with levels "
                    + Integer.toUnsignedString(header.levels()) + ", bucket "
                    + Integer.toUnsignedString(header.bucket()) + ", code " + header.code() + " (" + format.spec
                    + " writes zeros there)");
        }
        return new HalfEncoder(format);
    }

    @Override
    public final Encoder create(final Map<String, String> parameters) {
        if (!parameters.isEmpty()) {
            throw new IllegalArgumentException(format.spec + " takes no parameters, got " + parameters.keySet());
        }
        return new HalfEncoder(format);
    }
}
