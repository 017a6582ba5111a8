package org.reluq.kernels.qsgd;

import java.util.Objects;
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.sgd.SgdConfig;

/**
 * The parameters of one quantized-SGD run: the SGD parameters (batch size m, step, budget, init, sampling,
 * seed, target), the number of workers K that split each batch, the encoder every worker sends its
 * gradient with, and the threads that run the workers. The threads change nothing but the speed.
 *
 * @param sgd     the SGD parameters; its seed also keys the dithers
 * @param workers K, from 1 to the batch size
 * @param encoder how workers encode their gradients, e.g. {@code Encoders.parse("qsgd:s=4,code=elias")}
 * @param threads threads running the workers, at least 1
 */
public record QsgdConfig(SgdConfig sgd, int workers, Encoder encoder, int threads) {

    /** Validates every field; messages name the bad value. */
    public QsgdConfig {
        Objects.requireNonNull(sgd, "sgd");
        Objects.requireNonNull(encoder, "encoder");
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be >= 1, got " + workers);
        }
        if (workers > sgd.batchSize()) {
            throw new IllegalArgumentException("workers = " + workers + " exceeds the batch size "
                    + sgd.batchSize() + ": every worker needs at least one row");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
    }

    /**
     * reluq's step rule for a quantized run: SGD's default step {@link SgdConfig#defaultStep} divided by
     * {@code 1 + omega}, omega the encoder's variance factor at dimension d. Quantization noise grows the
     * gradient's second moment by up to that factor, and at SGD's own step QSGD with small s diverges;
     * for a lossless encoder (omega = 0) this is SGD's step.
     */
    public static float defaultStep(final int batchSize, final int d, final Encoder encoder) {
        return (float) (SgdConfig.defaultStep(batchSize, d) / (1 + encoder.varianceFactor(d)));
    }

    /** Floats of X a worker's share must hold before a second thread pays for its hand-off. */
    public static final long THREADING_THRESHOLD = 1 << 18;

    /**
     * Threads worth using for K workers: handing a share to another thread costs tens of microseconds here
     * (2-core VM: at d = 2048, m = 128, K = 4 two threads were 1.4x slower than one; at d = 8192, m = 512 they
     * were 1.8x faster), so one thread unless each share holds at least {@link #THREADING_THRESHOLD} floats of
     * X, else {@code min(K, cores)}.
     */
    public static int defaultThreads(final int d, final int batchSize, final int workers, final int cores) {
        final long shareFloats = (long) (batchSize / Math.max(1, workers)) * d;
        return shareFloats < THREADING_THRESHOLD ? 1 : Math.max(1, Math.min(workers, cores));
    }
}
