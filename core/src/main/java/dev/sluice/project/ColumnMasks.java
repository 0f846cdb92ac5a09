package dev.sluice.project;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The masked columns of a warehouse: for each relation ({@code schema.table}, any case), its masked columns (any
 * case) and their masks. Immutable; lookups ignore case, as the engine's names do.
 */
public record ColumnMasks(Map<String, Map<String, Mask>> byRelation) {
    public static final ColumnMasks NONE = new ColumnMasks(Map.of());

    public ColumnMasks {
        Map<String, Map<String, Mask>> copy = new LinkedHashMap<>();
        byRelation.forEach((relation, columns) -> {
            Map<String, Mask> lower = copy.computeIfAbsent(key(relation), k -> new LinkedHashMap<>());
            columns.forEach((column, mask) -> lower.merge(key(column), mask, Mask::strongest));
        });
        copy.replaceAll((relation, columns) -> Collections.unmodifiableMap(columns));
        copy.values().removeIf(Map::isEmpty);
        byRelation = Collections.unmodifiableMap(copy);
    }

    /** The masks declared in the project's files: {@code mask:} on source and model columns, before lineage. */
    public static ColumnMasks declared(Project project) {
        Map<String, Map<String, Mask>> masks = new LinkedHashMap<>();
        for (Source source : project.sources()) {
            source.columns().forEach((column, meta) -> {
                if (meta.mask() != null) {
                    masks.computeIfAbsent(source.qualifiedName(), k -> new LinkedHashMap<>()).put(column, meta.mask());
                }
            });
        }
        for (Model model : project.models()) {
            model.columns().forEach((column, meta) -> {
                if (meta.mask() != null) {
                    masks.computeIfAbsent(model.qualifiedName(), k -> new LinkedHashMap<>()).put(column, meta.mask());
                }
            });
        }
        return new ColumnMasks(masks);
    }

    /** The masked columns of a relation ({@code schema.table}), lower-cased; empty when none. */
    public Map<String, Mask> of(String relation) {
        return byRelation.getOrDefault(key(relation), Map.of());
    }

    /** The mask of {@code relation.column}, or null. */
    public Mask of(String relation, String column) {
        return of(relation).get(key(column));
    }

    public boolean isEmpty() {
        return byRelation.isEmpty();
    }

    /** Both sets of masks; where both mask a column, the stronger mask. */
    public ColumnMasks with(ColumnMasks other) {
        Map<String, Map<String, Mask>> merged = new LinkedHashMap<>();
        byRelation.forEach((relation, columns) -> merged.put(relation, new LinkedHashMap<>(columns)));
        other.byRelation.forEach((relation, columns) -> columns.forEach((column, mask) -> merged
                .computeIfAbsent(relation, k -> new LinkedHashMap<>()).merge(column, mask, Mask::strongest)));
        return new ColumnMasks(merged);
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
