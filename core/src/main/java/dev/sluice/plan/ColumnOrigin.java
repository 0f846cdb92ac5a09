package dev.sluice.plan;

import static java.util.Objects.requireNonNull;

/**
 * A column that an output column of a model depends on, read from Calcite's relational plan of the model, classified
 * with OpenLineage's column-lineage types.
 *
 * @param relation the source or model it belongs to, as {@code schema.table}
 * @param type DIRECT (the value flows into the output) or INDIRECT (it decides which rows, or how they combine)
 * @param subtype for DIRECT: IDENTITY, TRANSFORMATION or AGGREGATION; for INDIRECT: JOIN, GROUP_BY, FILTER, SORT or
 *     WINDOW, or CONDITIONAL (a condition deciding the value of this column only)
 * @param masking true when the value is hashed on the way (md5, sha1, sha256, hash): it no longer shows the original
 */
public record ColumnOrigin(String relation, String column, String type, String subtype, boolean masking) {
    public ColumnOrigin {
        requireNonNull(relation, "relation");
        requireNonNull(column, "column");
        requireNonNull(type, "type");
        requireNonNull(subtype, "subtype");
    }

    public ColumnOrigin(String relation, String column, String type, String subtype) {
        this(relation, column, type, subtype, false);
    }

    public boolean direct() {
        return type.equals("DIRECT");
    }
}
