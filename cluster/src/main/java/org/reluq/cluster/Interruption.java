package org.reluq.cluster;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * SIGINT and SIGTERM as a flag the polling loops check: the JVM's shutdown hook raises it and waits (a few seconds
 * at most) until the run has stopped its peers, written its checkpoint and closed its driver, so an interrupted
 * process leaves no driver files and no orphans behind.
 */
public final class Interruption implements AutoCloseable {

    private static final long GRACE_SECONDS = 5;

    private final CountDownLatch done = new CountDownLatch(1);
    private final Thread hook;
    private volatile boolean raised;

    /** Registers the shutdown hook. */
    public Interruption() {
        hook = new Thread(() -> {
            raised = true;
            try {
                done.await(GRACE_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "reluq-cluster-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Throws if the process was asked to stop. */
    public void check() {
        if (raised) {
            throw new ClusterFailure("interrupted (SIGINT or SIGTERM)", 130);
        }
    }

    /** Whether the process was asked to stop. */
    public boolean raised() {
        return raised;
    }

    /** The run has cleaned up: the shutdown hook may let the JVM exit (or, in a normal end, the hook goes). */
    @Override
    public void close() {
        done.countDown();
        if (!raised) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is already shutting down: the hook runs and returns at once
            }
        }
    }
}
