package org.reluq.bench;

/**
 * A benchmark shape written {@code ROWSxCOLS}, e.g. {@code 4096x8192}.
 *
 * @param rows first number
 * @param cols second number
 */
public record Shape(int rows, int cols) {

    /** Parses {@code ROWSxCOLS}. */
    public static Shape parse(final String text) {
        final String[] parts = text.split("x");
        if (parts.length != 2) {
            throw new IllegalArgumentException("shape must be ROWSxCOLS, got '" + text + "'");
        }
        return new Shape(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }
}
