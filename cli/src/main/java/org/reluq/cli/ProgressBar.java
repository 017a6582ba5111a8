package org.reluq.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.reluq.kernels.sgd.ProgressListener;

/** A one-line progress bar on a terminal, redrawn at most ten times a second. */
final class ProgressBar implements ProgressListener {

    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final int total;
    private long lastDraw;
    private boolean drawn;

    ProgressBar(final PrintWriter err, final int total) {
        this.err = err;
        this.total = total;
    }

    @Override
    public void update(final int iteration, final double relativeError) {
        final long now = System.nanoTime();
        if (drawn && now - lastDraw < REDRAW_NANOS && iteration < total) {
            return;
        }
        lastDraw = now;
        drawn = true;
        final int filled = (int) ((long) WIDTH * iteration / total);
        err.printf(Locale.ROOT, "\r[%s%s] %3d%%  iteration %d/%d  relative error %.3e",
                "#".repeat(filled), " ".repeat(WIDTH - filled), 100L * iteration / total, iteration, total,
                relativeError);
        err.flush();
    }

    /** Clears the line, if anything was drawn. */
    void finish() {
        if (drawn) {
            err.print("\r" + " ".repeat(WIDTH + 70) + "\r");
            err.flush();
        }
    }
}
