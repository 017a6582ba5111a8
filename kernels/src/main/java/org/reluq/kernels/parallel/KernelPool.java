package org.reluq.kernels.parallel;

import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * T threads that run the tasks 0 .. count - 1 of one parallel kernel call: the calling thread and T - 1
 * pool threads take task numbers from a shared counter until none is left, and the call returns when all
 * are done. Which thread runs a task is left to timing, so parallel kernels make each task's result depend
 * only on its number and combine results in task order: their output is then the same on every run.
 * One call at a time; close it to stop the threads.
 */
public final class KernelPool implements AutoCloseable {

    /** A task that is told which of the pool's threads runs it, to use that thread's scratch. */
    @FunctionalInterface
    public interface WorkerTask {

        /**
         * Runs task number {@code task} on thread number {@code worker}: 0 for the calling thread, 1 .. T - 1 for
         * the pool's threads; no two tasks run on one worker number at once.
         */
        void run(int task, int worker);
    }

    private final int threads;
    private final ExecutorService helpers;
    private final Future<?>[] running;
    private final Runnable[] drainTasks;
    private final AtomicInteger next = new AtomicInteger();
    private IntConsumer task;
    private WorkerTask workerTask;
    private int count;

    /**
     * @param threads T, at least 1 (1 runs everything on the calling thread, with no pool)
     */
    public KernelPool(final int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.helpers = threads > 1 ? Executors.newFixedThreadPool(threads - 1,
                Thread.ofPlatform().name("reluq-kernel-", 0).daemon().factory()) : null;
        this.running = new Future<?>[threads - 1];
        this.drainTasks = new Runnable[threads - 1];
        for (int i = 0; i < drainTasks.length; i++) {
            final int worker = i + 1;
            drainTasks[i] = () -> drain(worker);
        }
    }

    /** T. */
    public int threads() {
        return threads;
    }

    /**
     * Runs {@code task.accept(i)} for every i in [0, count), spread over the threads, and returns only when
     * every pool thread has finished, even when a task fails (with an {@link Error} too) or the calling
     * thread is interrupted; then rethrows the first failure. An interrupt is not lost: the calling thread's
     * interrupt flag is set again on return.
     */
    public void run(final int count, final IntConsumer task) {
        start(count, Objects.requireNonNull(task, "task"), null);
    }

    /**
     * {@link #run(int, IntConsumer)} for a task that uses per-thread scratch: it is told its worker number,
     * in [0, {@link #threads()}).
     */
    public void run(final int count, final WorkerTask task) {
        start(count, null, Objects.requireNonNull(task, "task"));
    }

    private void start(final int count, final IntConsumer plain, final WorkerTask indexed) {
        if (count < 0) {
            throw new IllegalArgumentException("task count must be >= 0, got " + count);
        }
        this.task = plain;
        this.workerTask = indexed;
        this.count = count;
        next.set(0);
        final int started = Math.min(running.length, Math.max(0, count - 1));
        for (int i = 0; i < started; i++) {
            running[i] = helpers.submit(drainTasks[i]);
        }
        Throwable failure = null;
        try {
            drain(0);
        } catch (Throwable t) {
            failure = t;
        }
        boolean interrupted = false;
        for (int i = 0; i < started; i++) {
            while (true) {
                try {
                    running[i].get();
                    break;
                } catch (InterruptedException e) {
                    // the helper still runs and uses this call's task: keep waiting, remember the interrupt
                    interrupted = true;
                } catch (ExecutionException e) {
                    failure = failure != null ? failure : e.getCause();
                    break;
                }
            }
        }
        this.task = null;
        this.workerTask = null;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        if (failure != null) {
            throw new IllegalStateException("a kernel task failed", failure);
        }
    }

    private void drain(final int worker) {
        for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
            if (workerTask != null) {
                workerTask.run(i, worker);
            } else {
                task.accept(i);
            }
        }
    }

    /** Stops the pool threads. */
    @Override
    public void close() {
        if (helpers != null) {
            helpers.shutdownNow();
        }
    }
}
