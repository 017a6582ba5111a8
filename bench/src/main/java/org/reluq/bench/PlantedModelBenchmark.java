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
 * Generating a planted model (X of about 400 MB and its labels) from one seed, allocation included, on 1
 * thread and on 2. One operation is one whole model: samples per second are rows x columns over its time.
 * Single-shot, since a model is a large one-off; the warm-up generations let C2 compile the kernels.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx2g"})
public class PlantedModelBenchmark {

    /** n x d: the default fit's d = 1024 and the large job's d = 8192 (n chosen so X is 400 or 320 MB). */
    @Param({"100000x1024", "10000x8192"})
    public String shape;

    /** Generator threads. */
    @Param({"1", "2"})
    public int threads;

    /** Generates and frees the model; returns the last label so nothing is dead code. */
    @Benchmark
    public float generate() {
        final Shape s = Shape.parse(shape);
        try (PlantedModel model = PlantedModel.generate(s.rows(), s.cols(), 1.0, BenchData.SEED, threads)) {
            return model.y().get(s.rows() - 1);
        }
    }
}
