package org.reluq.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.reluq.kernels.sgd.ProgressListener;

/**
 * One status line on a terminal: the phase before the loop with its elapsed time (redrawn by a daemon thread
 * while the phase runs, as data generation reports nothing), then the loop's bar with its iteration, rate,
 * elapsed and remaining time. Redrawn at most ten times a second; everything goes to standard error.
 */
final class ProgressBar implements ProgressListener, AutoCloseable {

    private static final int WIDTH = 24;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final int budget;
    private final double target;
    private final Thread ticker;
    private volatile String phase;
    private volatile long phaseStart;
    private long loopStart;
    private long lastDraw;
    private int firstIteration = -1;
    private double firstError;
    private int width;

    /**
     * @param budget the loop's iteration budget
     * @param target the target relative error (0: none), for the time left
     */
    ProgressBar(final PrintWriter err, final int budget, final double target) {
        this.err = err;
        this.budget = budget;
        this.target = target;
        this.ticker = Thread.ofPlatform().daemon().name("reluq-progress").start(this::tick);
    }

    /** Shows {@code description} with its elapsed time until the next phase or the loop. */
    synchronized void phase(final String description) {
        phase = description;
        phaseStart = System.nanoTime();
        draw(String.format(Locale.ROOT, "%s ...", description));
    }

    private void tick() {
        try {
            while (true) {
                Thread.sleep(200);
                synchronized (this) {
                    if (phase != null) {
                        draw(String.format(Locale.ROOT, "%s ... %.1f s", phase, (System.nanoTime() - phaseStart) / 1e9));
                    }
                }
            }
        } catch (InterruptedException e) {
            // closed
        }
    }

    @Override
    public synchronized void update(final int iteration, final double relativeError) {
        final long now = System.nanoTime();
        if (phase != null || loopStart == 0) {
            phase = null;
            loopStart = now;
            firstIteration = iteration;
            firstError = relativeError;
        }
        if (now - lastDraw < REDRAW_NANOS && iteration < budget) {
            return;
        }
        lastDraw = now;
        final double elapsed = (now - loopStart) / 1e9;
        final double rate = elapsed > 0 ? (iteration - firstIteration) / elapsed : 0;
        final int filled = (int) ((long) WIDTH * iteration / budget);
        draw(String.format(Locale.ROOT, "[%s%s] %d/%d  error %.3e  %.0f it/s  %s elapsed%s", "#".repeat(filled),
                " ".repeat(WIDTH - filled), iteration, budget, relativeError, rate, duration(elapsed),
                remaining(iteration, relativeError, rate)));
    }

    /**
     * The time left: to the budget's end, or sooner to the target if the error falls geometrically at the rate
     * seen so far.
     */
    private String remaining(final int iteration, final double error, final double rate) {
        if (rate <= 0 || iteration <= firstIteration) {
            return "";
        }
        double left = budget - iteration;
        if (target > 0 && error > target && error < firstError) {
            final double perIteration = Math.log(firstError / error) / (iteration - firstIteration);
            left = Math.min(left, Math.log(error / target) / perIteration);
        }
        return ", " + duration(left / rate) + " left";
    }

    private static String duration(final double seconds) {
        return seconds < 60 ? String.format(Locale.ROOT, "%.1f s", seconds)
                : String.format(Locale.ROOT, "%d min %02d s", (long) seconds / 60, (long) seconds % 60);
    }

    private void draw(final String line) {
        err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
        width = line.length();
        err.flush();
    }

    /** Stops the ticker and clears the line (before the results are printed); closing again does nothing. */
    synchronized void finish() {
        ticker.interrupt();
        if (width > 0) {
            err.print("\r" + " ".repeat(width) + "\r");
            err.flush();
        }
        width = 0;
        phase = null;
    }

    @Override
    public void close() {
        finish();
    }
}
