package org.reluq.cluster;

import java.nio.charset.StandardCharsets;
import org.agrona.DirectBuffer;

/**
 * A WELCOME body as a worker reads it: the run, K, the first round, the checkpoint period, the master's heartbeat
 * settings and every worker's nonce and endpoint, in worker order.
 *
 * @param runId           the run's id, which every later message carries
 * @param spec            the run
 * @param startRound      the first round (a resumed run's checkpoint round)
 * @param resumed         whether the run resumes a checkpoint (then w and the encoder states come from the master)
 * @param checkpointEvery rounds between a stateful encoder's state reports
 * @param heartbeatNanos  the master's heartbeat period
 * @param peerTimeoutNanos the silence after which the master counts as gone
 * @param nonces          the workers' nonces
 * @param endpoints       the workers' endpoints
 */
record Welcome(long runId, RunSpec spec, long startRound, boolean resumed, int checkpointEvery, long heartbeatNanos,
               long peerTimeoutNanos, long[] nonces, String[] endpoints) {

    /** The bit of the checkpoint-period field that says the run resumes a checkpoint. */
    static final int RESUMED = 1 << 31;

    /**
     * Reads and checks a WELCOME body.
     *
     * @throws IllegalArgumentException naming the first bad field
     */
    static Welcome read(final DirectBuffer body, final int offset, final int length) {
        final int limit = offset + length;
        if (length < 10) {
            throw new IllegalArgumentException("WELCOME of " + length + " bytes");
        }
        final long runId = body.getLong(offset, Message.LE);
        final int specBytes = body.getShort(offset + 8, Message.LE) & 0xFFFF;
        if (runId == 0 || offset + 10 + specBytes + 32 > limit) {
            throw new IllegalArgumentException("WELCOME's run id or spec of " + specBytes + " bytes is bad");
        }
        final RunSpec spec = RunSpec.read(body, offset + 10, specBytes);
        int at = offset + 10 + specBytes;
        final int workers = body.getInt(at, Message.LE);
        final long start = body.getLong(at + 4, Message.LE);
        final int periodField = body.getInt(at + 12, Message.LE);
        final boolean resumed = (periodField & RESUMED) != 0;
        final int every = periodField & ~RESUMED;
        final long heartbeat = body.getLong(at + 16, Message.LE);
        final long timeout = body.getLong(at + 24, Message.LE);
        at += 32;
        if (workers != spec.workers() || start < 0 || start > spec.sgd().maxIterations() || every < 1
                || heartbeat <= 0 || timeout < heartbeat) {
            throw new IllegalArgumentException("WELCOME's fields disagree (K " + workers + ", start " + start
                    + ", checkpoint period " + every + ")");
        }
        final long[] nonces = new long[workers];
        final String[] endpoints = new String[workers];
        for (int i = 0; i < workers; i++) {
            if (at + 8 > limit) {
                throw new IllegalArgumentException("WELCOME ends inside worker " + i);
            }
            nonces[i] = body.getLong(at, Message.LE);
            endpoints[i] = Bodies.getString(body, at + 8, limit);
            at += 8 + 1 + endpoints[i].getBytes(StandardCharsets.UTF_8).length;
        }
        if (at != limit) {
            throw new IllegalArgumentException("WELCOME has " + (limit - at) + " bytes after its last worker");
        }
        return new Welcome(runId, spec, start, resumed, every, heartbeat, timeout, nonces, endpoints);
    }

    /** The index of the worker with this nonce, or -1. */
    int indexOf(final long nonce) {
        for (int i = 0; i < nonces.length; i++) {
            if (nonces[i] == nonce) {
                return i;
            }
        }
        return -1;
    }
}
