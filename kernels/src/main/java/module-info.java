/**
 * reluq's kernels: off-heap arrays, the planted model, the ReLU kernels and trainers, QSGD, bit packing, Elias
 * codes and the gradient encoders. The Vector API is a static dependency: without {@code jdk.incubator.vector}
 * in the JVM every kernel runs on its scalar path ({@link org.reluq.kernels.simd.Vectorization}).
 */
// Agrona is an automatic module (its jar names itself org.agrona)
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module org.reluq.kernels {
    requires static jdk.incubator.vector;
    // the FMA and AVX choices read HotSpot's flags (com.sun.management)
    requires jdk.management;
    requires transitive org.agrona;

    exports org.reluq.kernels.codec;
    exports org.reluq.kernels.encoder;
    exports org.reluq.kernels.linalg;
    exports org.reluq.kernels.memory;
    exports org.reluq.kernels.model;
    exports org.reluq.kernels.parallel;
    exports org.reluq.kernels.qsgd;
    exports org.reluq.kernels.quant;
    exports org.reluq.kernels.random;
    exports org.reluq.kernels.relu;
    exports org.reluq.kernels.sgd;
    exports org.reluq.kernels.simd;
    exports org.reluq.kernels.warmup;

    uses org.reluq.kernels.encoder.EncoderProvider;
    provides org.reluq.kernels.encoder.EncoderProvider with org.reluq.kernels.encoder.Fp32EncoderProvider,
            org.reluq.kernels.encoder.QsgdEncoderProvider, org.reluq.kernels.encoder.Fp16EncoderProvider,
            org.reluq.kernels.encoder.Bf16EncoderProvider, org.reluq.kernels.encoder.SignEncoderProvider,
            org.reluq.kernels.encoder.ErrorFeedbackEncoderProvider, org.reluq.kernels.encoder.TernGradEncoderProvider,
            org.reluq.kernels.encoder.NaturalEncoderProvider, org.reluq.kernels.encoder.SparseEncoderProvider.TopK,
            org.reluq.kernels.encoder.SparseEncoderProvider.RandK;
}
