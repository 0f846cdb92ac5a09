package dev.sluice.plan;

import static java.util.Objects.requireNonNull;

/**
 * A column that an output column of a model comes from, read from Calcite's relational plan of the model.
 *
 * @param relation the source or model it belongs to, as {@code schema.table}
 * @param derived false when the value flows unchanged (identity), true when it is transformed or aggregated
 */
public record ColumnOrigin(String relation, String column, boolean derived) {
    public ColumnOrigin {
        requireNonNull(relation, "relation");
        requireNonNull(column, "column");
    }
}
