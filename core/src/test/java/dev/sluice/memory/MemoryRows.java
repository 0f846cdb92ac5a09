package dev.sluice.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lists of rows held in this JVM, by name: what a {@code type: memory} source reads. Tests add rows between runs, as
 * an application would append to a table.
 */
public final class MemoryRows {
    private static final Map<String, List<List<Object>>> LISTS = new ConcurrentHashMap<>();

    private MemoryRows() {
    }

    /** Adds rows (values in the order of the source's declared columns) to the list {@code name}. */
    public static void add(String name, List<List<Object>> rows) {
        LISTS.computeIfAbsent(name, k -> new ArrayList<>()).addAll(rows.stream().map(List::copyOf).toList());
    }

    /** Empties the list {@code name}. */
    public static void clear(String name) {
        LISTS.remove(name);
    }

    static List<List<Object>> of(String name) {
        return List.copyOf(LISTS.getOrDefault(name, List.of()));
    }
}
