package dev.sluice.quality;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * One quality rule of a model or source, compiled to SQL.
 *
 * @param name unique within its model: given by the user or derived ({@code not_null(order_id)})
 * @param type the rule type as written ({@code not_null}, {@code range}, {@code sql}, ...)
 * @param location where it is declared ({@code models/x.sql:5}), for messages
 * @param scope for incremental models: the rows this run adds (the slice, by default) or the whole table
 */
public record Rule(String name, String type, Severity severity, Thresholds thresholds, Check check, String location,
        Scope scope) {
    public Rule {
        requireNonNull(name, "name");
        requireNonNull(type, "type");
        requireNonNull(severity, "severity");
        requireNonNull(thresholds, "thresholds");
        requireNonNull(check, "check");
        requireNonNull(location, "location");
        requireNonNull(scope, "scope");
    }

    /** What an incremental model's gate checks. */
    public enum Scope {
        /** The rows this run adds or replaces. */
        SLICE,
        /** The whole table once the new rows are in. */
        TABLE
    }

    /** How a rule decides; every kind is evaluated within the gate's single scan except {@link Query}. */
    public sealed interface Check {
        /** The kind of check, for exhaustive switches (Java 17 has no pattern switch). */
        Kind kind();
    }

    /** The kinds of {@link Check}. */
    public enum Kind { ROW, BOUNDS, ANOMALY, SCHEMA, QUERY }

    /**
     * A condition on each row: {@code failing} is true for a failing row (NULL counts as passing).
     *
     * @param joins {@code LEFT JOIN ...} clauses the predicate needs (for relationships), each with its own alias
     * @param reason why a row fails, for quarantine and messages
     * @param lookup for relationships: the same test as a probe of the target's keys, which the gate counts with an
     *     inner join (far cheaper than the per-row LEFT JOIN) and evaluates row by row only when rows fail; or null
     * @param key for a unique rule over one column: that column (plain name), whose distinct values the gate may count
     *     in a bitmap instead of grouping them, evaluating row by row only when keys repeat; or null
     */
    public record RowCondition(String failing, List<String> joins, String reason, Lookup lookup, String key)
            implements Check {
        @Override
        public Kind kind() {
            return Kind.ROW;
        }

        public RowCondition {
            joins = List.copyOf(joins);
        }

        public RowCondition(String failing, List<String> joins, String reason) {
            this(failing, joins, reason, null, null);
        }

        public RowCondition(String failing, List<String> joins, String reason, Lookup lookup) {
            this(failing, joins, reason, lookup, null);
        }
    }

    /**
     * Values of a column of the checked relation that must be among a target's keys.
     *
     * @param column the checked column as SQL over the alias {@code t} ({@code t."customer_id"})
     * @param keys a query of the target's distinct non-NULL keys as {@code __sluice_k}
     */
    public record Lookup(String column, String keys) {
    }

    /** A table metric that must lie within [min, max] (either may be null). */
    public record Bounds(Metric metric, Double min, Double max) implements Check {
        @Override
        public Kind kind() {
            return Kind.BOUNDS;
        }

    }

    /**
     * A table metric compared with its own history: outside {@code sigmas} standard deviations of the last
     * {@code lookback} values, or (when {@code maxChange} is set) changed by more than that fraction since the last.
     */
    public record Anomaly(Metric metric, double sigmas, Double maxChange, int lookback, int minHistory)
            implements Check {
        @Override
        public Kind kind() {
            return Kind.ANOMALY;
        }

    }

    /** Expected columns (name → DuckDB type, or null for any type); extra columns fail unless allowed. */
    public record Schema(Map<String, String> columns, boolean allowExtra) implements Check {
        @Override
        public Kind kind() {
            return Kind.SCHEMA;
        }

        public Schema {
            columns = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(columns));
        }
    }

    /** A query selecting the failing rows; {@code this} names the model under test. */
    public record Query(String sql) implements Check {
        @Override
        public Kind kind() {
            return Kind.QUERY;
        }

    }
}
