package org.reluq.cli.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads JMH's JSON result files ({@code -rf json}). */
public final class JmhResults {

    private JmhResults() {
    }

    /**
     * The results in a file.
     *
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException naming the file and the problem if it is not JMH's JSON
     */
    public static List<JmhResult> read(final Path file) throws IOException {
        final String text = Files.readString(file);
        try {
            return parse(JsonParser.parseString(text));
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException | NullPointerException
                 | NumberFormatException e) {
            throw new IllegalArgumentException(file + " is not a JMH JSON result file: " + e.getMessage(), e);
        }
    }

    private static List<JmhResult> parse(final JsonElement root) {
        if (!root.isJsonArray()) {
            throw new IllegalStateException("the top level is not an array");
        }
        final List<JmhResult> results = new ArrayList<>();
        final JsonArray rows = root.getAsJsonArray();
        for (int i = 0; i < rows.size(); i++) {
            final JsonObject row = rows.get(i).getAsJsonObject();
            final JsonObject metric = required(row, "primaryMetric", i).getAsJsonObject();
            final Map<String, String> params = new LinkedHashMap<>();
            if (row.has("params")) {
                row.getAsJsonObject("params").entrySet().forEach(e -> params.put(e.getKey(), e.getValue().getAsString()));
            }
            final JsonElement error = metric.get("scoreError");
            results.add(new JmhResult(required(row, "benchmark", i).getAsString(), required(row, "mode", i).getAsString(),
                    row.has("threads") ? row.get("threads").getAsInt() : 1, row.has("forks") ? row.get("forks").getAsInt() : 0,
                    params, required(metric, "score", i).getAsDouble(),
                    error == null || !error.isJsonPrimitive() || !error.getAsJsonPrimitive().isNumber() ? Double.NaN
                            : error.getAsDouble(),
                    required(metric, "scoreUnit", i).getAsString()));
        }
        return results;
    }

    private static JsonElement required(final JsonObject object, final String field, final int row) {
        final JsonElement value = object.get(field);
        if (value == null || value.isJsonNull()) {
            throw new IllegalStateException("result " + row + " has no " + field);
        }
        return value;
    }
}
