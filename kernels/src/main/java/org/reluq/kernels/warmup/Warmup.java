package org.reluq.kernels.warmup;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.reluq.kernels.linalg.DenseProbe;
import org.reluq.kernels.model.GenerationProbe;
import org.reluq.kernels.relu.GradientProbe;

/**
 * Gets the vector kernels compiled on a background thread while the work runs on their scalar twins, and
 * switches each {@link KernelFamily} to vectors once its vector kernels are the faster path.
 *
 * <p>{@link #start()} puts every family on its scalar twins and starts one daemon thread. The thread takes
 * the families one at a time and runs the family's {@link Probe} on both paths, a few vector runs to one
 * scalar run (the vector runs are what the JIT must count before C2 compiles them), timing one run of each.
 * A family switches to vectors after its vector run has been the faster {@link #WINS} rounds in a row. A
 * family whose vector kernels have not won after {@link #PATIENCE_NANOS} stays on its scalar twins (a
 * machine whose vectors are slow, e.g. without FMA); after the last family the thread ends. Both paths give the same bits, so nothing the work computes
 * depends on when a family switched.
 */
public final class Warmup {

    /** Consecutive rounds the vector path must win before its family switches. */
    static final int WINS = 3;

    /** How long the thread keeps racing a family whose vector path has not won. */
    static final long PATIENCE_NANOS = 10_000_000_000L;

    /** The probes' dimension when none is given. */
    private static final int DEFAULT_D = 1024;

    /** The probes' batch size when none is given. */
    private static final int DEFAULT_BATCH = 64;

    /** Vector runs per round: they make the vector kernels hot sooner; only the last is timed. */
    private static final int VECTOR_RUNS = 4;

    /** The families a warm-up can race: those with a probe ({@link #probe}). */
    public static final List<KernelFamily> RACED = List.of(KernelFamily.GAUSSIAN, KernelFamily.GRADIENT,
            KernelFamily.DENSE);

    private static Warmup running;

    private final Thread thread;
    private final Map<KernelFamily, Long> switchedAfterNanos = new EnumMap<>(KernelFamily.class);
    private final long start = System.nanoTime();
    private final List<KernelFamily> order;
    private final long delayNanos;
    private final int d;
    private final int batch;

    private Warmup(final List<KernelFamily> order, final long delayNanos, final int d, final int batch) {
        this.order = order;
        this.delayNanos = delayNanos;
        this.d = d;
        this.batch = batch;
        for (final KernelFamily family : order) {
            family.use(KernelPath.SCALAR);
        }
        thread = Thread.ofPlatform().daemon().name("reluq-warmup").unstarted(this::race);
        thread.setPriority(Thread.MIN_PRIORITY);
    }

    /**
     * Starts the warm-up of every family, once per JVM: later calls return the running (or finished) one.
     * Call it first thing, before the work whose kernels it warms.
     */
    public static Warmup start() {
        return start(RACED, 0, DEFAULT_D, DEFAULT_BATCH);
    }

    /**
     * As {@link #start()} for the given families only, raced one after another in that order from
     * {@code delayNanos} on. The JIT's compiler threads then work on one family's vector kernels at a time,
     * so the first is ready soonest: put first what the job needs first and longest. The listed families use
     * their scalar twins from now on, the others stay on vectors; the delay spares a job that ends sooner the
     * cost of compiling vector kernels it would not use long enough to gain from (on two cores, racing slows
     * the work meanwhile). The probes work at the job's dimension {@code d} and batch size: C2 compiles the
     * kernels for the loops and branches it sees, and code compiled on another dimension's probe measured 20%
     * slower.
     */
    public static synchronized Warmup start(final List<KernelFamily> order, final long delayNanos, final int d,
                                            final int batch) {
        if (delayNanos < 0) {
            throw new IllegalArgumentException("warm-up delay must be >= 0 ns, got " + delayNanos);
        }
        if (d < 1) {
            throw new IllegalArgumentException("warm-up dimension must be >= 1, got " + d);
        }
        if (batch < 1) {
            throw new IllegalArgumentException("warm-up batch size must be >= 1, got " + batch);
        }
        if (running == null) {
            // a family whose rule keeps it on its scalar code here (or every family, without vectors) is not raced
            running = new Warmup(new java.util.LinkedHashSet<>(order).stream()
                    .filter(family -> RACED.contains(family) && family.vectorsPay()).toList(), delayNanos, d, batch);
            running.thread.start();
        }
        return running;
    }

    /** The warm-up this JVM started, if any. */
    public static synchronized java.util.Optional<Warmup> running() {
        return java.util.Optional.ofNullable(running);
    }

    /** Waits until the warm-up has finished (every family decided); for tests and benchmarks. */
    public void await() throws InterruptedException {
        thread.join();
    }

    /**
     * When each family that switched to vectors did, in nanoseconds after {@link #start()}; families still on
     * their scalar twins are missing.
     */
    public synchronized Map<KernelFamily, Long> switched() {
        return Map.copyOf(switchedAfterNanos);
    }

    private void race() {
        try {
            Thread.sleep(delayNanos / 1_000_000, (int) (delayNanos % 1_000_000));
        } catch (InterruptedException e) {
            return;
        }
        for (final KernelFamily family : order) {
            try (Probe probe = probe(family)) {
                if (vectorWins(probe, PATIENCE_NANOS)) {
                    family.use(KernelPath.VECTOR);
                    synchronized (this) {
                        switchedAfterNanos.put(family, System.nanoTime() - start);
                    }
                }
            }
        }
    }

    private Probe probe(final KernelFamily family) {
        return switch (family) {
            case GAUSSIAN -> new GenerationProbe(d);
            case GRADIENT -> new GradientProbe(d, batch);
            case DENSE -> new DenseProbe(d);
            case QUANTIZE, PACKING -> throw new IllegalArgumentException(family + " has no warm-up probe");
        };
    }

    /**
     * Races the probe's paths until its vector run has been the faster {@link #WINS} rounds in a row (true) or
     * {@code patienceNanos} have passed (false).
     */
    public static boolean vectorWins(final Probe probe, final long patienceNanos) {
        final long raceStart = System.nanoTime();
        int wins = 0;
        while (System.nanoTime() - raceStart < patienceNanos) {
            for (int r = 1; r < VECTOR_RUNS; r++) {
                probe.run(KernelPath.VECTOR);
            }
            final long vector = timed(probe, KernelPath.VECTOR);
            final long scalar = timed(probe, KernelPath.SCALAR);
            wins = vector < scalar ? wins + 1 : 0;
            if (wins == WINS) {
                return true;
            }
        }
        return false;
    }

    private static long timed(final Probe probe, final KernelPath path) {
        final long t0 = System.nanoTime();
        probe.run(path);
        return System.nanoTime() - t0;
    }
}
