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
import org.reluq.kernels.encoder.Encoder;
import org.reluq.kernels.encoder.Encoders;
import org.reluq.kernels.model.PlantedModel;
import org.reluq.kernels.qsgd.QsgdConfig;
import org.reluq.kernels.qsgd.QsgdStepper;
import org.reluq.kernels.sgd.Init;
import org.reluq.kernels.sgd.Sampling;
import org.reluq.kernels.sgd.SgdConfig;
import org.reluq.kernels.sgd.SgdStepper;
import org.reluq.kernels.sgd.Stepper;

/**
 * One quantized-SGD iteration with K workers on one thread (draw the batch, K shares' gradients, encode,
 * decode-and-accumulate, update) against one plain SGD iteration at the same size, in iterations per
 * second: the cost of quantization. n = 10 d.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx4g"})
public class QsgdStepBenchmark {

    /** {@code d x m}: dimension and batch size. */
    @Param({"8192x512"})
    public String shape;

    /** Workers K. */
    @Param({"4"})
    public int workers;

    /** The encoder ({@code ;} for {@code ,} so JMH's -p can carry it), or {@code sgd} for plain SGD. */
    @Param({"sgd", "fp32", "qsgd:s=4;bucket=512;code=packed", "qsgd:s=4;bucket=512;code=elias"})
    public String encoder;

    PlantedModel model;
    Stepper stepper;

    /** Generates the model and the stepper at the moment init. */
    @Setup(Level.Trial)
    public void setUp() {
        final Shape s = Shape.parse(shape);
        final int d = s.rows();
        final int m = s.cols();
        model = PlantedModel.generate(10 * d, d, 1.0, BenchData.SEED);
        if (encoder.equals("sgd")) {
            stepper = new SgdStepper(model, config(m, SgdConfig.defaultStep(m, d)));
        } else {
            final Encoder e = Encoders.parse(encoder.replace(';', ','));
            stepper = new QsgdStepper(model, new QsgdConfig(config(m, QsgdConfig.defaultStep(m, d, e)), workers, e, 1));
        }
    }

    private static SgdConfig config(final int m, final float step) {
        return new SgdConfig(m, step, Integer.MAX_VALUE, Init.MOMENT, Sampling.WITH_REPLACEMENT, BenchData.SEED, 0);
    }

    /** One iteration; returns the batch loss. */
    @Benchmark
    public double step() {
        return stepper.step();
    }

    /** Frees everything. */
    @TearDown(Level.Trial)
    public void tearDown() {
        stepper.close();
        model.close();
    }
}
