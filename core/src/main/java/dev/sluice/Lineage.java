package dev.sluice;

import static java.util.Objects.requireNonNull;

import dev.sluice.lineage.ColumnLineage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Column lineage of a project, as planned now or as a past run kept it: which columns each column is computed from,
 * and how. Immutable and safe to share between threads. Columns are named {@code schema.model.column} (or
 * {@code model.column} where unambiguous, see {@link #resolve}).
 */
public final class Lineage {
    /**
     * One column computed from another.
     *
     * @param type DIRECT (the value flows) or INDIRECT (it decides which rows or groups)
     * @param subtype IDENTITY, TRANSFORMATION, AGGREGATION; or JOIN, GROUP_BY, FILTER, SORT, WINDOW, CONDITIONAL
     * @param masking true when the value is hashed on the way
     */
    public record Edge(String from, String to, String type, String subtype, boolean masking) {
        public Edge {
            requireNonNull(from, "from");
            requireNonNull(to, "to");
            requireNonNull(type, "type");
            requireNonNull(subtype, "subtype");
        }

        /** An edge that does not mask the value. */
        public Edge(String from, String to, String type, String subtype) {
            this(from, to, type, subtype, false);
        }
    }

    private final ColumnLineage lineage;
    private final Map<String, Long> icebergSnapshots;

    Lineage(ColumnLineage lineage) {
        this(lineage, Map.of());
    }

    Lineage(ColumnLineage lineage, Map<String, Long> icebergSnapshots) {
        this.lineage = requireNonNull(lineage, "lineage");
        this.icebergSnapshots = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(icebergSnapshots));
    }

    /**
     * For lineage as a past run kept it: the Iceberg snapshot of each Iceberg model ({@code schema.model}) that was
     * current after that run, the table's state the lineage describes (readable with {@link Sluice#readAsOf}); empty
     * for lineage planned now.
     */
    public Map<String, Long> icebergSnapshots() {
        return icebergSnapshots;
    }

    /** The internal graph, for the OpenLineage events {@link Sluice} builds from it. */
    ColumnLineage graph() {
        return lineage;
    }

    /** The relation ({@code schema.model}) of a column name ({@code schema.model.column}). */
    public static String relationOf(String column) {
        return ColumnLineage.relationOf(column);
    }

    /** Models whose lineage could not be derived, each with the reason (Calcite's message); their columns have none. */
    public Map<String, String> underivedReasons() {
        return lineage.underivedReasons();
    }

    /** One line per model whose lineage is not known: {@code model: reason}. */
    public List<String> underivedLines() {
        return lineage.underivedLines();
    }

    /** Per column of a relation, the edges into it. */
    public Map<String, List<Edge>> into(String relation) {
        Map<String, List<Edge>> into = new LinkedHashMap<>();
        lineage.into(relation).forEach((column, edges) -> into.put(column, edges(edges)));
        return into;
    }

    /** The SQL expression computing a column as its model writes it, or null when not known. */
    public String expression(String column) {
        return lineage.expression(column);
    }

    /** The columns of a relation, when {@code target} names one; empty when it names a column. */
    public List<String> columnsOf(String target) {
        return lineage.columnsOf(target);
    }

    /** Edges upstream of the columns, at most {@code depth} steps away. */
    public List<Edge> upstream(List<String> columns, int depth) {
        return edges(lineage.upstream(columns, depth));
    }

    /** Edges downstream of the columns, at most {@code depth} steps away. */
    public List<Edge> downstream(List<String> columns, int depth) {
        return edges(lineage.downstream(columns, depth));
    }

    /** Edges upstream of a column, at most {@code depth} steps away. */
    public List<Edge> upstream(String column, int depth) {
        return edges(lineage.upstream(column, depth));
    }

    /** Edges downstream of a column, at most {@code depth} steps away. */
    public List<Edge> downstream(String column, int depth) {
        return edges(lineage.downstream(column, depth));
    }

    /** The edges of one path from a column to another; empty when none leads there. */
    public List<Edge> path(String from, String to) {
        return edges(lineage.path(from, to));
    }

    /** The models whose lineage could not be derived. */
    public List<String> underived() {
        return lineage.underived();
    }

    /** The full name of a column given as {@code model.column} or {@code schema.model.column}. */
    public String resolve(String target) {
        return lineage.resolve(target);
    }

    /** Columns holding personal data, each mapped to the declared columns it comes from. */
    public Map<String, Set<String>> pii() {
        return lineage.pii();
    }

    private static List<Edge> edges(List<ColumnLineage.Edge> edges) {
        return edges.stream().map(e -> new Edge(e.from(), e.to(), e.type(), e.subtype(), e.masking())).toList();
    }
}
