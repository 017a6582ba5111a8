package org.reluq.kernels.encoder;

import java.util.HashMap;
import java.util.Map;
import org.reluq.kernels.codec.MalformedFrameException;
import org.reluq.kernels.quant.QsgdParams;

/**
 * {@code qsgd:s=S,bucket=B,code=packed|elias}: s levels (default 4), bucket size B or {@code none} for the
 * whole vector (default none), and the payload code (default packed).
 */
public final class QsgdEncoderProvider implements EncoderProvider {

    /** The provider {@code ServiceLoader} instantiates. */
    public QsgdEncoderProvider() {
        // nothing to set up until first use
    }

    @Override
    public String name() {
        return "qsgd";
    }

    @Override
    public int id() {
        return QsgdEncoder.ID;
    }

    @Override
    public Encoder fromHeader(final Frame.Header header) {
        final QsgdParams params;
        try {
            params = new QsgdParams(header.levels(), header.bucket());
        } catch (IllegalArgumentException e) {
            throw new MalformedFrameException("qsgd frame: " + e.getMessage());
        }
        return switch (header.code()) {
            case 1 -> new QsgdPackedEncoder(params);
            case 2 -> new QsgdEliasEncoder(params);
            default -> throw new MalformedFrameException("qsgd frame with code " + header.code()
                    + " (1 packed, 2 elias)");
        };
    }

    @Override
    public Encoder create(final Map<String, String> parameters) {
        final Map<String, String> left = new HashMap<>(parameters);
        final int s = integer(left.remove("s"), "s", 4);
        final String bucketValue = left.remove("bucket");
        final int bucket = bucketValue == null || bucketValue.equals("none") || bucketValue.equals("0") ? 0
                : integer(bucketValue, "bucket", 0);
        final String code = left.getOrDefault("code", "packed");
        left.remove("code");
        if (!left.isEmpty()) {
            throw new IllegalArgumentException("unknown qsgd parameter(s) " + left.keySet()
                    + "; qsgd takes s, bucket and code");
        }
        final QsgdParams params = new QsgdParams(s, bucket);
        return switch (code) {
            case "packed" -> new QsgdPackedEncoder(params);
            case "elias" -> new QsgdEliasEncoder(params);
            default -> throw new IllegalArgumentException("qsgd code '" + code + "' is not packed or elias");
        };
    }

    private static int integer(final String value, final String key, final int absent) {
        if (value == null) {
            return absent;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("qsgd " + key + "=" + value + " is not an integer", e);
        }
    }
}
