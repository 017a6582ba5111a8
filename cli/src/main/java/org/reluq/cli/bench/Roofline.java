package org.reluq.cli.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.reluq.bench.suite.Suite;

/**
 * The limits measured by RooflineBenchmark (read bandwidth per working set) and FmaPeakBenchmark, and
 * which level a kernel's data stream from.
 *
 * @param levels    read bandwidth by thread count and working set, smallest first (named L2, L3, DRAM when
 *                  there are three per thread count)
 * @param peakFlops the FMA probe's result, or null
 */
record Roofline(List<Level> levels, JmhResult peakFlops) {

    /**
     * One measured level.
     *
     * @param name           L2, L3 or DRAM (with " x T" for T threads)
     * @param threads        threads reading
     * @param workingSet     the probe's working set in bytes
     * @param bytesPerSecond the measured read bandwidth
     * @param relativeError  JMH's error over the score
     */
    record Level(String name, int threads, long workingSet, double bytesPerSecond, double relativeError) {
    }

    private static final String[] NAMES = {"L2", "L3", "DRAM"};

    /** The roofline in a set of results (empty levels if RooflineBenchmark did not run). */
    static Roofline of(final List<JmhResult> results) {
        final List<JmhResult> probes = new ArrayList<>();
        JmhResult fma = null;
        for (final JmhResult r : results) {
            if (r.component().equals("RooflineBenchmark")) {
                probes.add(r);
            } else if (r.component().equals("FmaPeakBenchmark")) {
                fma = r;
            }
        }
        probes.sort(Comparator.comparingInt(Roofline::threads)
                .thenComparingLong(r -> Long.parseLong(r.param("workingSet"))));
        final List<Level> levels = new ArrayList<>();
        for (final JmhResult r : probes) {
            final int threads = threads(r);
            final long sameThreads = probes.stream().filter(p -> threads(p) == threads).count();
            final int index = (int) levels.stream().filter(l -> l.threads() == threads).count();
            final long bytes = Long.parseLong(r.param("workingSet"));
            final String name = (sameThreads == NAMES.length ? NAMES[index] : "probe " + (index + 1))
                    + (threads == 1 ? "" : " x " + threads + " threads");
            levels.add(new Level(name, threads, bytes, Suite.rooflineRepeats(bytes) * bytes / r.secondsPerOp(),
                    r.relativeError()));
        }
        return new Roofline(levels, fma);
    }

    /** A result's {@code threads} parameter, 1 when it has none. */
    static int threads(final JmhResult r) {
        final String threads = r.param("threads");
        return threads == null ? 1 : Integer.parseInt(threads);
    }

    /**
     * The level a working set streams from at a thread count: the L2 probe up to twice its size, the L3 probe
     * up to four times its size, DRAM beyond (with probes of 512 KiB, 8 MiB and 1 GiB: up to 1 MiB, up to
     * 32 MiB, more); null without probes at that thread count.
     */
    Level levelFor(final long workingSet, final int threads) {
        final List<Level> same = levels.stream().filter(l -> l.threads() == threads).toList();
        if (same.isEmpty()) {
            return null;
        }
        for (int i = 0; i < same.size() - 1; i++) {
            if (workingSet <= (i == 0 ? 2 : 4) * same.get(i).workingSet()) {
                return same.get(i);
            }
        }
        return same.get(same.size() - 1);
    }
}
