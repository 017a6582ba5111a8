package org.reluq.cli.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A command {@code reluq bench e2e} times against the others of a job, and how to read what it did from its
 * output.
 *
 * @param name    what the report calls it, e.g. {@code numpy}
 * @param command the command line
 * @param reader  reads the run's outcome from its output
 */
public record Contender(String name, List<String> command, Reader reader) {

    /** What a run did: the iterations, the final relative error and its phases in seconds (empty if none). */
    public record Outcome(int iterations, double relativeError, Map<String, Double> phases) {

        /** A run that does not train (the memory probe). */
        static final Outcome NONE = new Outcome(-1, Double.NaN, Map.of());

        /** Whether the run trained to at least {@code target}. */
        public boolean reached(final double target) {
            return iterations < 0 || relativeError <= target;
        }
    }

    /** Reads an outcome from a run's output; throws IllegalArgumentException when the output is not one. */
    @FunctionalInterface
    public interface Reader {
        /** The outcome the output reports. */
        Outcome read(String output);
    }

    private static final Pattern PEER_RESULT = Pattern.compile("result\\s+after (\\d+) iterations: relative error (\\S+)");
    private static final Pattern PEER_PHASES = Pattern.compile("phases\\s+start (\\S+) s .*?data (\\S+) s, init (\\S+) s, "
            + "loop (\\S+) s");

    /** {@code reluq fit ARGS --no-progress --json} through the launcher. */
    public static Contender reluq(final String launcher, final EndToEndJob job) {
        final List<String> command = new ArrayList<>(List.of(launcher, "fit"));
        command.addAll(job.args());
        command.addAll(List.of("--no-progress", "--json"));
        return new Contender("reluq", command, Contender::readReluq);
    }

    /** A peer script of bench/peers/ with the job's arguments. */
    public static Contender peer(final String name, final String python, final String script, final EndToEndJob job) {
        final List<String> command = new ArrayList<>(List.of(python, script));
        command.addAll(job.args());
        return new Contender(name, command, Contender::readPeer);
    }

    /**
     * A process that only writes {@code floats} floats once, fresh from the operating system: the floor of any
     * job that makes an X that large, as the first touch of memory costs what it costs on this machine.
     */
    public static Contender memoryProbe(final String python, final long floats) {
        return new Contender("memory probe", List.of(python, "-c", "import numpy as np; np.ones(" + floats
                + ", dtype=np.float32)"), output -> Outcome.NONE);
    }

    private static Outcome readReluq(final String output) {
        final int json = output.indexOf('{');
        if (json < 0) {
            throw new IllegalArgumentException("no JSON summary in reluq's output");
        }
        try {
            final JsonObject summary = JsonParser.parseString(output.substring(json)).getAsJsonObject();
            final JsonObject result = summary.getAsJsonObject("result");
            final Map<String, Double> phases = new LinkedHashMap<>();
            for (final Map.Entry<String, com.google.gson.JsonElement> e : summary.getAsJsonObject("phases").entrySet()) {
                phases.put(e.getKey().replace("Seconds", ""), e.getValue().getAsDouble());
            }
            phases.put("loopIterationsPerSecond", result.get("iterationsPerSecond").getAsDouble());
            return new Outcome(result.get("iterations").getAsInt(), result.get("relativeError").getAsDouble(), phases);
        } catch (JsonSyntaxException | IllegalStateException | NullPointerException e) {
            throw new IllegalArgumentException("reluq's JSON summary cannot be read: " + e.getMessage(), e);
        }
    }

    private static Outcome readPeer(final String output) {
        final Matcher result = PEER_RESULT.matcher(output);
        final Matcher phases = PEER_PHASES.matcher(output);
        if (!result.find() || !phases.find()) {
            throw new IllegalArgumentException("no result and phases lines in the peer's output");
        }
        final Map<String, Double> seconds = new LinkedHashMap<>();
        seconds.put("start", Double.parseDouble(phases.group(1)));
        seconds.put("data", Double.parseDouble(phases.group(2)));
        seconds.put("init", Double.parseDouble(phases.group(3)));
        seconds.put("loop", Double.parseDouble(phases.group(4)));
        final int iterations = Integer.parseInt(result.group(1));
        seconds.put("loopIterationsPerSecond", iterations / Math.max(1e-9, seconds.get("loop")));
        return new Outcome(iterations, Double.parseDouble(result.group(2).toLowerCase(Locale.ROOT)), seconds);
    }
}
