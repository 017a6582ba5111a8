package org.reluq.kernels.encoder;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.agrona.DirectBuffer;
import org.reluq.kernels.codec.MalformedFrameException;

/** Parses encoder specs ({@code name} or {@code name:key=value,key=value}) into encoders. */
public final class Encoders {

    /**
     * The one parameter a provider gets from a spec written {@code name(SPEC)}: the wrapped encoder's spec, e.g.
     * {@code sign} for {@code ef(sign)}.
     */
    public static final String WRAPPED = "(spec)";

    private static final Map<String, EncoderProvider> PROVIDERS = load();
    private static final Map<Integer, EncoderProvider> BY_ID = byId(PROVIDERS);

    private Encoders() {
    }

    private static Map<String, EncoderProvider> load() {
        final Map<String, EncoderProvider> providers = new TreeMap<>();
        final ClassLoader loader = Encoders.class.getClassLoader();
        for (final EncoderProvider provider : ServiceLoader.load(EncoderProvider.class, loader)) {
            final EncoderProvider previous = providers.put(provider.name(), provider);
            if (previous != null) {
                throw new IllegalStateException("two encoder providers are named " + provider.name() + ": "
                        + previous.getClass().getName() + " and " + provider.getClass().getName());
            }
        }
        return providers;
    }

    private static Map<Integer, EncoderProvider> byId(final Map<String, EncoderProvider> providers) {
        final Map<Integer, EncoderProvider> byId = new TreeMap<>();
        for (final EncoderProvider provider : providers.values()) {
            if (provider.id() == 0) {
                continue; // a wrapper that sends another encoder's frames
            }
            if (provider.id() < 1 || provider.id() > 255) {
                throw new IllegalStateException("encoder provider " + provider.name() + " declares id " + provider.id()
                        + ", outside the frame's byte range [1, 255] (0: writes no frames of its own)");
            }
            final EncoderProvider previous = byId.put(provider.id(), provider);
            if (previous != null) {
                throw new IllegalStateException("encoder providers " + previous.name() + " ("
                        + previous.getClass().getName() + ") and " + provider.name() + " ("
                        + provider.getClass().getName() + ") both declare encoder id " + provider.id());
            }
        }
        return byId;
    }

    /**
     * The encoder that wrote the frame whose header starts at {@code src[offset]}, from the header alone (its
     * payload and CRC are checked when it is decoded).
     *
     * @throws MalformedFrameException if the header is malformed, its encoder id is unknown, or its fields name
     *                                 no encoder of that id
     */
    public static Encoder forFrame(final DirectBuffer src, final int offset) {
        final Frame.Header header = Frame.readHeader(src, offset);
        final EncoderProvider provider = BY_ID.get(header.encoderId());
        if (provider == null) {
            throw new MalformedFrameException("encoder id " + header.encoderId() + " is not one of the known "
                    + BY_ID.keySet());
        }
        return provider.fromHeader(header);
    }

    /** The names of the registered encoders, sorted. */
    public static Iterable<String> names() {
        return PROVIDERS.keySet();
    }

    /**
     * The encoder a spec names.
     *
     * @throws IllegalArgumentException for an unknown name, a malformed spec, or bad parameters, with a
     *                                  message naming them
     */
    public static Encoder parse(final String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty encoder spec; known encoders: " + PROVIDERS.keySet());
        }
        final String trimmed = spec.trim();
        final int open = trimmed.indexOf('(');
        final int colon = trimmed.indexOf(':');
        if (open >= 0 && (colon < 0 || open < colon)) {
            if (!trimmed.endsWith(")") || open == trimmed.length() - 2) {
                throw new IllegalArgumentException("encoder spec '" + spec
                        + "' opens '(' without a spec and ')' at its end");
            }
            return provider(trimmed.substring(0, open).trim(), spec)
                    .create(Map.of(WRAPPED, trimmed.substring(open + 1, trimmed.length() - 1)));
        }
        final String name = (colon < 0 ? trimmed : trimmed.substring(0, colon)).trim();
        final EncoderProvider provider = provider(name, spec);
        final Map<String, String> parameters = new LinkedHashMap<>();
        if (colon >= 0) {
            for (final String pair : trimmed.substring(colon + 1).split(",", -1)) {
                final int equals = pair.indexOf('=');
                if (equals <= 0 || equals == pair.length() - 1) {
                    throw new IllegalArgumentException("'" + pair + "' in encoder spec '" + spec
                            + "' is not key=value");
                }
                final String key = pair.substring(0, equals).trim();
                if (parameters.put(key, pair.substring(equals + 1).trim()) != null) {
                    throw new IllegalArgumentException("parameter '" + key + "' repeats in encoder spec '" + spec
                            + "'");
                }
            }
        }
        return provider.create(parameters);
    }

    private static EncoderProvider provider(final String name, final String spec) {
        final EncoderProvider provider = PROVIDERS.get(name);
        if (provider == null) {
            throw new IllegalArgumentException("unknown encoder '" + name + "' in spec '" + spec + "'; known encoders: "
                    + PROVIDERS.keySet());
        }
        return provider;
    }
}
