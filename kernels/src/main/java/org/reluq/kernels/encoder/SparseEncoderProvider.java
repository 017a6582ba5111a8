package org.reluq.kernels.encoder;

import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;
import org.reluq.kernels.codec.MalformedFrameException;

/**
 * The providers of the sparse encoders, {@code NAME:k=K} with k from 1 to 2^28 (required): {@link TopK} and
 * {@link RandK}.
 */
public abstract sealed class SparseEncoderProvider implements EncoderProvider {

    private final String name;
    private final int id;
    private final IntFunction<Encoder> maker;

    SparseEncoderProvider(final String name, final int id, final IntFunction<Encoder> maker) {
        this.name = name;
        this.id = id;
        this.maker = maker;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final int id() {
        return id;
    }

    @Override
    public final Encoder fromHeader(final Frame.Header header) {
        if (header.levels() < 1 || header.levels() > SparseEncoder.MAX_K || header.bucket() != 0
                || header.code() != 0) {
            throw new MalformedFrameException(name + " frame with k " + Integer.toUnsignedString(header.levels())
                    + ", bucket " + Integer.toUnsignedString(header.bucket()) + ", code " + header.code() + " ("
                    + name + " writes k in [1, " + SparseEncoder.MAX_K + "] and zeros)");
        }
        return maker.apply(header.levels());
    }

    @Override
    public final Encoder create(final Map<String, String> parameters) {
        final Map<String, String> left = new HashMap<>(parameters);
        final String value = left.remove("k");
        if (!left.isEmpty() || value == null) {
            throw new IllegalArgumentException(name + " takes k (the coordinates kept), got " + parameters.keySet());
        }
        try {
            return maker.apply(Integer.parseInt(value));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " k=" + value + " is not an integer", e);
        }
    }

    /** {@code topk:k=K} ({@link TopKEncoder}). */
    public static final class TopK extends SparseEncoderProvider {

        /** The provider {@code ServiceLoader} instantiates. */
        public TopK() {
            super("topk", TopKEncoder.ID, TopKEncoder::new);
        }
    }

    /** {@code randk:k=K} ({@link RandKEncoder}). */
    public static final class RandK extends SparseEncoderProvider {

        /** The provider {@code ServiceLoader} instantiates. */
        public RandK() {
            super("randk", RandKEncoder.ID, RandKEncoder::new);
        }
    }
}
