package org.reluq.bench.suite;

/**
 * What one operation of a benchmark moves, for its place against the roofline: the bytes it must read (or write)
 * at least once, the size of the data it works on (which decides the level of the memory hierarchy it streams
 * from), or the floating-point operations of the FMA probe.
 *
 * @param bytes      bytes per operation (0 when not memory-bound: the FMA probe); fractional for per-value
 *                   operations
 * @param workingSet bytes of the data the operation touches
 * @param flops      floating-point operations per operation (the FMA probe only)
 */
public record Workload(double bytes, long workingSet, long flops) {

    /** A memory-bound operation that reads its whole working set once. */
    static Workload reads(final long bytes) {
        return new Workload(bytes, bytes, 0);
    }
}
