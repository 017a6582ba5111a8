package org.reluq.kernels.encoder;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** Parses encoder specs ({@code name} or {@code name:key=value,key=value}) into encoders. */
public final class Encoders {

    private static final Map<String, EncoderProvider> PROVIDERS = load();

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
        final int colon = spec.indexOf(':');
        final String name = (colon < 0 ? spec : spec.substring(0, colon)).trim();
        final EncoderProvider provider = PROVIDERS.get(name);
        if (provider == null) {
            throw new IllegalArgumentException("unknown encoder '" + name + "' in spec '" + spec + "'; known encoders: "
                    + PROVIDERS.keySet());
        }
        final Map<String, String> parameters = new LinkedHashMap<>();
        if (colon >= 0) {
            for (final String pair : spec.substring(colon + 1).split(",", -1)) {
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
}
