package dev.sluice.incremental;

import dev.sluice.project.Incremental.OnSchemaChange;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How a model's new output columns differ from its table's, and the statements an {@link OnSchemaChange} policy
 * needs before new rows go in. Column maps are name → DuckDB type, in order.
 */
public record SchemaChange(Map<String, String> added, List<String> removed, Map<String, String> retyped) {

    public static SchemaChange between(Map<String, String> table, Map<String, String> output) {
        Map<String, String> tableLower = lower(table);
        Map<String, String> outputLower = lower(output);
        Map<String, String> added = new LinkedHashMap<>();
        Map<String, String> retyped = new LinkedHashMap<>();
        output.forEach((name, type) -> {
            String existing = tableLower.get(name.toLowerCase(Locale.ROOT));
            if (existing == null) {
                added.put(name, type);
            } else if (!existing.equalsIgnoreCase(type)) {
                retyped.put(name, type);
            }
        });
        List<String> removed = new ArrayList<>();
        table.keySet().stream().filter(name -> !outputLower.containsKey(name.toLowerCase(Locale.ROOT)))
                .forEach(removed::add);
        return new SchemaChange(added, removed, retyped);
    }

    private static Map<String, String> lower(Map<String, String> columns) {
        Map<String, String> lower = new LinkedHashMap<>();
        columns.forEach((name, type) -> lower.put(name.toLowerCase(Locale.ROOT), type));
        return lower;
    }

    public boolean isEmpty() {
        return added.isEmpty() && removed.isEmpty() && retyped.isEmpty();
    }

    /** {@code added a INTEGER; removed b; retyped c to VARCHAR}, for messages and run records. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        if (!added.isEmpty()) {
            parts.add("added " + join(added));
        }
        if (!removed.isEmpty()) {
            parts.add("removed " + String.join(", ", removed));
        }
        if (!retyped.isEmpty()) {
            parts.add("retyped " + join(retyped).replace(" ", " to "));
        }
        return String.join("; ", parts);
    }

    private static String join(Map<String, String> columns) {
        List<String> parts = new ArrayList<>();
        columns.forEach((name, type) -> parts.add(name + " " + type));
        return String.join(", ", parts);
    }
}
