package dev.sluice.plan;

import static java.util.Objects.requireNonNull;

/**
 * A column that an output column of a model depends on, read from Calcite's relational plan of the model, classified
 * with OpenLineage's column-lineage types.
 *
 * @param relation the source or model it belongs to, as {@code schema.table}
 * @param type DIRECT (the value flows into the output) or INDIRECT (it decides which rows, or how they combine)
 * @param subtype for DIRECT: IDENTITY, TRANSFORMATION or AGGREGATION; for INDIRECT: JOIN, GROUP_BY, FILTER, SORT or
 *     WINDOW
 */
public record ColumnOrigin(String relation, String column, String type, String subtype) {
    public ColumnOrigin {
        requireNonNull(relation, "relation");
        requireNonNull(column, "column");
        requireNonNull(type, "type");
        requireNonNull(subtype, "subtype");
    }

    public boolean direct() {
        return type.equals("DIRECT");
    }
}
