package org.reluq.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.annotations.Param;
import org.reluq.kernels.encoder.Encoders;
import org.reluq.kernels.model.PlantedModel;
import org.reluq.kernels.qsgd.QsgdConfig;
import org.reluq.kernels.qsgd.QsgdTrainer;
import org.reluq.kernels.quant.Qsgd;
import org.reluq.kernels.relu.ParallelGradient;
import org.reluq.kernels.quant.QsgdParams;
import org.reluq.kernels.sgd.Init;
import org.reluq.kernels.sgd.Sampling;
import org.reluq.kernels.sgd.SgdConfig;
import org.reluq.kernels.sgd.SgdStepper;
import org.reluq.kernels.sgd.SgdTrainer;
import org.reluq.kernels.sgd.TrainingResult;
import org.reluq.kernels.simd.Species;
import org.reluq.kernels.warmup.KernelFamily;
import org.reluq.kernels.warmup.KernelPath;
import org.reluq.verify.ErrorBounds;
import org.reluq.verify.ReferenceBitPacking;
import org.reluq.verify.GradientBounds;
import org.reluq.verify.ReferenceKernels;
import org.reluq.verify.ReferencePlantedModel;

/**
 * Runs every benchmark body once over its whole parameter grid and checks its answer against the verify
 * module's references, so a benchmark can never silently time a wrong result.
 */
class BenchmarkAnswersTest {

    static Stream<Arguments> bitPackGrid() {
        return IntStream.of(1, 2, 3, 4, 8, 16).boxed().flatMap(bits ->
                Stream.of(BitPackBenchmark.Impl.values()).map(impl -> Arguments.of(impl, bits)));
    }

    @ParameterizedTest(name = "{0} {1} bits")
    @MethodSource("bitPackGrid")
    void bitPackBenchmarkRoundTripsAndVectorMatchesTheReference(final BitPackBenchmark.Impl impl, final int bits) {
        final BitPackBenchmark bench = new BitPackBenchmark();
        bench.impl = impl;
        bench.bits = bits;
        bench.setUp();
        try {
            bench.pack();
            bench.unpack();
            assertArrayEquals(bench.valuesHeap, bench.unpackedValues(), "round trip");
            if (impl == BitPackBenchmark.Impl.VECTOR || impl == BitPackBenchmark.Impl.SCALAR) {
                assertArrayEquals(ReferenceBitPacking.pack(bench.valuesHeap, bits),
                        bench.packed.toArray(ValueLayout.JAVA_BYTE), "packed bytes");
            }
        } finally {
            bench.tearDown();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("encoderGrid")
    void encoderBenchmarkRoundTripsToTheQuantizedGradient(final String spec) {
        final EncoderBenchmark bench = new EncoderBenchmark();
        bench.encoder = spec;
        bench.setUp();
        try {
            assertTrue(bench.encode() > 0);
            bench.decode();
            final float[] g = bench.g.toArray();
            final float[] decoded = bench.out.toArray();
            if (spec.equals("fp32")) {
                assertArrayEquals(g, decoded, "fp32 is lossless");
            } else if (spec.contains("topk:") || spec.startsWith("randk:")) {
                // k coordinates kept, as they are (topk: the largest magnitudes) or scaled by d/k (randk); the rest 0.
                // ef(topk) has encoded g before (the benchmark's set-up), so it sends the top k of g plus its
                // residual: k values with g's signs
                final int k = Integer.parseInt(spec.replaceAll("[^0-9]", ""));
                final float ratio = (float) ((double) g.length / k);
                int kept = 0;
                float smallestKept = Float.POSITIVE_INFINITY;
                float largestDropped = 0;
                for (int j = 0; j < g.length; j++) {
                    if (decoded[j] != 0) {
                        kept++;
                        smallestKept = Math.min(smallestKept, Math.abs(g[j]));
                        if (spec.startsWith("ef(")) {
                            assertEquals(Math.signum(g[j]), Math.signum(decoded[j]), spec + " sign at " + j);
                        } else {
                            assertEquals(spec.startsWith("randk") ? g[j] * ratio : g[j], decoded[j],
                                    spec + " value at " + j);
                        }
                    } else {
                        largestDropped = Math.max(largestDropped, Math.abs(g[j]));
                    }
                }
                assertEquals(k, kept, spec + " keeps k");
                if (spec.startsWith("topk")) {
                    assertTrue(smallestKept >= largestDropped, spec + " keeps the largest magnitudes");
                }
            } else if (spec.equals("sign") || spec.startsWith("ef(")) {
                // one scale m > 0, and (for sign; ef's residual moves the signs) minus exactly where g is negative
                final float m = Math.abs(decoded[0]);
                assertTrue(m > 0, spec + " scale");
                for (int j = 0; j < g.length; j++) {
                    assertEquals(m, Math.abs(decoded[j]), spec + " magnitude at " + j);
                    if (spec.equals("sign")) {
                        assertEquals(g[j] < 0, decoded[j] < 0, "sign at " + j);
                    }
                }
            } else {
                // a quantized coordinate has the sign of the original (or is 0) and magnitude at most its bucket norm
                for (int j = 0; j < g.length; j++) {
                    assertTrue(decoded[j] == 0 || Math.signum(decoded[j]) == Math.signum(g[j]), "sign at " + j);
                }
                // the compressors round-trip the same codes, so they decode exactly what reluq's packed QSGD does
                if (bench.isCompressor()) {
                    final EncoderBenchmark reference = new EncoderBenchmark();
                    reference.encoder = "qsgd:s=1,bucket=512,code=packed";
                    reference.setUp();
                    try {
                        reference.decode();
                        assertArrayEquals(reference.out.toArray(), decoded, "compressor round trip");
                    } finally {
                        reference.tearDown();
                    }
                }
            }
            final double bits = bench.bitsPerCoordinate();
            assertTrue(bits > 0 && bits <= 32.01, spec + ": " + bits + " bits per coordinate");
        } finally {
            bench.tearDown();
        }
    }

    static Stream<String> encoderGrid() throws NoSuchFieldException {
        return Stream.of(EncoderBenchmark.class.getField("encoder").getAnnotation(Param.class).value());
    }

    @ParameterizedTest(name = "{0} s={1} d={2} bucket={3}")
    @MethodSource("quantizeGrid")
    void quantizeBenchmarkAgreesWithTheEncoder(final QuantizeBenchmark.Impl impl, final int s, final int d,
                                               final String bucket) {
        final QuantizeBenchmark bench = new QuantizeBenchmark();
        bench.impl = impl;
        bench.s = s;
        bench.d = d;
        bench.bucket = bucket;
        bench.setUp();
        try {
            final double answer = bench.quantize();
            switch (impl) {
                case VECTOR, SCALAR, VECTOR16, SCALAR16 -> {
                    assertEquals(bench.encoder.maxFrameBytes(d), answer, "a packed frame has its full size");
                    // the frame is the same bytes on the other path
                    final byte[] frame = new byte[(int) answer];
                    bench.frame.getBytes(0, frame);
                    final KernelPath other = impl == QuantizeBenchmark.Impl.VECTOR
                            || impl == QuantizeBenchmark.Impl.VECTOR16 ? KernelPath.SCALAR : KernelPath.VECTOR;
                    KernelFamily.QUANTIZE.use(other);
                    KernelFamily.PACKING.use(other);
                    final UnsafeBuffer again = new UnsafeBuffer(new byte[frame.length]);
                    bench.encoder.encode(bench.v, BenchData.SEED, 7, bench.state, again, 0);
                    assertArrayEquals(frame, again.byteArray(), "the frame on the " + other + " path");
                }
                case NAIVE -> {
                    // the scalar loop's codes are the encoder's: unpack the encoder's frame and compare
                    final QsgdParams params = new QsgdParams(s, bench.bucketSize());
                    final float[] norms = new float[params.bucketCount(d)];
                    try (Arena arena = Arena.ofConfined()) {
                        final MemorySegment codes = arena.allocate(4L * d, 64);
                        Qsgd.quantize(bench.v, params, BenchData.SEED, 7, norms, codes,
                                new org.reluq.kernels.quant.QsgdWorkspace());
                        assertArrayEquals(codes.toArray(ValueLayout.JAVA_INT), bench.codes, "codes");
                    }
                    assertEquals((d * (long) params.codeBits() + 63) / 64, answer, "packed words");
                }
                case READ -> {
                    double sum = 0;
                    double magnitude = 0;
                    for (final float x : bench.v.toArray()) {
                        sum += x;
                        magnitude += Math.abs(x);
                    }
                    // eight accumulators of LANES lanes, then a fixed tree
                    assertEquals(sum, answer, ErrorBounds.gamma(d / (8L * Species.LANES) + 16) * magnitude, "sum");
                }
            }
        } finally {
            bench.tearDown();
        }
    }

    static Stream<Arguments> quantizeGrid() throws NoSuchFieldException {
        // the benchmark's own grid, read from its @Param annotations so the two cannot drift apart
        final String[] levels = QuantizeBenchmark.class.getField("s").getAnnotation(Param.class).value();
        final String[] dims = QuantizeBenchmark.class.getField("d").getAnnotation(Param.class).value();
        final String[] buckets = QuantizeBenchmark.class.getField("bucket").getAnnotation(Param.class).value();
        return Stream.of(QuantizeBenchmark.Impl.values()).flatMap(impl -> Stream.of(levels).flatMap(s ->
                Stream.of(dims).flatMap(d -> Stream.of(buckets).map(bucket ->
                        Arguments.of(impl, Integer.parseInt(s), Integer.parseInt(d), bucket)))));
    }

    /** Every shape and implementation of the two matrix benchmarks (they share {@link MatrixBenchmark}'s grid). */
    static Stream<Arguments> matrixGrid() {
        return Stream.of("512x1024", "4096x8192").flatMap(shape ->
                Stream.of(MatrixBenchmark.Impl.values()).map(impl -> Arguments.of(shape, impl)));
    }

    static Stream<Arguments> stepGrid() {
        return Stream.of("1024x64", "8192x512").flatMap(shape ->
                Stream.of(SgdStepBenchmark.Impl.values()).map(impl -> Arguments.of(shape, impl)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("matrixGrid")
    void gradientBenchmarkComputesTheGradient(final String shape, final MatrixBenchmark.Impl impl) {
        final ReluGradientBenchmark bench = new ReluGradientBenchmark();
        bench.shape = shape;
        bench.impl = impl;
        bench.setUp();
        try {
            final double answer = bench.gradient();
            final float[][] x = bench.data.model.x().toArray();
            if (impl == MatrixBenchmark.Impl.READ) {
                assertSumOfMatrix(x, answer);
                return;
            }
            final float[] y = bench.data.model.y().toArray();
            final float[] w = bench.data.w.toArray();
            final int[] rows = ReferenceKernels.allRows(x.length);
            final float[] g = bench.gradientOutput();
            assertNotNull(g);
            final String violation = GradientBounds.violation(x, y, w, rows, bench.data.model.x().strideFloats(), g, answer);
            assertEquals(null, violation, impl + " " + shape);
        } finally {
            bench.tearDown();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("matrixGrid")
    void forwardBenchmarkComputesTheForwardPass(final String shape, final MatrixBenchmark.Impl impl) {
        final ReluForwardBenchmark bench = new ReluForwardBenchmark();
        bench.shape = shape;
        bench.impl = impl;
        bench.setUp();
        try {
            final float answer = bench.forward();
            final float[][] x = bench.data.model.x().toArray();
            if (impl == MatrixBenchmark.Impl.READ) {
                assertSumOfMatrix(x, answer);
                return;
            }
            final float[] w = bench.data.w.toArray();
            final float[] out = bench.forwardOutput();
            final double[] expected = ReferenceKernels.forward(x, w);
            for (int i = 0; i < x.length; i++) {
                final double bound = ErrorBounds.dot(bench.data.model.x().strideFloats(), ReferenceKernels.absDot(x[i], w));
                assertTrue(Math.abs(out[i] - expected[i]) <= bound, impl + " row " + i);
            }
            assertEquals(out[0], answer);
        } finally {
            bench.tearDown();
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("stepGrid")
    void sgdStepBenchmarkTakesARealStep(final String shape, final SgdStepBenchmark.Impl impl) {
        final SgdStepBenchmark bench = new SgdStepBenchmark();
        bench.shape = shape;
        bench.impl = impl;
        bench.setUp();
        try {
            final Shape s = Shape.parse(shape);
            if (impl == SgdStepBenchmark.Impl.READ) {
                final float sum = (float) bench.step();
                double expected = 0;
                double condition = 0;
                for (final int r : bench.rows) {
                    for (final float v : bench.model.x().row(r)) {
                        expected += v;
                        condition += Math.abs(v);
                    }
                }
                // each lane of the first of eight accumulators adds at most m/8 + m%8 rows' share (the leftover
                // rows go there too), then a fixed tree of adds
                final long rowsInFirst = s.cols() / 8 + s.cols() % 8;
                final long chain = rowsInFirst * s.rows() / Species.LANES + 16;
                assertEquals(expected, sum, ErrorBounds.gamma(chain) * condition);
                return;
            }
            // the benchmark's stepper after one step equals an independent stepper after one step,
            // and that step lowered the error from the moment init (the step size is a stable one)
            final double before = bench.stepper.relativeError();
            final double loss = bench.step();
            final SgdConfig config = new SgdConfig(s.cols(), SgdConfig.defaultStep(s.cols(), s.rows()), 1,
                    Init.MOMENT, Sampling.WITH_REPLACEMENT, BenchData.SEED, 0);
            try (SgdStepper reference = new SgdStepper(bench.model, config)) {
                assertEquals(reference.step(), loss);
                assertEquals(reference.relativeError(), bench.stepper.relativeError());
            }
            assertTrue(Double.isFinite(loss) && loss > 0);
            assertTrue(bench.stepper.relativeError() < before, "one step from the moment init improves w");
        } finally {
            bench.tearDown();
        }
    }

    static Stream<Arguments> rooflineGrid() {
        return Stream.of(524_288L, 8_388_608L, 1_073_741_824L).flatMap(bytes -> Stream.of(1, 2)
                .map(threads -> Arguments.of(bytes, threads)));
    }

    @ParameterizedTest(name = "{0} bytes on {1} threads")
    @MethodSource("rooflineGrid")
    void rooflineReadsEveryByte(final long workingSet, final int threads) {
        final RooflineBenchmark bench = new RooflineBenchmark();
        bench.workingSet = workingSet;
        bench.threads = threads;
        bench.setUp();
        try {
            // ones summed by lanes and parts: every float partial sum is an integer below 2^24, so exact
            assertEquals((double) RooflineBenchmark.repeats(workingSet) * workingSet / Float.BYTES, bench.read(), 0.0);
        } finally {
            bench.tearDown();
        }
    }

    @Test
    void fmaPeakComputesItsRecurrence() {
        // every chain runs x <- fma(x, a, b) 4096 times from its own start; the answer is the sum of all lanes
        final FmaPeakBenchmark bench = new FmaPeakBenchmark();
        double expected = 0;
        for (int chain = 0; chain < 16; chain++) {
            float value = new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f, 0.7f, 0.8f, 0.9f, 1.0f, 1.1f, 1.2f, 1.3f,
                1.4f, 1.5f, 1.6f}[chain];
            for (int i = 0; i < FmaPeakBenchmark.STEPS; i++) {
                value = Math.fma(value, bench.a, bench.b);
            }
            expected += (double) value * Species.LANES;
        }
        assertEquals(expected, bench.fma(), 1e-5 * expected);
    }

    static Stream<Arguments> parallelQuantizeGrid() {
        return Stream.of(1_048_576, 16_777_216).flatMap(d -> Stream.of(1, 2).map(threads -> Arguments.of(d, threads)));
    }

    @ParameterizedTest(name = "d={0} threads={1}")
    @MethodSource("parallelQuantizeGrid")
    void parallelQuantizeBenchmarkWritesTheOneThreadFrame(final int d, final int threads) {
        final ParallelQuantizeBenchmark bench = new ParallelQuantizeBenchmark();
        bench.d = d;
        bench.threads = threads;
        bench.setUp();
        try {
            final int length = bench.quantize();
            final UnsafeBuffer serial = new UnsafeBuffer(new byte[bench.encoder.maxFrameBytes(d)]);
            assertEquals(bench.encoder.encode(bench.v, BenchData.SEED, 7, bench.state, serial, 0), length);
            for (int i = 0; i < length; i++) {
                if (serial.getByte(i) != bench.frame.getByte(i)) {
                    throw new AssertionError("frames differ at byte " + i + " on " + threads + " threads");
                }
            }
        } finally {
            bench.tearDown();
        }
    }

    static Stream<Arguments> parallelGrid() {
        return Stream.of("512x1024", "4096x8192").flatMap(shape -> Stream.of(1, 2).flatMap(threads ->
                Stream.of(ParallelGradientBenchmark.Impl.values()).map(impl -> Arguments.of(shape, threads, impl))));
    }

    @ParameterizedTest(name = "{0} threads={1} {2}")
    @MethodSource("parallelGrid")
    void parallelGradientBenchmarkComputesTheGradient(final String shape, final int threads,
                                                      final ParallelGradientBenchmark.Impl impl) {
        final ParallelGradientBenchmark bench = new ParallelGradientBenchmark();
        bench.shape = shape;
        bench.threads = threads;
        bench.impl = impl;
        bench.setUp();
        try {
            final double answer = bench.gradient();
            final float[][] x = bench.data.model.x().toArray();
            if (impl == ParallelGradientBenchmark.Impl.READ) {
                // eight parts, each summed as the one-thread probe sums, then added in order
                assertSumOfMatrix(x, answer, ParallelGradient.BLOCKS);
                return;
            }
            final String violation = GradientBounds.violation(x, bench.data.model.y().toArray(), bench.data.w.toArray(),
                    ReferenceKernels.allRows(x.length), bench.data.model.x().strideFloats(), bench.g.toArray(), answer);
            assertEquals(null, violation, shape + " on " + threads + " threads");
        } finally {
            bench.tearDown();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sgd", "fp32", "qsgd:s=4;bucket=512;code=packed", "qsgd:s=4;bucket=512;code=elias"})
    void qsgdStepBenchmarkTakesTheStepOfItsEncoder(final String encoder) {
        final QsgdStepBenchmark bench = new QsgdStepBenchmark();
        bench.shape = "8192x512";
        bench.workers = 4;
        bench.encoder = encoder;
        bench.setUp();
        try {
            // the benchmark's stepper after one step equals an independent trainer's first iteration
            final double loss = bench.step();
            final int d = 8192;
            final SgdConfig sgd = new SgdConfig(512, encoder.equals("sgd") ? SgdConfig.defaultStep(512, d)
                    : QsgdConfig.defaultStep(512, d, Encoders.parse(encoder.replace(';', ','))), 1,
                    Init.MOMENT, Sampling.WITH_REPLACEMENT, BenchData.SEED, 0);
            final TrainingResult reference = encoder.equals("sgd") ? SgdTrainer.train(bench.model, sgd)
                    : QsgdTrainer.train(bench.model, new QsgdConfig(sgd, 4, Encoders.parse(encoder.replace(';', ',')), 2));
            assertEquals((float) loss, reference.loss()[0]);
            assertEquals((float) bench.stepper.relativeError(), reference.relativeError()[1]);
            assertTrue(reference.relativeError()[1] < reference.relativeError()[0], "one step improves w");
        } finally {
            bench.tearDown();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"100000x1024", "10000x8192"})
    void plantedModelBenchmarkGeneratesTheSameModelOnAnyThreadCount(final String shape) {
        final PlantedModelBenchmark bench = new PlantedModelBenchmark();
        bench.shape = shape;
        bench.threads = 1;
        final float one = bench.generate();
        bench.threads = 2;
        assertEquals(one, bench.generate());
        final Shape s = Shape.parse(shape);
        try (PlantedModel model = PlantedModel.generate(s.rows(), s.cols(), 1.0, BenchData.SEED)) {
            final double z = ReferencePlantedModel.labelDot(model.x().row(s.rows() - 1), model.wStar().toArray());
            assertEquals((float) Math.max(0, z), one, "the label of the last row, in the definition's order");
        }
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("momentInitGrid")
    void momentInitBenchmarkComputesTheMomentEstimatorOrReadsX(final String shape, final MomentInitBenchmark.Impl impl) {
        final MomentInitBenchmark bench = new MomentInitBenchmark();
        bench.shape = shape;
        bench.impl = impl;
        bench.setUp();
        try {
            final float answer = bench.init();
            final float[][] x = bench.data.model.x().toArray();
            if (impl == MomentInitBenchmark.Impl.READ) {
                assertSumOfMatrix(x, answer);
                return;
            }
            // w0_0 = (2/n) sum_i y_i x_i0, in double; the kernel's float error is within the gradient's bound at w = 0
            final float[] y = bench.data.model.y().toArray();
            double exact = 0;
            double condition = 0;
            for (int i = 0; i < x.length; i++) {
                exact += (double) y[i] * x[i][0];
                condition += Math.abs((double) y[i] * x[i][0]);
            }
            exact *= 2.0 / x.length;
            assertEquals(exact, answer, ErrorBounds.gamma(x.length + 8) * 2.0 / x.length * condition, "w0[0]");
        } finally {
            bench.tearDown();
        }
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.EnumSource(org.reluq.kernels.warmup.KernelPath.class)
    void gaussianBenchmarkDrawsTheReferenceNormals(final org.reluq.kernels.warmup.KernelPath path) {
        final GaussianBenchmark bench = new GaussianBenchmark();
        bench.path = path;
        bench.setUp();
        try {
            bench.fill();
            final float last = bench.fill();
            assertEquals(org.reluq.verify.ReferenceGaussian.sample(BenchData.SEED, org.reluq.kernels.random.RandomStream.DATA,
                    2L * GaussianBenchmark.COUNT - 1), last, "the second fill's last draw");
            final float[] drawn = bench.out.toArray();
            for (int i = 0; i < 4096; i += 37) {
                assertEquals(org.reluq.verify.ReferenceGaussian.sample(BenchData.SEED,
                        org.reluq.kernels.random.RandomStream.DATA, GaussianBenchmark.COUNT + i), drawn[i], "draw " + i);
            }
        } finally {
            bench.tearDown();
        }
    }

    static Stream<Arguments> momentInitGrid() {
        return Stream.of("10240x1024", "20480x8192").flatMap(shape ->
                Stream.of(MomentInitBenchmark.Impl.values()).map(impl -> Arguments.of(shape, impl)));
    }

    private static void assertSumOfMatrix(final float[][] x, final double answer) {
        assertSumOfMatrix(x, answer, 0);
    }

    /** As above, with {@code extraAdds} more additions in the chain of every term (parts added at the end). */
    private static void assertSumOfMatrix(final float[][] x, final double answer, final int extraAdds) {
        double expected = 0;
        double condition = 0;
        for (final float[] row : x) {
            for (final float v : row) {
                expected += v;
                condition += Math.abs(v);
            }
        }
        // eight accumulators of LANES lanes each sum an eighth of a lane's share, then a fixed tree of adds
        final long terms = (long) x.length * x[0].length;
        assertEquals(expected, answer, ErrorBounds.gamma(terms / (8L * Species.LANES) + 16 + extraAdds) * condition);
    }
}
