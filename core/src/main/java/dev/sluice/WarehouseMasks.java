package dev.sluice;

import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.Catalogs;
import dev.sluice.engine.Engine;
import dev.sluice.project.ColumnMasks;
import dev.sluice.project.Mask;
import dev.sluice.project.Project;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The masked columns readers of a warehouse see masked: those declared in the project's files now (so a mask just
 * added applies before any run) with those the last run carried along lineage ({@code sluice.column_masks}); the
 * stronger mask where both name a column. Nothing is planned.
 */
final class WarehouseMasks {
    private WarehouseMasks() {
    }

    static ColumnMasks of(Project project, Engine engine) {
        ColumnMasks declared = ColumnMasks.declared(project);
        java.util.Optional<Catalog> catalog = Catalogs.openIfPresent(project, engine);
        if (catalog.isEmpty()) {
            return declared;
        }
        Map<String, Map<String, Mask>> recorded = new LinkedHashMap<>();
        for (List<Object> row : catalog.get().lineage().latestMasks().values()) {
            recorded.computeIfAbsent((String) row.get(0), k -> new LinkedHashMap<>()).put((String) row.get(1),
                    Mask.of((String) row.get(2)));
        }
        return declared.with(new ColumnMasks(recorded));
    }
}
