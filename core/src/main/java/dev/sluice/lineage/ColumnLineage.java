package dev.sluice.lineage;

import static java.util.Objects.requireNonNull;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.plan.ColumnOrigin;
import dev.sluice.plan.PlannedModel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The column lineage of a project, derived from the query plans of its models: which column of which source or
 * model each output column comes from. Columns are named {@code schema.table.column}. Immutable.
 */
public final class ColumnLineage {
    /**
     * One step of lineage: {@code to} depends on {@code from}.
     *
     * @param type DIRECT (the value flows) or INDIRECT (it decides which rows or how they combine)
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

    private final Map<String, List<Edge>> into = new HashMap<>();
    private final Map<String, List<Edge>> outOf = new HashMap<>();
    private final Set<String> columns = new LinkedHashSet<>();
    /** Columns declared personal data: {@code pii: true} in a model's front matter, {@code pii:} on a source. */
    private final Set<String> declaredPii = new LinkedHashSet<>();
    /** Column (lower case) → the SQL expression computing it, as written in its model. */
    private final Map<String, String> sql = new HashMap<>();
    /** Models whose lineage could not be derived (opaque, or SQL Calcite could not plan) → why, in plan order. */
    private final Map<String, String> underived = new java.util.LinkedHashMap<>();
    /**
     * Relation (lower case) → the relations of the underived models that read it: PII in any column it has is taken
     * to reach every column of those models, since nothing says which of their columns it does not reach.
     */
    private final Map<String, List<String>> readByUnderived = new HashMap<>();

    /** Full column names by lower-case name, built once: a report resolves every column of the project. */
    private Map<String, String> columnsByKey;
    private Map<String, List<String>> columnsByRelation;
    /** Relations that are models (lower case): a bare name means the model before a source's table of that name. */
    private final Set<String> models = new java.util.HashSet<>();

    private ColumnLineage() {
    }

    private synchronized Map<String, String> byKey() {
        if (columnsByKey == null) {
            columnsByKey = new HashMap<>();
            columns.forEach(column -> columnsByKey.putIfAbsent(key(column), column));
        }
        return columnsByKey;
    }

    /** The columns of each relation (lower-case {@code schema.table}), in order; built once, like {@link #byKey}. */
    private synchronized Map<String, List<String>> byRelation() {
        if (columnsByRelation == null) {
            columnsByRelation = new HashMap<>();
            for (String column : columns) {
                columnsByRelation.computeIfAbsent(key(relationOf(column)), k -> new ArrayList<>()).add(column);
            }
        }
        return columnsByRelation;
    }

    /** The edges out of a column ({@code schema.table.column}); for {@link MaskLineage}. */
    List<Edge> edgesOutOf(String column) {
        return outOf.getOrDefault(key(column), List.of());
    }

    /**
     * The columns of the models whose lineage is unknown that read the relation of {@code column}: each of them may
     * hold its value; for {@link MaskLineage}.
     */
    List<String> underivedOutputs(String column) {
        List<String> outputs = new ArrayList<>();
        for (String reader : readByUnderived.getOrDefault(key(relationOf(column)), List.of())) {
            outputs.addAll(byRelation().getOrDefault(key(reader), List.of()));
        }
        return outputs;
    }

    /** The relation ({@code schema.table}) of a column named {@code schema.table.column}. */
    public static String relationOf(String column) {
        return column.substring(0, column.lastIndexOf('.'));
    }

    /** Lineage from recorded edges, such as those a past run kept in {@code sluice.lineage_columns}. */
    public static ColumnLineage ofEdges(List<Edge> edges) {
        return ofEdges(edges, Map.of());
    }

    /** Lineage from recorded edges, with the SQL expression of each column that has one. */
    public static ColumnLineage ofEdges(List<Edge> edges, Map<String, String> expressions) {
        ColumnLineage lineage = new ColumnLineage();
        expressions.forEach((column, text) -> lineage.sql.put(key(column), text));
        for (Edge edge : edges) {
            lineage.columns.add(edge.from());
            lineage.columns.add(edge.to());
            lineage.into.computeIfAbsent(key(edge.to()), k -> new ArrayList<>()).add(edge);
            lineage.outOf.computeIfAbsent(key(edge.from()), k -> new ArrayList<>()).add(edge);
            lineage.models.add(key(relationOf(edge.to())));
        }
        return lineage;
    }

    public static ColumnLineage of(List<PlannedModel> models) {
        return of(models, List.of());
    }

    /**
     * The lineage of the models, with the columns of sources declared as personal data ({@code schema.table.column}).
     */
    public static ColumnLineage of(List<PlannedModel> models, List<String> piiSourceColumns) {
        ColumnLineage lineage = new ColumnLineage();
        lineage.declaredPii.addAll(piiSourceColumns);
        Map<String, String> relationsByModel = new HashMap<>();
        models.forEach(model -> relationsByModel.put(key(model.name()), model.model().qualifiedName()));
        for (PlannedModel model : models) {
            String relation = model.model().qualifiedName();
            lineage.models.add(key(relation));
            if (model.lineage().isEmpty()) {
                lineage.underived.put(model.name(), model.underivedReason());
                List<String> inputs = new ArrayList<>(model.upstreamSources());
                model.upstreamModels().forEach(name -> inputs.add(relationsByModel.getOrDefault(key(name), name)));
                inputs.forEach(input -> lineage.readByUnderived.computeIfAbsent(key(input), k -> new ArrayList<>())
                        .add(relation));
            }
            model.columns().forEach(column -> lineage.columns.add(relation + "." + column.name()));
            model.columnSql().forEach((column, text) -> lineage.sql.put(key(relation + "." + column), text));
            model.model().columns().forEach((column, meta) -> {
                if (meta.pii()) {
                    lineage.declaredPii.add(relation + "." + column);
                }
            });
            for (Map.Entry<String, List<ColumnOrigin>> column : model.lineage().entrySet()) {
                String to = relation + "." + column.getKey();
                for (ColumnOrigin origin : column.getValue()) {
                    String from = origin.relation() + "." + origin.column();
                    Edge edge = new Edge(from, to, origin.type(), origin.subtype(), origin.masking());
                    lineage.columns.add(from);
                    lineage.into.computeIfAbsent(key(to), k -> new ArrayList<>()).add(edge);
                    lineage.outOf.computeIfAbsent(key(from), k -> new ArrayList<>()).add(edge);
                }
            }
        }
        return lineage;
    }

    private static String key(String column) {
        return column.toLowerCase(Locale.ROOT);
    }

    /** The edges into each column of a relation ({@code schema.table}), by column; empty for unknown relations. */
    public Map<String, List<Edge>> into(String relation) {
        Map<String, List<Edge>> columnsOf = new java.util.LinkedHashMap<>();
        for (String column : byRelation().getOrDefault(key(relation), List.of())) {
            columnsOf.put(column.substring(relation.length() + 1), into.getOrDefault(key(column), List.of()));
        }
        return columnsOf;
    }

    /**
     * The SQL expression computing a model column, as written in the model (such as {@code sum(o.amount)}); null for
     * source columns and columns a {@code *} expands to.
     */
    public String expression(String column) {
        return sql.get(key(column));
    }

    /**
     * The columns of the relation a target names ({@code schema.table} or a model or source name), in order; empty
     * when the target names no relation (it may then name a column).
     */
    public List<String> columnsOf(String target) {
        String wanted = key(target);
        if (byRelation().containsKey(wanted)) {
            return List.copyOf(byRelation().get(wanted));
        }
        List<String> matches = wanted.contains(".") ? List.of() : byRelation().keySet().stream()
                .filter(relation -> relation.endsWith("." + wanted)).sorted().toList();
        if (matches.size() > 1 && matches.stream().filter(models::contains).count() == 1) {
            matches = matches.stream().filter(models::contains).toList();
        }
        if (matches.size() > 1) {
            throw new SluiceException(ErrorCode.USAGE, "Cannot tell which relation '%s' is: it matches %s; qualify it "
                    + "with its schema", target, String.join(" and ", matches));
        }
        return matches.isEmpty() ? List.of() : List.copyOf(byRelation().get(matches.get(0)));
    }

    /** Every step that leads to any of the columns, nearest first, up to {@code depth} steps (0 = no limit). */
    public List<Edge> upstream(List<String> columns, int depth) {
        return walk(columns.stream().map(this::resolve).toList(), depth, into, true);
    }

    /** Every step that leads from any of the columns to what is computed from them, nearest first. */
    public List<Edge> downstream(List<String> columns, int depth) {
        return walk(columns.stream().map(this::resolve).toList(), depth, outOf, false);
    }

    /** Models whose lineage is not known: they are reported, never silently left out. */
    public List<String> underived() {
        return List.copyOf(underived.keySet());
    }

    /**
     * Models whose lineage is not known, each with the reason (Calcite's message when it could not plan the model's
     * SQL), in plan order.
     */
    public Map<String, String> underivedReasons() {
        return java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(underived));
    }

    /** One line per model whose lineage is not known: {@code model: reason}. */
    public List<String> underivedLines() {
        return underived.entrySet().stream().map(entry -> entry.getKey() + ": " + entry.getValue()).toList();
    }

    /**
     * The full name of a column given as {@code schema.table.column} or {@code table.column} (a model or source
     * name); throws USAGE naming the closest column when there is no such column.
     */
    public String resolve(String target) {
        String exact = byKey().get(key(target));
        if (exact != null) {
            return exact;
        }
        List<String> matches = new ArrayList<>();
        for (String column : columns) {
            String lower = key(column);
            if (lower.equals(key(target)) || lower.endsWith("." + key(target)) && key(target).contains(".")) {
                matches.add(column);
            }
        }
        if (matches.size() == 1) {
            return matches.get(0);
        }
        if (matches.isEmpty()) {
            throw new SluiceException(ErrorCode.USAGE, "Cannot find column '%s' in the project's lineage; name it as "
                    + "model.column or schema.table.column (sluice ls lists the models)", target);
        }
        throw new SluiceException(ErrorCode.USAGE, "Cannot tell which column '%s' is: it matches %s; qualify it with "
                + "its schema", target, String.join(" and ", matches));
    }

    /** Every step that leads to the column, nearest first, up to {@code depth} steps (0 = no limit). */
    public List<Edge> upstream(String column, int depth) {
        return walk(List.of(resolve(column)), depth, into, true);
    }

    /** Every step that leads from the column to what is computed from it, nearest first. */
    public List<Edge> downstream(String column, int depth) {
        return walk(List.of(resolve(column)), depth, outOf, false);
    }

    /**
     * Every column holding personal data: those declared {@code pii: true} and, following DIRECT edges, every column
     * whose value is computed from one of them; each mapped to the declared columns it comes from. A model whose
     * lineage is not known is treated conservatively: when any column of a relation it reads holds personal data,
     * every one of its columns is taken to hold it too (and passes it on).
     */
    public Map<String, Set<String>> pii() {
        Map<String, Set<String>> tagged = new java.util.TreeMap<>();
        Deque<String> pending = new ArrayDeque<>();
        for (String declared : declaredPii) {
            tagged.computeIfAbsent(declared, k -> new java.util.TreeSet<>()).add(declared);
            pending.add(declared);
        }
        while (!pending.isEmpty()) {
            String column = pending.poll();
            for (Edge edge : outOf.getOrDefault(key(column), List.of())) {
                if (edge.type().equals("DIRECT") && tagged.computeIfAbsent(edge.to(), k -> new java.util.TreeSet<>())
                        .addAll(tagged.get(column))) {
                    pending.add(edge.to());
                }
            }
            for (String reader : readByUnderived.getOrDefault(key(relationOf(column)), List.of())) {
                for (String output : byRelation().getOrDefault(key(reader), List.of())) {
                    if (tagged.computeIfAbsent(output, k -> new java.util.TreeSet<>()).addAll(tagged.get(column))) {
                        pending.add(output);
                    }
                }
            }
        }
        return tagged;
    }

    /**
     * The shortest chain of edges by which {@code to} depends on {@code from}, from {@code from} on; empty when it
     * does not depend on it.
     */
    public List<Edge> path(String from, String to) {
        String start = resolve(to);
        String goal = key(resolve(from));
        Map<String, Edge> reachedBy = new HashMap<>();
        Deque<String> pending = new ArrayDeque<>();
        pending.add(start);
        Set<String> seen = new LinkedHashSet<>();
        seen.add(key(start));
        while (!pending.isEmpty()) {
            String column = pending.poll();
            if (key(column).equals(goal)) {
                List<Edge> chain = new ArrayList<>();
                for (Edge edge = reachedBy.get(key(column)); edge != null; edge = reachedBy.get(key(edge.to()))) {
                    chain.add(edge);
                }
                return chain;
            }
            for (Edge edge : into.getOrDefault(key(column), List.of())) {
                if (seen.add(key(edge.from()))) {
                    reachedBy.put(key(edge.from()), edge);
                    pending.add(edge.from());
                }
            }
        }
        return List.of();
    }

    private static List<Edge> walk(List<String> starts, int depth, Map<String, List<Edge>> edges, boolean up) {
        List<Edge> found = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        Deque<Map.Entry<String, Integer>> pending = new ArrayDeque<>();
        for (String start : starts) {
            if (seen.add(key(start))) {
                pending.add(Map.entry(start, 0));
            }
        }
        while (!pending.isEmpty()) {
            Map.Entry<String, Integer> next = pending.poll();
            if (depth > 0 && next.getValue() >= depth) {
                continue;
            }
            for (Edge edge : edges.getOrDefault(key(next.getKey()), List.of())) {
                found.add(edge);
                String other = up ? edge.from() : edge.to();
                if (seen.add(key(other))) {
                    pending.add(Map.entry(other, next.getValue() + 1));
                }
            }
        }
        return found;
    }
}
