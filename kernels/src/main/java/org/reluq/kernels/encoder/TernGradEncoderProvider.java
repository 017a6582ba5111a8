package org.reluq.kernels.encoder;

import java.util.HashMap;
import java.util.Map;
import org.reluq.kernels.codec.MalformedFrameException;
import org.reluq.kernels.quant.QsgdParams;

/**
 * {@code terngrad:bucket=B,clip=C}: bucket size B or {@code none} (default none), clipping at C times the RMS or
 * {@code none} (default none) ({@link TernGradEncoder}).
 */
public final class TernGradEncoderProvider implements EncoderProvider {

    /** The provider {@code ServiceLoader} instantiates. */
    public TernGradEncoderProvider() {
        // nothing to set up until first use
    }

    @Override
    public String name() {
        return "terngrad";
    }

    @Override
    public int id() {
        return TernGradEncoder.ID;
    }

    /** The frame does not say whether the sender clipped; decoding is the same either way. */
    @Override
    public Encoder fromHeader(final Frame.Header header) {
        if (header.levels() != 1 || header.code() != 1 || header.bucket() < 0
                || header.bucket() > QsgdParams.MAX_BUCKET) {
            throw new MalformedFrameException("terngrad frame with levels " + Integer.toUnsignedString(header.levels())
                    + ", bucket " + Integer.toUnsignedString(header.bucket()) + ", code " + header.code()
                    + " (terngrad writes levels 1, code 1 and a bucket in [0, " + QsgdParams.MAX_BUCKET + "])");
        }
        return new TernGradEncoder(header.bucket(), 0);
    }

    @Override
    public Encoder create(final Map<String, String> parameters) {
        final Map<String, String> left = new HashMap<>(parameters);
        final String bucketValue = left.remove("bucket");
        final String clipValue = left.remove("clip");
        if (!left.isEmpty()) {
            throw new IllegalArgumentException("unknown terngrad parameter(s) " + left.keySet()
                    + "; terngrad takes bucket and clip");
        }
        int bucket = 0;
        if (bucketValue != null && !bucketValue.equals("none")) {
            try {
                bucket = Integer.parseInt(bucketValue);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("terngrad bucket=" + bucketValue + " is not an integer or none", e);
            }
            if (bucket < 1 || bucket > QsgdParams.MAX_BUCKET) {
                throw new IllegalArgumentException("terngrad bucket=" + bucketValue + " is outside [1, "
                        + QsgdParams.MAX_BUCKET + "]");
            }
        }
        float clip = 0;
        if (clipValue != null && !clipValue.equals("none")) {
            try {
                clip = Float.parseFloat(clipValue);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("terngrad clip=" + clipValue + " is not a number or none", e);
            }
            if (!(clip > 0) || Float.isInfinite(clip)) {
                throw new IllegalArgumentException("terngrad clip=" + clipValue + " is not a finite positive number");
            }
        }
        return new TernGradEncoder(bucket, clip);
    }
}
