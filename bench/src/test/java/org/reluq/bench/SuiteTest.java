package org.reluq.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.annotations.Param;
import org.reluq.bench.suite.BenchmarkInfo;
import org.reluq.bench.suite.Suite;

/** The suite's declarations agree with the benchmark classes they describe, and every benchmark is declared. */
class SuiteTest {

    /** The benchmark classes JMH's annotation processor found (its BenchmarkList), by simple name. */
    private static Set<String> benchmarkClasses() throws IOException {
        final Set<String> names = new TreeSet<>();
        try (InputStream in = SuiteTest.class.getResourceAsStream("/META-INF/BenchmarkList")) {
            assertNotNull(in, "JMH's BenchmarkList");
            for (final String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                final int at = line.indexOf("org.reluq.bench.");
                if (at >= 0) {
                    names.add(line.substring(at + "org.reluq.bench.".length()).split("[ .]")[0]);
                }
            }
        }
        return names;
    }

    @Test
    void everyBenchmarkIsInTheSuiteOnce() throws IOException {
        final List<String> declared = Suite.ALL.stream().map(BenchmarkInfo::name).toList();
        assertEquals(declared.size(), new TreeSet<>(declared).size(), "a benchmark declared twice: " + declared);
        assertEquals(benchmarkClasses(), new TreeSet<>(declared));
    }

    @Test
    void baselinesQuickGridsAndThreadParametersNameRealParameters() throws ReflectiveOperationException {
        for (final BenchmarkInfo info : Suite.ALL) {
            final Class<?> type = Class.forName("org.reluq.bench." + info.name());
            if (info.baselineParam() != null) {
                final List<String> values = values(type, info.baselineParam());
                assertTrue(values.contains(info.baselineValue()),
                        info.name() + ": baseline " + info.baselineParam() + "=" + info.baselineValue() + " not in " + values);
            }
            assertEquals(info.threadParam(), field(type, "threads") != null, info.name() + ": threads parameter");
            for (final String setting : info.quickParams()) {
                final String name = setting.substring(0, setting.indexOf('='));
                final List<String> allowed = values(type, name);
                for (final String value : setting.substring(setting.indexOf('=') + 1).split(",")) {
                    assertTrue(allowed.contains(value), info.name() + ": quick " + name + "=" + value);
                }
            }
        }
    }

    private static Field field(final Class<?> type, final String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (final Field f : c.getDeclaredFields()) {
                if (f.getName().equals(name) && f.isAnnotationPresent(Param.class)) {
                    return f;
                }
            }
        }
        return null;
    }

    /** A parameter's values: its @Param list, or the constants of its enum when it lists none. */
    private static List<String> values(final Class<?> type, final String name) {
        final Field f = field(type, name);
        assertNotNull(f, type.getSimpleName() + " has no @Param " + name);
        final String[] listed = f.getAnnotation(Param.class).value();
        if (!(listed.length == 1 && listed[0].equals(Param.BLANK_ARGS))) {
            return Arrays.asList(listed);
        }
        return Arrays.stream(f.getType().getEnumConstants()).map(Object::toString).toList();
    }
}
