package org.reluq.cluster;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32C;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A distributed run's state at the start of a round, enough to resume it to the same bits: the spec (seed included),
 * the round, w, ||w - w*||^2 as the run computed it, the curve so far and every worker's carried encoder state.
 * The file (docs/cluster-protocol.md) ends in a CRC32C of everything before it; reading checks it and every length.
 *
 * @param spec            the run
 * @param round           rounds completed; the resumed run starts with this one
 * @param weights         w at the start of that round
 * @param distanceSquared ||w - w*||^2 at the start of that round
 * @param relativeError   the curve's errors for rounds 0..round
 * @param loss            the curve's losses for rounds 0..round-1
 * @param wireBytes       the bytes sent after rounds 0..round
 * @param carried         per worker, its encoder's carried vectors concatenated (empty arrays for stateless encoders)
 */
public record Checkpoint(RunSpec spec, long round, float[] weights, double distanceSquared, float[] relativeError,
                         float[] loss, long[] wireBytes, float[][] carried) {

    private static final int MAGIC = 0x4B514C52;
    private static final int VERSION = 1;

    /** Checks the shapes against the spec. */
    public Checkpoint {
        if (round < 0 || round > spec.sgd().maxIterations()) {
            throw new IllegalArgumentException("checkpoint round " + round + " is outside [0, "
                    + spec.sgd().maxIterations() + "]");
        }
        if (weights.length != spec.d() || relativeError.length != round + 1 || loss.length != round
                || wireBytes.length != round + 1 || carried.length != spec.workers()) {
            throw new IllegalArgumentException("checkpoint arrays disagree with its spec (d = " + spec.d() + ", K = "
                    + spec.workers() + ") and round " + round);
        }
    }

    /** Writes the checkpoint to {@code file} (through a temporary file, so a crash leaves the old one whole). */
    public void write(final Path file) throws IOException {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            final UnsafeBuffer specBuffer = new UnsafeBuffer(new byte[spec.encodedLength()]);
            spec.write(specBuffer, 0);
            out.writeInt(specBuffer.capacity());
            out.write(specBuffer.byteArray());
            out.writeLong(round);
            writeFloats(out, weights);
            out.writeDouble(distanceSquared);
            writeFloats(out, relativeError);
            writeFloats(out, loss);
            out.writeInt(wireBytes.length);
            for (final long b : wireBytes) {
                out.writeLong(b);
            }
            out.writeInt(carried.length);
            for (final float[] state : carried) {
                writeFloats(out, state);
            }
        }
        final CRC32C crc = new CRC32C();
        crc.update(bytes.toByteArray());
        final Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temporary)))) {
            bytes.writeTo(out);
            out.writeInt((int) crc.getValue());
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Reads a checkpoint written by {@link #write}.
     *
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException naming what is wrong if it is not a whole, valid checkpoint
     */
    public static Checkpoint read(final Path file) throws IOException {
        final byte[] all = Files.readAllBytes(file);
        if (all.length < 12) {
            throw new IllegalArgumentException(file + " is too short to be a checkpoint (" + all.length + " bytes)");
        }
        final CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - 4);
        final int stored = ((all[all.length - 4] & 0xFF) << 24) | ((all[all.length - 3] & 0xFF) << 16)
                | ((all[all.length - 2] & 0xFF) << 8) | (all[all.length - 1] & 0xFF);
        if (stored != (int) crc.getValue()) {
            throw new IllegalArgumentException(file + " is damaged or not a reluq checkpoint (CRC32C mismatch)");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, 0, all.length - 4))) {
            if (in.readInt() != MAGIC || in.readInt() != VERSION) {
                throw new IllegalArgumentException(file + " is not a version-" + VERSION + " reluq checkpoint");
            }
            final int specBytes = in.readInt();
            if (specBytes < 0 || specBytes > all.length) {
                throw new IllegalArgumentException(file + ": bad run spec length " + specBytes);
            }
            final byte[] specArray = in.readNBytes(specBytes);
            final RunSpec spec = RunSpec.read(new UnsafeBuffer(specArray), 0, specArray.length);
            final long round = in.readLong();
            final float[] weights = readFloats(in, all.length);
            final double distanceSquared = in.readDouble();
            final float[] relativeError = readFloats(in, all.length);
            final float[] loss = readFloats(in, all.length);
            final int rounds = in.readInt();
            if (rounds < 0 || rounds > all.length / 8) {
                throw new IllegalArgumentException(file + ": bad curve length " + rounds);
            }
            final long[] wireBytes = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                wireBytes[i] = in.readLong();
            }
            final int workers = in.readInt();
            if (workers < 0 || workers > all.length / 4) {
                throw new IllegalArgumentException(file + ": bad worker count " + workers);
            }
            final float[][] carried = new float[workers][];
            for (int k = 0; k < workers; k++) {
                carried[k] = readFloats(in, all.length);
            }
            if (in.available() != 0) {
                throw new IllegalArgumentException(file + ": " + in.available() + " bytes after the last field");
            }
            return new Checkpoint(spec, round, weights, distanceSquared, relativeError, loss, wireBytes, carried);
        } catch (EOFException e) {
            throw new IllegalArgumentException(file + " ends inside a field: not a whole checkpoint", e);
        }
    }

    private static void writeFloats(final DataOutputStream out, final float[] values) throws IOException {
        out.writeInt(values.length);
        for (final float v : values) {
            out.writeInt(Float.floatToRawIntBits(v));
        }
    }

    private static float[] readFloats(final DataInputStream in, final int fileBytes) throws IOException {
        final int length = in.readInt();
        if (length < 0 || length > fileBytes / 4) {
            throw new IllegalArgumentException("checkpoint array length " + length + " exceeds the file");
        }
        final float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = Float.intBitsToFloat(in.readInt());
        }
        return values;
    }
}
