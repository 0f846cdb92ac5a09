package dev.sluice.exec;

import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.ModelRunRecord;
import dev.sluice.plan.PlannedModel;
import dev.sluice.project.Materialization;
import java.util.Locale;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Why a model runs, from its last successful build in the catalog. */
final class Reasons {
    private Reasons() {
    }

    /**
     * What a model's last successful build says of this run, in the order it is checked: the reason's first clause,
     * for the decisions that depend on it (never its words).
     */
    enum Cause {
        NEW, MATERIALIZATION_CHANGED, MOVED, SQL_CHANGED,
        /** Built before as it is now: a table rebuilt from its inputs, a view refreshed, an increment. */
        UNCHANGED
    }

    static String of(PlannedModel planned, Catalog catalog) {
        return of(planned, catalog, last(planned, catalog));
    }

    /**
     * The last successful build of each model, read for all models at once: {@code sluice plan} of 1,000 models spent
     * most of its time asking the catalog for each in turn. Only a model whose latest build did not succeed is asked
     * for alone. Not thread-safe.
     */
    static final class LastBuilds {
        private final Catalog catalog;
        private final Map<String, ModelRunRecord> latest = new java.util.HashMap<>();

        LastBuilds(Catalog catalog) {
            this.catalog = catalog;
            if (catalog != null) {
                catalog.runs().lastModelRuns().forEach(run -> latest.put(run.model(), run));
            }
        }

        Optional<ModelRunRecord> of(PlannedModel planned) {
            ModelRunRecord run = latest.get(planned.model().qualifiedName());
            if (run == null) {
                return Optional.empty(); // never built
            }
            return run.status().equals("success") || run.status().equals("up_to_date") ? Optional.of(run)
                    : last(planned, catalog);
        }

        String reason(PlannedModel planned) {
            return Reasons.of(planned, catalog, of(planned));
        }
    }

    private static String of(PlannedModel planned, Catalog catalog, Optional<ModelRunRecord> last) {
        String reason = of(planned, last);
        if (cause(planned, last) == Cause.SQL_CHANGED && !planned.expressions().isEmpty()) {
            Map<String, String> before = catalog.lineage().expressionsAt(planned.model().qualifiedName(), last.get().runId());
            if (!before.isEmpty()) {
                reason += "; columns " + columnChanges(before, planned.expressions());
            }
        }
        return reason;
    }

    /** True for an incremental model whose next build folds new input into its table (not a first or full build). */
    static boolean runsIncrementally(PlannedModel planned, Catalog catalog) {
        return planned.model().materialized() == Materialization.INCREMENTAL
                && cause(planned, last(planned, catalog)) == Cause.UNCHANGED;
    }

    private static Optional<ModelRunRecord> last(PlannedModel planned, Catalog catalog) {
        return catalog == null ? Optional.empty() : catalog.runs().lastSuccess(planned.model().qualifiedName());
    }

    static Cause cause(PlannedModel planned, Optional<ModelRunRecord> last) {
        if (last.isEmpty()) {
            return Cause.NEW;
        }
        ModelRunRecord previous = last.get();
        if (!previous.materialized().equals(planned.model().materialized().name().toLowerCase(Locale.ROOT))) {
            return Cause.MATERIALIZATION_CHANGED;
        }
        if (!previous.relation().equalsIgnoreCase(planned.model().qualifiedName())) {
            return Cause.MOVED;
        }
        return previous.sqlHash().equals(planned.model().sqlHash()) ? Cause.UNCHANGED : Cause.SQL_CHANGED;
    }

    /** Each output column classified: added, removed, expression changed or unchanged. */
    static String columnChanges(Map<String, String> before, Map<String, String> after) {
        List<String> parts = new ArrayList<>();
        List<String> added = after.keySet().stream().filter(c -> !before.containsKey(c)).toList();
        List<String> removed = before.keySet().stream().filter(c -> !after.containsKey(c)).toList();
        List<String> changed = after.keySet().stream()
                .filter(c -> before.containsKey(c) && !before.get(c).equals(after.get(c))).toList();
        List<String> unchanged = after.keySet().stream()
                .filter(c -> before.containsKey(c) && before.get(c).equals(after.get(c))).toList();
        add(parts, "added", added);
        add(parts, "removed", removed);
        add(parts, "expression changed", changed);
        add(parts, "unchanged", unchanged);
        return String.join("; ", parts);
    }

    private static void add(List<String> parts, String label, List<String> columns) {
        if (!columns.isEmpty()) {
            parts.add(label + ": " + String.join(", ", columns));
        }
    }

    /** What an on_schema_change policy will do with a change of columns, for plan output. */
    static String schemaChange(dev.sluice.incremental.SchemaChange change,
            dev.sluice.project.Incremental.OnSchemaChange policy) {
        String changed = "its columns change (" + change.describe() + "): ";
        return changed + switch (policy) {
            case FAIL -> "on_schema_change fail will fail it; set incremental.on_schema_change to"
                    + " append_new_columns, sync_all_columns or ignore, or rebuild it with --full-refresh";
            case APPEND_NEW_COLUMNS -> change.retyped().isEmpty()
                    ? "append_new_columns adds the new columns (earlier rows get NULL) and fills removed ones with NULL"
                    : "append_new_columns will fail it, as it does not retype columns; use sync_all_columns or"
                            + " --full-refresh";
            case SYNC_ALL_COLUMNS -> "sync_all_columns adds, drops and retypes the table's columns to match";
            case IGNORE -> "ignore keeps the table's columns and types: new columns are not stored, removed ones"
                    + " are filled with NULL, and a value that does not fit a kept type fails the run";
        };
    }

    static String of(PlannedModel planned, Optional<ModelRunRecord> last) {
        String materialized = planned.model().materialized().name().toLowerCase(Locale.ROOT);
        return switch (cause(planned, last)) {
            case NEW -> "new model: never built";
            case MATERIALIZATION_CHANGED -> "materialization changed: " + last.get().materialized() + " → "
                    + materialized;
            case MOVED -> "moved: " + last.get().relation() + " → " + planned.model().qualifiedName();
            case SQL_CHANGED -> "SQL changed since run " + last.get().runId();
            case UNCHANGED -> switch (planned.model().materialized()) {
                case TABLE -> "table: rebuilt from its inputs (last built in run " + last.get().runId() + ")";
                case VIEW -> "view: definition refreshed (unchanged since run " + last.get().runId() + ")";
                case EPHEMERAL -> "ephemeral: inlined into its consumers";
                case INCREMENTAL -> "incremental (last built in run " + last.get().runId() + ")";
            };
        };
    }
}
