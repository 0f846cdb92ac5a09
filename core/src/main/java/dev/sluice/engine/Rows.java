package dev.sluice.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The result of a query, fully read: column names and rows of plain Java values. */
public record Rows(List<String> columns, List<List<Object>> values) {
    public Rows {
        columns = List.copyOf(columns);
        List<List<Object>> copy = new ArrayList<>(values.size());
        for (List<Object> row : values) {
            copy.add(Collections.unmodifiableList(new ArrayList<>(row)));
        }
        values = Collections.unmodifiableList(copy);
    }

    public int size() {
        return values.size();
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The value of the first column of the first row, or null for an empty result. */
    public Object single() {
        return values.isEmpty() ? null : values.get(0).get(0);
    }

    public long singleLong() {
        Object value = single();
        return value == null ? 0 : ((Number) value).longValue();
    }
}
