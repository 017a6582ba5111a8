package org.reluq.kernels.encoder;

import java.util.HashMap;
import java.util.Map;
import org.reluq.kernels.codec.MalformedFrameException;
import org.reluq.kernels.quant.QsgdParams;

/**
 * {@code qsgd:s=S,bucket=B,norm=l2|max,dither=32|16,levels=uniform|exp,code=packed|elias|rans}: s levels (default
 * 4), bucket size B or {@code none} for the whole vector (default none), the bucket norm (default l2; max is
 * "QSGDinf"), the dithers' width (default 32), the levels' spacing (default uniform; exp is NUQSGD's
 * exponentially spaced levels, s at most 32) and the payload code (default packed).
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
        final int code = header.code();
        if ((code & ~(QsgdEncoder.FORMAT | QsgdEncoder.MAX_NORM | QsgdEncoder.DITHER_16
                | QsgdEncoder.EXP_LEVELS)) != 0) {
            throw new MalformedFrameException("qsgd frame with code byte 0x" + Integer.toHexString(code)
                    + ": bits other than the format (0x0F) and the flags 0x10, 0x20, 0x40 are set");
        }
        try {
            params = new QsgdParams(header.levels(), header.bucket(),
                    (code & QsgdEncoder.MAX_NORM) != 0 ? QsgdParams.Norm.MAX : QsgdParams.Norm.L2,
                    (code & QsgdEncoder.DITHER_16) != 0 ? QsgdParams.DitherWidth.BITS_16
                            : QsgdParams.DitherWidth.BITS_32,
                    (code & QsgdEncoder.EXP_LEVELS) != 0 ? QsgdParams.Spacing.EXP : QsgdParams.Spacing.UNIFORM);
        } catch (IllegalArgumentException e) {
            throw new MalformedFrameException("qsgd frame: " + e.getMessage());
        }
        return switch (code & QsgdEncoder.FORMAT) {
            case 1 -> new QsgdPackedEncoder(params);
            case 2 -> new QsgdEliasEncoder(params);
            case 3 -> new QsgdRansEncoder(params);
            default -> throw new MalformedFrameException("qsgd frame with code " + (code & QsgdEncoder.FORMAT)
                    + " (1 packed, 2 elias, 3 rans)");
        };
    }

    @Override
    public Encoder create(final Map<String, String> parameters) {
        final Map<String, String> left = new HashMap<>(parameters);
        final int s = integer(left.remove("s"), "s", 4);
        final String bucketValue = left.remove("bucket");
        final int bucket = bucketValue == null || bucketValue.equals("none") || bucketValue.equals("0") ? 0
                : integer(bucketValue, "bucket", 0);
        final QsgdParams.Norm norm = switch (left.getOrDefault("norm", "l2")) {
            case "l2" -> QsgdParams.Norm.L2;
            case "max" -> QsgdParams.Norm.MAX;
            default -> throw new IllegalArgumentException("qsgd norm=" + left.get("norm") + " is not l2 or max");
        };
        final QsgdParams.DitherWidth dither = switch (left.getOrDefault("dither", "32")) {
            case "32" -> QsgdParams.DitherWidth.BITS_32;
            case "16" -> QsgdParams.DitherWidth.BITS_16;
            default -> throw new IllegalArgumentException("qsgd dither=" + left.get("dither") + " is not 32 or 16");
        };
        final QsgdParams.Spacing spacing = switch (left.getOrDefault("levels", "uniform")) {
            case "uniform" -> QsgdParams.Spacing.UNIFORM;
            case "exp" -> QsgdParams.Spacing.EXP;
            default -> throw new IllegalArgumentException("qsgd levels=" + left.get("levels")
                    + " is not uniform or exp");
        };
        final String code = left.getOrDefault("code", "packed");
        left.remove("norm");
        left.remove("dither");
        left.remove("levels");
        left.remove("code");
        if (!left.isEmpty()) {
            throw new IllegalArgumentException("unknown qsgd parameter(s) " + left.keySet()
                    + "; qsgd takes s, bucket, norm, dither, levels and code");
        }
        final QsgdParams params = new QsgdParams(s, bucket, norm, dither, spacing);
        return switch (code) {
            case "packed" -> new QsgdPackedEncoder(params);
            case "elias" -> new QsgdEliasEncoder(params);
            case "rans" -> new QsgdRansEncoder(params);
            default -> throw new IllegalArgumentException("qsgd code '" + code + "' is not packed, elias or rans");
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
