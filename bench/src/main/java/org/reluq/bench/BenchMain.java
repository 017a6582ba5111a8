package org.reluq.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.reluq.bench.suite.ForkFlags;

/**
 * Entry point of {@code benchmarks.jar}: JMH's own command line, plus the JVM flags the kernels need
 * (from the parent pom's {@code reluq.jvm.flags}) appended to every fork, so
 * {@code java -jar bench/target/benchmarks.jar ReluGradient} just works ({@code -jvmArgsPrepend
 * -Dreluq.vector.module=absent} leaves the Vector API module out: {@link ForkFlags}).
 */
public final class BenchMain {

    private BenchMain() {
    }

    /** Runs JMH with the given command line. */
    public static void main(final String[] args) throws RunnerException, IOException {
        final CommandLineOptions cli;
        try {
            cli = new CommandLineOptions(args);
        } catch (CommandLineOptionException e) {
            System.err.println("Error parsing command line: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (cli.shouldHelp() || cli.shouldList() || cli.shouldListWithParams() || cli.shouldListProfilers()
                || cli.shouldListResultFormats()) {
            org.openjdk.jmh.Main.main(args);
            return;
        }
        final OptionsBuilder options = new OptionsBuilder();
        options.parent(cli);
        // prepended, so a benchmark's own @Fork(jvmArgsAppend) (heap size, pre-touch) still applies
        final List<String> variant = new ArrayList<>(cli.getJvmArgsPrepend().orElse(List.of()));
        final List<String> flags = new ArrayList<>(ForkFlags.kernelFlags(List.of(jvmFlags()), variant));
        flags.addAll(variant);
        options.jvmArgsPrepend(flags.toArray(String[]::new));
        final Collection<RunResult> results = new Runner(options.build()).run();
        if (results.isEmpty()) {
            System.err.println("No benchmark matched " + String.join(" ", cli.getIncludes()));
            System.exit(2);
        }
    }

    /** The JVM flags every fork needs, as the build recorded them. */
    public static String[] jvmFlags() {
        final Properties properties = new Properties();
        try (InputStream in = BenchMain.class.getResourceAsStream("jvm.properties")) {
            if (in == null) {
                throw new IllegalStateException("jvm.properties is missing from the benchmarks jar");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties.getProperty("jvm.flags").trim().split("\\s+");
    }

}
