package dev.sluice.engine;

import java.util.List;
import java.util.Objects;

/**
 * What a statement would return, known without running it: its column names and the engine's type names of those
 * columns (as the engine spells them, e.g. {@code BIGINT}, {@code DECIMAL(18,2)}), and the engine's type names of its
 * {@code ?} parameters in order ({@code UNKNOWN} where the engine cannot tell).
 */
public record Description(List<String> columns, List<String> types, List<String> parameterTypes) {
    public Description {
        columns = List.copyOf(Objects.requireNonNull(columns, "columns"));
        types = List.copyOf(Objects.requireNonNull(types, "types"));
        parameterTypes = List.copyOf(Objects.requireNonNull(parameterTypes, "parameterTypes"));
        if (columns.size() != types.size()) {
            throw new IllegalArgumentException("one type per column: " + columns + " " + types);
        }
    }
}
