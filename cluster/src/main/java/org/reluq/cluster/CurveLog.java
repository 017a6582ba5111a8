package org.reluq.cluster;

import java.util.Arrays;

/**
 * The master's own copy of the curve (error, loss, bytes per round) as the training loop records it, so a
 * checkpoint can carry the curve up to its round. Arrays double when full.
 */
final class CurveLog {

    private float[] relativeError;
    private float[] loss;
    private long[] wireBytes;
    private int rounds;

    /** A log that starts after {@code prefixRounds} rounds already recorded (a resumed run's). */
    CurveLog(final float[] prefixError, final float[] prefixLoss, final long[] prefixBytes) {
        rounds = prefixLoss.length;
        final int room = Math.max(16, 2 * (rounds + 1));
        relativeError = Arrays.copyOf(prefixError, room);
        loss = Arrays.copyOf(prefixLoss, room);
        wireBytes = Arrays.copyOf(prefixBytes, room);
    }

    /** Sets the error and bytes before any round of this process (round {@code rounds}). */
    void start(final float error, final long bytes) {
        relativeError[rounds] = error;
        wireBytes[rounds] = bytes;
    }

    /** Appends a round: its loss, and the error and bytes after it. */
    void add(final float roundLoss, final float error, final long bytes) {
        if (rounds + 2 > relativeError.length) {
            relativeError = Arrays.copyOf(relativeError, 2 * relativeError.length);
            loss = Arrays.copyOf(loss, 2 * loss.length);
            wireBytes = Arrays.copyOf(wireBytes, 2 * wireBytes.length);
        }
        loss[rounds] = roundLoss;
        rounds++;
        relativeError[rounds] = error;
        wireBytes[rounds] = bytes;
    }

    /** Errors of rounds 0..r. */
    float[] errors(final long r) {
        return Arrays.copyOf(relativeError, (int) r + 1);
    }

    /** Losses of rounds 0..r-1. */
    float[] losses(final long r) {
        return Arrays.copyOf(loss, (int) r);
    }

    /** Bytes after rounds 0..r. */
    long[] bytes(final long r) {
        return Arrays.copyOf(wireBytes, (int) r + 1);
    }
}
