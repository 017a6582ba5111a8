package org.reluq.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.reluq.kernels.parallel.KernelPool;

/**
 * The pool behind the parallel kernels: every task exactly once, worker numbers for per-thread scratch, failures (errors too) after all tasks, no return
 * before the pool threads are done even when interrupted, bad sizes refused.
 */
class KernelPoolTest {

    @Test
    void everyTaskRunsExactlyOnceOnEveryThreadCount() {
        for (int threads = 1; threads <= 4; threads++) {
            try (KernelPool pool = new KernelPool(threads)) {
                for (int count = 0; count <= 100; count += count < 10 ? 1 : 9) {
                    final AtomicIntegerArray runs = new AtomicIntegerArray(count);
                    pool.run(count, runs::incrementAndGet);
                    for (int i = 0; i < count; i++) {
                        assertEquals(1, runs.get(i), "task " + i + " of " + count + " on " + threads + " threads");
                    }
                }
            }
        }
    }

    @Test
    void workerTasksLearnTheirThreadsNumberAndNoNumberRunsTwoTasksAtOnce() {
        for (int threads = 1; threads <= 4; threads++) {
            try (KernelPool pool = new KernelPool(threads)) {
                final int count = 200;
                final AtomicIntegerArray runs = new AtomicIntegerArray(count);
                final AtomicIntegerArray busy = new AtomicIntegerArray(threads);
                final AtomicInteger clashes = new AtomicInteger();
                final AtomicInteger outOfRange = new AtomicInteger();
                final int t = threads;
                pool.run(count, (task, worker) -> {
                    if (worker < 0 || worker >= t) {
                        outOfRange.incrementAndGet();
                        return;
                    }
                    if (busy.getAndIncrement(worker) != 0) {
                        clashes.incrementAndGet();
                    }
                    runs.incrementAndGet(task);
                    Thread.onSpinWait();
                    busy.decrementAndGet(worker);
                });
                assertEquals(0, outOfRange.get(), "worker numbers within [0, " + threads + ")");
                assertEquals(0, clashes.get(), "two tasks at once on one worker number, " + threads + " threads");
                for (int i = 0; i < count; i++) {
                    assertEquals(1, runs.get(i), "task " + i + " on " + threads + " threads");
                }
            }
        }
    }

    @Test
    void aFailureIsRethrownOnlyAfterEveryOtherTaskFinished() {
        try (KernelPool pool = new KernelPool(3)) {
            final IllegalArgumentException boom = new IllegalArgumentException("task 7 failed");
            final AtomicInteger finished = new AtomicInteger();
            final IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> pool.run(40, i -> {
                if (i == 7) {
                    throw boom;
                }
                finished.incrementAndGet();
            }));
            assertSame(boom, thrown);
            assertEquals(39, finished.get(), "the other tasks all ran before run() returned");
            // the pool is usable after a failure
            final AtomicInteger again = new AtomicInteger();
            pool.run(10, i -> again.incrementAndGet());
            assertEquals(10, again.get());
        }
    }

    @Test
    void anErrorInATaskIsRethrownAfterEveryOtherTaskFinished() {
        try (KernelPool pool = new KernelPool(2)) {
            final AssertionError boom = new AssertionError("task 3 failed");
            final AtomicInteger finished = new AtomicInteger();
            final AssertionError thrown = assertThrows(AssertionError.class, () -> pool.run(20, i -> {
                if (i == 3) {
                    throw boom;
                }
                finished.incrementAndGet();
            }));
            assertSame(boom, thrown);
            assertEquals(19, finished.get(), "the other tasks all ran before run() returned");
        }
    }

    /**
     * The calling thread is interrupted while a pool thread still runs a task of the call: run() returns only
     * after that task finished (it uses the call's task and data), and the interrupt is kept for the caller.
     */
    @Test
    void anInterruptedCallerStillWaitsForThePoolThreads() throws InterruptedException {
        try (KernelPool pool = new KernelPool(2)) {
            final Thread caller = Thread.currentThread();
            final CountDownLatch helperStarted = new CountDownLatch(1);
            final AtomicBoolean release = new AtomicBoolean();
            final AtomicBoolean helperDone = new AtomicBoolean();
            final Thread releaser = new Thread(() -> {
                try {
                    helperStarted.await();
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                release.set(true);
            });
            releaser.start();
            pool.run(2, i -> {
                if (Thread.currentThread() == caller) {
                    try {
                        assertTrue(helperStarted.await(10, TimeUnit.SECONDS), "a pool thread took the other task");
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                    caller.interrupt();
                } else {
                    helperStarted.countDown();
                    while (!release.get()) {
                        Thread.onSpinWait();
                    }
                    helperDone.set(true);
                }
            });
            assertTrue(helperDone.get(), "run() returned while a pool thread still ran its task");
            assertTrue(Thread.interrupted(), "the caller's interrupt is kept");
            releaser.join();
        }
    }

    @Test
    void badSizesAreRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new KernelPool(0)).getMessage()
                .contains("threads must be >= 1, got 0"));
        try (KernelPool pool = new KernelPool(2)) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> pool.run(-1, i -> { })).getMessage()
                    .contains("task count must be >= 0, got -1"));
        }
    }
}
