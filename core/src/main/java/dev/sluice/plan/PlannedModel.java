package dev.sluice.plan;

import static java.util.Objects.requireNonNull;

import dev.sluice.project.Model;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A validated model, ready to run.
 *
 * @param executableSql the model's own text with parameters substituted, every reference to a model or source
 *     rewritten to its quoted qualified name ({@code "staging"."stg_orders"}) and ephemeral upstream models inlined
 *     as common table expressions; this, not Calcite's re-printed SQL, is what DuckDB runs
 * @param template {@code executableSql} with every source reference left as a slot, so that a run can read a slice
 *     of a source instead of all of it ({@link #render})
 * @param upstreamModels names of the models it reads directly (ephemeral ones included)
 * @param upstreamSources qualified names of the sources it reads directly
 * @param columns the output columns as DuckDB reports them
 * @param opaque true when the model was read with {@code parser: duckdb}: no Calcite validation or lineage
 * @param lineage output column → the columns of sources and models it comes from; empty when the lineage could
 *     not be derived (opaque models, or SQL Calcite validates but cannot plan)
 * @param expressions output column → a digest of how it is computed (empty where lineage is not derived); equal
 *     digests in two versions of the model mean the column did not change
 * @param columnSql output column → the SQL expression computing it, as written in the model's outermost SELECT (for
 *     the text of lineage edges); absent for columns a {@code *} expands to and where lineage is not derived
 * @param lineageProblem why the lineage is not derived ({@link #OPAQUE}, or Calcite's message when it validates
 *     the query but cannot plan it); null when it is derived
 * @param windowBounds the window bounds ({@link dev.sluice.project.TimeWindow#BOUNDS}) the model's SQL reads, found
 *     in its text when it was planned: a windowed build sets only those session variables. Found in the text every
 *     engine's model is written in ({@code getvariable('window_start')}), so it holds for an engine that runs another
 *     printing of it (Spark's {@code system.session.window_start})
 */
public record PlannedModel(
        Model model,
        String executableSql,
        String template,
        Set<String> upstreamModels,
        Set<String> upstreamSources,
        List<ColumnType> columns,
        boolean opaque,
        Map<String, List<ColumnOrigin>> lineage,
        Map<String, String> expressions,
        Map<String, String> columnSql,
        String lineageProblem,
        Set<String> windowBounds) {
    /** The {@link #lineageProblem} of a model read with {@code parser: duckdb}. */
    public static final String OPAQUE = "read with parser: duckdb, which Calcite does not plan";

    public PlannedModel {
        requireNonNull(model, "model");
        requireNonNull(executableSql, "executableSql");
        requireNonNull(template, "template");
        upstreamModels = Set.copyOf(upstreamModels);
        upstreamSources = Set.copyOf(upstreamSources);
        columns = List.copyOf(columns);
        lineage = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(lineage));
        expressions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(expressions));
        columnSql = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(columnSql));
        windowBounds = Set.copyOf(windowBounds);
    }

    /** Renders each source slot as its quoted qualified name, as {@code executableSql} has it. */
    public static final UnaryOperator<String> QUOTED_SOURCES = source -> {
        int dot = source.indexOf('.');
        return SqlText.quote(source.substring(0, dot)) + "." + SqlText.quote(source.substring(dot + 1));
    };

    private static final char SLOT_START = '\u0001';
    private static final char SLOT_END = '\u0002';
    private static final Pattern SLOT = Pattern.compile(SLOT_START + "([^" + SLOT_END + "]*)" + SLOT_END);

    public String name() {
        return model.name();
    }

    /** The model's SQL with each source read as {@code sourceRelation} says (given the source's qualified name). */
    public String executableSql(UnaryOperator<String> sourceRelation) {
        return render(template, sourceRelation);
    }

    /**
     * This model for an engine that runs Calcite's printing of the SQL instead of the model's DuckDB text: its
     * executable SQL and template printed in the dialect of Calcite's {@code DatabaseProduct} named (for example
     * {@code SPARK}). Models read with {@code parser: duckdb} never get here: planning refuses them on such engines.
     */
    public PlannedModel unparsedIn(String databaseProduct) {
        String unparsed = ModelUnparser.unparse(this, template, SLOT, databaseProduct);
        return new PlannedModel(model, render(unparsed, QUOTED_SOURCES), unparsed, upstreamModels, upstreamSources,
                columns, opaque, lineage, expressions, columnSql, lineageProblem, windowBounds);
    }

    /** Why this model has no column lineage ({@link #lineageProblem}, or a generic reason); null when it has one. */
    public String underivedReason() {
        if (!lineage.isEmpty()) {
            return null;
        }
        return lineageProblem == null ? "lineage not derived" : lineageProblem;
    }

    static String sourceSlot(String qualifiedSource) {
        return SLOT_START + qualifiedSource + SLOT_END;
    }

    static String render(String template, UnaryOperator<String> sourceRelation) {
        return SLOT.matcher(template).replaceAll(match -> Matcher.quoteReplacement(sourceRelation.apply(match.group(1))));
    }
}
