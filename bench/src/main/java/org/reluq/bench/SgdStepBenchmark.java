package org.reluq.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.reluq.bench.baseline.ReadProbe;
import org.reluq.kernels.model.PlantedModel;
import org.reluq.kernels.sgd.BatchSampler;
import org.reluq.kernels.sgd.Init;
import org.reluq.kernels.sgd.Sampling;
import org.reluq.kernels.sgd.SgdConfig;
import org.reluq.kernels.sgd.SgdStepper;

/**
 * One whole SGD iteration (draw m indices, fused gradient over those rows in place, update fused with the
 * distance to w*) on n = 10 d samples, in throughput (iterations per second). READ is the roofline of the
 * same access pattern: draw the indices and read exactly those m rows once.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx4g"})
public class SgdStepBenchmark {

    /** What one iteration does. */
    public enum Impl {
        /** reluq's SGD step. */
        VECTOR,
        /** Not a step: draw the batch and read its rows once (the roofline). */
        READ
    }

    /** {@code d x m}: dimension and batch size; n = 10 d. */
    @Param({"1024x64", "8192x512"})
    public String shape;

    /** The implementation. */
    @Param
    public Impl impl;

    PlantedModel model;
    SgdStepper stepper;
    BatchSampler sampler;
    int[] rows;

    /** Generates the planted model (n = 10 d) and a stepper at the moment init. */
    @Setup(Level.Trial)
    public void setUp() {
        final Shape s = Shape.parse(shape);
        final int d = s.rows();
        final int m = s.cols();
        model = PlantedModel.generate(10 * d, d, 1.0, BenchData.SEED);
        final SgdConfig config = new SgdConfig(m, SgdConfig.defaultStep(m, d), Integer.MAX_VALUE, Init.MOMENT,
                Sampling.WITH_REPLACEMENT, BenchData.SEED, 0);
        stepper = new SgdStepper(model, config);
        sampler = new BatchSampler(model.n(), m, Sampling.WITH_REPLACEMENT, BenchData.SEED);
        rows = new int[m];
    }

    /** One iteration; returns the batch loss (or the probe's sum). */
    @Benchmark
    public double step() {
        if (impl == Impl.READ) {
            sampler.next(rows);
            return ReadProbe.sumRows(model.x(), rows);
        }
        return stepper.step();
    }

    /** Frees everything. */
    @TearDown(Level.Trial)
    public void tearDown() {
        stepper.close();
        model.close();
    }
}
