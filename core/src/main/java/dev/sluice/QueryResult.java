package dev.sluice;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Rows returned by {@link Sluice#query}: column names and plain Java values. Immutable. */
public record QueryResult(List<String> columns, List<List<Object>> rows) {
    public QueryResult {
        columns = List.copyOf(columns);
        List<List<Object>> copy = new ArrayList<>();
        rows.forEach(row -> copy.add(Collections.unmodifiableList(new ArrayList<>(row))));
        rows = Collections.unmodifiableList(copy);
    }
}
