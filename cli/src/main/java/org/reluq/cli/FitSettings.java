package org.reluq.cli;

import java.util.Locale;
import org.reluq.kernels.qsgd.QsgdConfig;
import org.reluq.kernels.sgd.Sampling;
import org.reluq.kernels.sgd.SgdConfig;

/**
 * The checked settings of one {@code reluq fit}.
 *
 * @param d           dimension
 * @param n           samples
 * @param norm        ||w*||
 * @param sgd         the SGD parameters
 * @param quantized   the quantized run's parameters, or null for plain SGD
 * @param dataThreads threads that generate the data
 * @param stepRule    how the default step was chosen, or "" when --step was given
 */
record FitSettings(int d, int n, double norm, SgdConfig sgd, QsgdConfig quantized, int dataThreads,
                   String stepRule) {

    /** One line of {@code key=value} settings, as the text output and the CSV comment show them. */
    String describe() {
        return String.format(Locale.ROOT, "d=%d n=%d batch=%d step=%.6g%s init=%s sampling=%s seed=%d target=%.2e "
                        + "norm=%s iters=%d%s", d, n, sgd.batchSize(), sgd.step(),
                stepRule.isEmpty() ? "" : " (" + stepRule + ")", sgd.init(),
                sgd.sampling() == Sampling.WITH_REPLACEMENT ? "with-replacement" : "without-replacement", sgd.seed(),
                sgd.targetError(), norm, sgd.maxIterations(), quantized == null ? ""
                        : String.format(Locale.ROOT, " workers=%d encoder=%s threads=%d", quantized.workers(),
                        quantized.encoder().spec(), quantized.threads()));
    }
}
