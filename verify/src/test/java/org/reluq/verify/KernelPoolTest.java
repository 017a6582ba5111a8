package org.reluq.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.reluq.kernels.parallel.KernelPool;

/** The pool behind the parallel kernels: every task exactly once, failures after all tasks, bad sizes refused. */
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
    void badSizesAreRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new KernelPool(0)).getMessage()
                .contains("threads must be >= 1, got 0"));
        try (KernelPool pool = new KernelPool(2)) {
            assertTrue(assertThrows(IllegalArgumentException.class, () -> pool.run(-1, i -> { })).getMessage()
                    .contains("task count must be >= 0, got -1"));
        }
    }
}
