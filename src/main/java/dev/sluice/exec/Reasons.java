package dev.sluice.exec;

import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.ModelRunRecord;
import dev.sluice.plan.PlannedModel;
import java.util.Locale;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Why a model runs, from its last successful build in the catalog. */
final class Reasons {
    private Reasons() {
    }

    static String of(PlannedModel planned, Catalog catalog) {
        String reason = of(planned, catalog == null ? Optional.empty()
                : catalog.runs().lastSuccess(planned.model().qualifiedName()));
        if (reason.startsWith("SQL changed") && !planned.expressions().isEmpty()) {
            long run = catalog.runs().lastSuccess(planned.model().qualifiedName()).orElseThrow().runId();
            Map<String, String> before = catalog.lineage().expressionsAt(planned.model().qualifiedName(), run);
            if (!before.isEmpty()) {
                reason += "; columns " + columnChanges(before, planned.expressions());
            }
        }
        return reason;
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
        if (last.isEmpty()) {
            return "new model: never built";
        }
        ModelRunRecord previous = last.get();
        String materialized = planned.model().materialized().name().toLowerCase(Locale.ROOT);
        if (!previous.materialized().equals(materialized)) {
            return "materialization changed: " + previous.materialized() + " → " + materialized;
        }
        if (!previous.relation().equalsIgnoreCase(planned.model().qualifiedName())) {
            return "moved: " + previous.relation() + " → " + planned.model().qualifiedName();
        }
        if (!previous.sqlHash().equals(planned.model().sqlHash())) {
            return "SQL changed since run " + previous.runId();
        }
        return switch (planned.model().materialized()) {
            case TABLE -> "table: rebuilt from its inputs (last built in run " + previous.runId() + ")";
            case VIEW -> "view: definition refreshed (unchanged since run " + previous.runId() + ")";
            case EPHEMERAL -> "ephemeral: inlined into its consumers";
            case INCREMENTAL -> "incremental (last built in run " + previous.runId() + ")";
        };
    }
}
