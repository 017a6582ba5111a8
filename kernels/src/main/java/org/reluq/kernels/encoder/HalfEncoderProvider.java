package org.reluq.kernels.encoder;

import java.util.Map;

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
        EncoderProvider.requireZeroFields(format.spec, header);
        return new HalfEncoder(format);
    }

    @Override
    public final Encoder create(final Map<String, String> parameters) {
        EncoderProvider.requireNoParameters(format.spec, parameters);
        return new HalfEncoder(format);
    }
}
