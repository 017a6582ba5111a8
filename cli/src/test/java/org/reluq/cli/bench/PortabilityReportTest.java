package org.reluq.cli.bench;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cross-variant tables, on results chosen so every cell can be worked out. */
class PortabilityReportTest {

    private static JmhResult gradient(final String impl, final double microseconds, final double error) {
        return new JmhResult("org.reluq.bench.ReluGradientBenchmark.gradient", "avgt", 1, 1,
                Map.of("impl", impl, "shape", "512x1024"), microseconds, error, "us/op");
    }

    @Test
    void eachCellIsTheTimeAndTheSpeedAgainstTheBaselineOfItsOwnVariant() {
        final Map<JvmVariant, List<JmhResult>> results = new LinkedHashMap<>();
        final JvmVariant wide = JvmVariant.none();
        final JvmVariant narrow = JvmVariant.parse("-XX:UseAVX=0").get(0);
        // a forward row of the same method name and parameters must not serve as the gradient's baseline
        final JmhResult forward = new JmhResult("org.reluq.bench.ReluForwardBenchmark.gradient", "avgt", 1, 1,
                Map.of("impl", "BLAS", "shape", "512x1024"), 1, 0, "us/op");
        results.put(wide, List.of(forward, gradient("VECTOR", 50, 5), gradient("BLAS", 100, 10)));
        // no BLAS row in the second variant: its VECTOR cell has a time and no ratio
        results.put(narrow, List.of(gradient("VECTOR", 400, Double.NaN)));
        final String md = PortabilityReport.tables(results);
        for (final String row : List.of(
                "| parameters | `default` | `-XX:UseAVX=0` |",
                "| impl=VECTOR shape=512x1024 | 50.00 µs ± 10%, **2.00×** | 400.00 µs |",
                "| impl=BLAS shape=512x1024 | 100.00 µs ± 10% | - |")) {
            assertTrue(md.contains(row), "missing row\n" + row + "\nin\n" + md);
        }
        final String variants = PortabilityReport.variants(Map.of(narrow, List.of("path: float x4", "isa: sse4_2")));
        assertTrue(variants.contains("| `-XX:UseAVX=0` | path: float x4<br>isa: sse4_2 |"), variants);
    }
}
