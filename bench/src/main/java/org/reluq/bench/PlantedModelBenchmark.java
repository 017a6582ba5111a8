package org.reluq.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.reluq.kernels.model.PlantedModel;

/**
 * Generating the planted model n = 100 000, d = 1 024 (X is 400 MB) from one seed, allocation included,
 * on 1 thread and on all. One operation is one whole model; single-shot, since a model is a large one-off.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx2g"})
public class PlantedModelBenchmark {

    /** Generator threads. */
    @Param({"1", "2"})
    public int threads;

    /** Generates and frees the model; returns a label so nothing is dead code. */
    @Benchmark
    public float generate() {
        try (PlantedModel model = PlantedModel.generate(100_000, 1024, 1.0, BenchData.SEED, threads)) {
            return model.y().get(99_999);
        }
    }
}
