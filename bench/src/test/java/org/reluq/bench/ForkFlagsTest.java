package org.reluq.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.reluq.bench.suite.ForkFlags;

/** Only {@value ForkFlags#WITHOUT_VECTOR_MODULE} takes the module flag out of a fork's kernel flags. */
class ForkFlagsTest {

    private static final List<String> KERNEL = List.of("--add-modules=jdk.incubator.vector",
            "--enable-native-access=ALL-UNNAMED", "--add-modules", "jdk.incubator.vector", "-Xss2m");

    @Test
    void otherVariantsKeepEveryFlag() {
        assertEquals(KERNEL, ForkFlags.kernelFlags(KERNEL, List.of("-XX:UseAVX=2 -Dreluq.vector.bits=128")));
        assertEquals(KERNEL, ForkFlags.kernelFlags(KERNEL, List.of("-Dreluq.vector.module=absentee")));
    }

    @Test
    void theModuleAbsentVariantDropsBothSpellingsOfAddModules() {
        final List<String> expected = List.of("--enable-native-access=ALL-UNNAMED", "-Xss2m");
        assertEquals(expected, ForkFlags.kernelFlags(KERNEL, List.of(ForkFlags.WITHOUT_VECTOR_MODULE)));
        assertEquals(expected, ForkFlags.kernelFlags(KERNEL, List.of("-XX:UseAVX=0 " + ForkFlags.WITHOUT_VECTOR_MODULE)));
    }
}
