package dev.sluice.exec;

import dev.sluice.plan.ColumnOrigin;
import dev.sluice.plan.PlannedModel;
import dev.sluice.plan.ProjectPlan;
import dev.sluice.project.Materialization;
import dev.sluice.project.Model;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which columns of each source the run's table models read in full: a table build scans every row of the columns its
 * lineage names, converting each value of a file read in place to its type, so a source read in place need not read
 * those columns once more in its load to prove they convert ({@code LoadContext.readInFull}). Only builds certain to
 * run and to scan every row count: a plain table model (not incremental or windowed: those read a slice), on no
 * conditional path (when:, or the otherwise: of one), whose lineage Calcite derived, without LIMIT or a sample, and
 * what it reads through the run's views and ephemeral models that meet the same conditions (expanded into its build).
 * A model that fails or is blocked for another reason fails the run all the same. Stateless.
 */
final class FullReads {
    /** Views over views deeper than this are not followed (a bound on the walk; real chains are short). */
    private static final int MAX_DEPTH = 16;
    /** Words that let a scan stop before the last row. */
    private static final Pattern PARTIAL = Pattern.compile("(?i)\\b(limit|sample|tablesample|using\\s+sample)\\b");

    private FullReads() {
    }

    static Map<String, Set<String>> of(ProjectPlan plan, List<PlannedModel> selected, QualityRules quality) {
        // Views of the run and ephemeral models are expanded into the table build that reads them: a column it reads
        // through them is a column of their inputs it scans.
        Map<String, PlannedModel> expanded = new HashMap<>();
        Map<String, String> sources = new HashMap<>();
        Set<String> run = new HashSet<>();
        selected.forEach(planned -> run.add(planned.name()));
        for (PlannedModel planned : plan.models()) {
            planned.upstreamSources().forEach(source -> sources.put(key(source), source));
            boolean ephemeral = planned.model().materialized() == Materialization.EPHEMERAL;
            if ((ephemeral || run.contains(planned.name())) && passesRowsThrough(planned, Materialization.VIEW)) {
                expanded.put(key(planned.model().qualifiedName()), planned);
            }
        }
        Map<String, Set<String>> read = new HashMap<>();
        for (PlannedModel planned : selected) {
            if (passesRowsThrough(planned, Materialization.TABLE) && !planned.model().windowed()
                    && planned.model().when() == null && quality.replaces(planned.name()).isEmpty()) {
                planned.lineage().values().forEach(origins -> add(origins, sources, expanded, read, 0));
            }
        }
        return read;
    }

    /** Adds the source columns among {@code origins}, following views and ephemeral models. */
    private static void add(List<ColumnOrigin> origins, Map<String, String> sources,
            Map<String, PlannedModel> expanded, Map<String, Set<String>> read, int depth) {
        for (ColumnOrigin origin : origins) {
            String source = sources.get(key(origin.relation()));
            if (source != null) {
                read.computeIfAbsent(source, name -> new HashSet<>()).add(key(origin.column()));
                continue;
            }
            PlannedModel through = expanded.get(key(origin.relation()));
            List<ColumnOrigin> further = through == null ? null : columnLineage(through, origin.column());
            if (further != null && depth < MAX_DEPTH) {
                add(further, sources, expanded, read, depth + 1);
            }
        }
    }

    /** The origins of one output column of {@code model}, its name matched regardless of case. */
    private static List<ColumnOrigin> columnLineage(PlannedModel model, String column) {
        for (Map.Entry<String, List<ColumnOrigin>> entry : model.lineage().entrySet()) {
            if (entry.getKey().equalsIgnoreCase(column)) {
                return entry.getValue();
            }
        }
        return null;
    }

    /**
     * True for a model of {@code materialized} (or an ephemeral one, for a view) whose lineage Calcite derived and
     * whose SQL lets no scan stop before the last row.
     */
    private static boolean passesRowsThrough(PlannedModel planned, Materialization materialized) {
        Model model = planned.model();
        boolean kind = model.materialized() == materialized || materialized == Materialization.VIEW
                && model.materialized() == Materialization.EPHEMERAL;
        return kind && planned.lineageProblem() == null && !planned.opaque() && !PARTIAL.matcher(model.sql()).find();
    }

    private static String key(String relation) {
        return relation.toLowerCase(Locale.ROOT);
    }
}
