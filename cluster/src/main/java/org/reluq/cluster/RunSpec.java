package org.reluq.cluster;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.encoder.EncoderState;
import org.reluq.kernels.encoder.Encoders;
import org.reluq.kernels.qsgd.QsgdConfig;
import org.reluq.kernels.sgd.Init;
import org.reluq.kernels.sgd.Sampling;
import org.reluq.kernels.sgd.SgdConfig;

/**
 * Everything that defines a distributed run's numbers: the planted model (d, n, ||w*||, seed), the SGD parameters,
 * K and the encoder, and the topology. The master sends it to every worker when they join, so a worker needs only
 * the master's address; from it every process derives the same data and mini-batches.
 *
 * @param d        dimension
 * @param n        samples
 * @param norm     ||w*||
 * @param sgd      batch size, step, budget, init, sampling, seed, target error
 * @param workers  K
 * @param encoder  the encoder's spec, as {@link Encoders#parse} reads it
 * @param topology how frames travel
 */
public record RunSpec(int d, int n, double norm, SgdConfig sgd, int workers, String encoder, Topology topology) {

    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;
    /** The longest encoder spec a message carries. */
    static final int MAX_SPEC_BYTES = 1024;

    /** Validates the fields as {@link QsgdConfig} and {@link org.reluq.kernels.model.PlantedModel} would. */
    public RunSpec {
        Objects.requireNonNull(sgd, "sgd");
        Objects.requireNonNull(encoder, "encoder");
        Objects.requireNonNull(topology, "topology");
        if (d < 1 || n < 1) {
            throw new IllegalArgumentException("d and n must be >= 1, got d = " + d + ", n = " + n);
        }
        if (!(norm > 0) || Double.isInfinite(norm)) {
            throw new IllegalArgumentException("norm must be finite and > 0, got " + norm);
        }
        if (sgd.batchSize() > n) {
            throw new IllegalArgumentException("batch size " + sgd.batchSize() + " exceeds n = " + n);
        }
        if (encoder.getBytes(StandardCharsets.UTF_8).length > MAX_SPEC_BYTES) {
            throw new IllegalArgumentException("encoder spec longer than " + MAX_SPEC_BYTES + " bytes");
        }
        new QsgdConfig(sgd, workers, Encoders.parse(encoder), 1);
    }

    /** The encoder the spec names. */
    public Encoder parsedEncoder() {
        return Encoders.parse(encoder);
    }

    /** The in-process trainer's configuration for this run (one thread: a process runs one worker). */
    public QsgdConfig qsgdConfig() {
        return new QsgdConfig(sgd, workers, parsedEncoder(), 1);
    }

    /** Bytes of what each worker's encoder state carries from round to round (0 for a stateless encoder). */
    public int carriedBytes() {
        try (EncoderState state = parsedEncoder().newState(d)) {
            return state.carried().size() * d * Float.BYTES;
        }
    }

    /** Bytes {@link #write} takes. */
    public int encodedLength() {
        return 4 + 4 + 8 + 4 + 4 + 4 + 1 + 1 + 8 + 8 + 4 + 1 + 2 + encoder.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Writes the spec at {@code dst[offset ..]}; returns the bytes written. */
    public int write(final MutableDirectBuffer dst, final int offset) {
        int at = offset;
        dst.putInt(at, d, LE);
        dst.putInt(at += 4, n, LE);
        dst.putDouble(at += 4, norm, LE);
        dst.putInt(at += 8, sgd.batchSize(), LE);
        dst.putFloat(at += 4, sgd.step(), LE);
        dst.putInt(at += 4, sgd.maxIterations(), LE);
        dst.putByte(at += 4, (byte) sgd.init().ordinal());
        dst.putByte(at += 1, (byte) sgd.sampling().ordinal());
        dst.putLong(at += 1, sgd.seed(), LE);
        dst.putDouble(at += 8, sgd.targetError(), LE);
        dst.putInt(at += 8, workers, LE);
        dst.putByte(at += 4, (byte) topology.ordinal());
        final byte[] spec = encoder.getBytes(StandardCharsets.UTF_8);
        dst.putShort(at += 1, (short) spec.length, LE);
        dst.putBytes(at += 2, spec);
        return at + spec.length - offset;
    }

    /**
     * Reads a spec written by {@link #write} from {@code src[offset, offset + length)}, checking every field.
     *
     * @throws IllegalArgumentException naming the first bad field
     */
    public static RunSpec read(final DirectBuffer src, final int offset, final int length) {
        final int fixed = 4 + 4 + 8 + 4 + 4 + 4 + 1 + 1 + 8 + 8 + 4 + 1 + 2;
        if (length < fixed) {
            throw new IllegalArgumentException("run spec of " + length + " bytes is shorter than " + fixed);
        }
        int at = offset;
        final int d = src.getInt(at, LE);
        final int n = src.getInt(at += 4, LE);
        final double norm = src.getDouble(at += 4, LE);
        final int batch = src.getInt(at += 8, LE);
        final float step = src.getFloat(at += 4, LE);
        final int iterations = src.getInt(at += 4, LE);
        final Init init = enumAt(Init.values(), src.getByte(at += 4), "init");
        final Sampling sampling = enumAt(Sampling.values(), src.getByte(at += 1), "sampling");
        final long seed = src.getLong(at += 1, LE);
        final double target = src.getDouble(at += 8, LE);
        final int workers = src.getInt(at += 8, LE);
        final Topology topology = enumAt(Topology.values(), src.getByte(at += 4), "topology");
        final int specBytes = src.getShort(at += 1, LE) & 0xFFFF;
        at += 2;
        if (specBytes > MAX_SPEC_BYTES || at + specBytes != offset + length) {
            throw new IllegalArgumentException("run spec's encoder of " + specBytes + " bytes does not fill its "
                    + length + "-byte message");
        }
        final byte[] spec = new byte[specBytes];
        src.getBytes(at, spec);
        return new RunSpec(d, n, norm, new SgdConfig(batch, step, iterations, init, sampling, seed, target), workers,
                new String(spec, StandardCharsets.UTF_8), topology);
    }

    private static <E> E enumAt(final E[] values, final byte ordinal, final String what) {
        if (ordinal < 0 || ordinal >= values.length) {
            throw new IllegalArgumentException(what + " code " + ordinal + " is unknown");
        }
        return values[ordinal];
    }
}
