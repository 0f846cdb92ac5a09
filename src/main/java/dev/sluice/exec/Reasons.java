package dev.sluice.exec;

import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.ModelRunRecord;
import dev.sluice.plan.PlannedModel;
import java.util.Locale;
import java.util.Optional;

/** Why a model runs, from its last successful build in the catalog. */
final class Reasons {
    private Reasons() {
    }

    static String of(PlannedModel planned, Catalog catalog) {
        return of(planned, catalog == null ? Optional.empty() : catalog.lastSuccess(planned.name()));
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
