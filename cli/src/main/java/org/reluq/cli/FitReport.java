package org.reluq.cli;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import org.reluq.kernels.qsgd.QsgdConfig;
import org.reluq.kernels.sgd.ProgressListener;
import org.reluq.kernels.sgd.SgdConfig;
import org.reluq.kernels.sgd.TrainingResult;
import org.reluq.kernels.simd.Vectorization;
import org.reluq.kernels.warmup.KernelFamily;
import org.reluq.kernels.warmup.Warmup;

/** What {@code reluq fit} prints: the settings, the data, the result and where the time went, as text or JSON. */
final class FitReport {

    /**
     * Where the time of a fit went, in nanoseconds.
     *
     * @param launchToMain from the launcher (or the process start) to {@code main}; -1 if unknown
     * @param options      from {@code main} to the start of the fit: parsing and checking the options
     * @param data         generating X, y and w*
     * @param init         computing w0
     * @param loop         the iterations
     * @param output       writing the CSV and the plot
     * @param sinceMain    from {@code main} to now
     */
    record Phases(long launchToMain, long options, long data, long init, long loop, long output, long sinceMain) {

        /** From the launch to now, or from {@code main} when the launch time is unknown. */
        long total() {
            return sinceMain + Math.max(0, launchToMain);
        }
    }

    private final FitSettings settings;

    FitReport(final FitSettings settings) {
        this.settings = settings;
    }

    void printSettings(final PrintWriter out) {
        out.println("reluq fit  " + settings.describe());
        final QsgdConfig quantized = settings.quantized();
        if (quantized != null) {
            out.printf(Locale.ROOT, "workers    %d, encoder %s, %d threads%n", quantized.workers(),
                    quantized.encoder().spec(), Math.min(quantized.threads(), quantized.workers()));
        }
        out.println("vectors    " + Vectorization.describe());
    }

    void printData(final PrintWriter out, final long dataNanos) {
        out.printf(Locale.ROOT, "data       %d x %d generated in %.3f s (%d threads)%n", settings.n(), settings.d(),
                dataNanos / 1e9, settings.dataThreads());
    }

    void printResult(final PrintWriter out, final PrintWriter err, final TrainingResult result, final Phases phases) {
        final SgdConfig sgd = settings.sgd();
        out.printf(Locale.ROOT, "init       %s, relative error %.4g (%.3f s)%n", sgd.init(), result.relativeError()[0],
                result.initNanos() / 1e9);
        if (result.iterations() == 0) {
            err.printf(Locale.ROOT, "reluq fit: warning: the initial error %.4g is already at or below --target-error "
                    + "%.2e: no iteration ran%n", result.relativeError()[0], sgd.targetError());
        }
        out.printf(Locale.ROOT, "result     %s after %d iterations: relative error %.4g%n", why(result),
                result.iterations(), result.finalRelativeError());
        out.printf(Locale.ROOT, "loop       %.3f s, %.0f iterations/s%s%n", result.loopNanos() / 1e9,
                result.iterationsPerSecond(), result.steadyIterationsPerSecond() == 0 ? ""
                        : String.format(Locale.ROOT, ", fastest %d iterations at %.0f /s", ProgressListener.INTERVAL,
                        result.steadyIterationsPerSecond()));
        final QsgdConfig quantized = settings.quantized();
        if (quantized != null) {
            final long bytes = result.totalWireBytes();
            out.printf(Locale.ROOT, "wire       %d bytes from workers to aggregator (%.4g bits per coordinate per "
                    + "worker and iteration, frame headers included)%n", bytes, result.iterations() == 0 ? 0.0
                    : 8.0 * bytes / ((double) result.iterations() * quantized.workers() * settings.d()));
        }
        out.println("weights    " + weightsLine(result.weights()));
        out.println("kernels    " + kernels());
        out.printf(Locale.ROOT, "phases     %s, options %.3f s, data %.3f s, init %.3f s, loop %.3f s, output %.3f s: "
                        + "%.3f s in all%n", phases.launchToMain() < 0 ? "JVM start to main unknown"
                        : String.format(Locale.ROOT, "JVM start to main %.3f s", phases.launchToMain() / 1e9),
                phases.options() / 1e9, phases.data() / 1e9, phases.init() / 1e9, phases.loop() / 1e9,
                phases.output() / 1e9, phases.total() / 1e9);
    }

    /** The final w as a checksum a user compares between runs: {@code crc32c 0x... of d float32}. */
    static String weightsLine(final float[] weights) {
        final java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        final java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(weights.length * Float.BYTES)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(weights);
        crc.update(bytes);
        return String.format(Locale.ROOT, "crc32c 0x%08x of the final w (%d float32)", crc.getValue(), weights.length);
    }

    void printJson(final PrintWriter out, final TrainingResult result, final Phases phases) {
        final SgdConfig sgd = settings.sgd();
        final JsonObject json = new JsonObject();
        final JsonObject s = new JsonObject();
        s.addProperty("d", settings.d());
        s.addProperty("n", settings.n());
        s.addProperty("batch", sgd.batchSize());
        s.addProperty("step", sgd.step());
        s.addProperty("stepRule", settings.stepRule());
        s.addProperty("iterations", sgd.maxIterations());
        s.addProperty("init", sgd.init().toString());
        s.addProperty("sampling", sgd.sampling().name().toLowerCase(Locale.ROOT));
        s.addProperty("seed", sgd.seed());
        s.addProperty("targetError", sgd.targetError());
        s.addProperty("norm", settings.norm());
        s.addProperty("dataThreads", settings.dataThreads());
        if (settings.quantized() != null) {
            s.addProperty("workers", settings.quantized().workers());
            s.addProperty("encoder", settings.quantized().encoder().spec());
            s.addProperty("workerThreads", settings.quantized().threads());
        }
        s.addProperty("vectors", Vectorization.describe());
        json.add("settings", s);
        final JsonObject p = new JsonObject();
        if (phases.launchToMain() >= 0) {
            p.addProperty("launchToMainSeconds", phases.launchToMain() / 1e9);
        }
        p.addProperty("optionsSeconds", phases.options() / 1e9);
        p.addProperty("dataSeconds", phases.data() / 1e9);
        p.addProperty("initSeconds", phases.init() / 1e9);
        p.addProperty("loopSeconds", phases.loop() / 1e9);
        p.addProperty("outputSeconds", phases.output() / 1e9);
        p.addProperty("totalSeconds", phases.total() / 1e9);
        json.add("phases", p);
        final JsonObject r = new JsonObject();
        r.addProperty("stop", result.stopReason().name().toLowerCase(Locale.ROOT).replace('_', '-'));
        r.addProperty("iterations", result.iterations());
        r.addProperty("initialRelativeError", result.relativeError()[0]);
        r.addProperty("relativeError", result.finalRelativeError());
        r.addProperty("iterationsPerSecond", result.iterationsPerSecond());
        r.addProperty("fastestIterationsPerSecond", result.steadyIterationsPerSecond());
        r.addProperty("wireBytes", result.totalWireBytes());
        r.addProperty("weights", weightsLine(result.weights()));
        json.add("result", r);
        final JsonObject k = new JsonObject();
        final Map<KernelFamily, Long> switched = Warmup.running().map(Warmup::switched).orElse(Map.of());
        for (final KernelFamily family : KernelFamily.values()) {
            final Long at = switched.get(family);
            k.addProperty(family.name().toLowerCase(Locale.ROOT), at != null ? String.format(Locale.ROOT,
                    "vector after %.3f s", at / 1e9) : family.path().name().toLowerCase(Locale.ROOT));
        }
        json.add("kernels", k);
        out.println(new GsonBuilder().setPrettyPrinting().create().toJson(json));
    }

    /**
     * Which path each kernel family ended on, and when a warm-up switched it to vectors (the times count from
     * the warm-up's start).
     */
    private static String kernels() {
        final Map<KernelFamily, Long> switched = Warmup.running().map(Warmup::switched).orElse(Map.of());
        final StringBuilder line = new StringBuilder();
        for (final KernelFamily family : KernelFamily.values()) {
            if (!line.isEmpty()) {
                line.append(", ");
            }
            final Long at = switched.get(family);
            line.append(family.name().toLowerCase(Locale.ROOT)).append(' ').append(at != null
                    ? String.format(Locale.ROOT, "vector from %.2f s", at / 1e9)
                    : family.path().name().toLowerCase(Locale.ROOT));
        }
        return line + (switched.isEmpty() && Warmup.running().isPresent()
                ? " (scalar twins, same bits; the run ended before the vector kernels were compiled)" : "");
    }

    private String why(final TrainingResult result) {
        return switch (result.stopReason()) {
            case TARGET_REACHED -> String.format(Locale.ROOT, "target %.2e reached", settings.sgd().targetError());
            case MAX_ITERATIONS -> "iteration budget spent";
            case DIVERGED -> "diverged";
        };
    }
}
