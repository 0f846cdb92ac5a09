package dev.sluice.lineage;

import dev.sluice.project.ColumnMasks;
import dev.sluice.project.Mask;
import dev.sluice.project.Model;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Column masks carried along lineage: a column declared {@code mask:} passes its mask on, along DIRECT edges, to
 * every column computed from its value, and on from there; where several masked columns meet, the strongest mask
 * wins. Not carried: through an edge whose expression already hashes the value ({@code sha256(email)}: masking in
 * the lineage), and into a model column declared {@code unmasked: <reason>}. A model whose lineage is unknown is
 * treated as pii is: every column of it is taken to hold every masked value it reads.
 */
public final class MaskLineage {
    private MaskLineage() {
    }

    /** The masks of the project's planned models and of its sources: declared, and carried along their lineage. */
    public static ColumnMasks masks(dev.sluice.project.Project project, java.util.List<dev.sluice.plan.PlannedModel> models) {
        ColumnMasks declared = ColumnMasks.declared(project);
        if (declared.isEmpty()) {
            return declared;
        }
        return masks(ColumnLineage.of(models), declared, project.models());
    }

    /**
     * The masks of every column of the lineage's relations, with the declared ones.
     *
     * @param models the project's models, for their {@code unmasked:} declarations
     */
    public static ColumnMasks masks(ColumnLineage lineage, ColumnMasks declared, Iterable<Model> models) {
        Set<String> unmasked = new TreeSet<>();
        for (Model model : models) {
            model.columns().forEach((column, meta) -> {
                if (meta.unmasked() != null) {
                    unmasked.add(key(model.qualifiedName() + "." + column));
                }
            });
        }
        Map<String, Mask> masks = new LinkedHashMap<>();
        Deque<String> pending = new ArrayDeque<>();
        declared.byRelation().forEach((relation, columns) -> columns.forEach((column, mask) -> {
            masks.put(key(relation + "." + column), mask);
            pending.add(relation + "." + column);
        }));
        while (!pending.isEmpty()) {
            String column = pending.poll();
            Mask mask = masks.get(key(column));
            for (ColumnLineage.Edge edge : lineage.edgesOutOf(column)) {
                if (edge.type().equals("DIRECT") && !edge.masking()) {
                    carry(edge.to(), mask, masks, unmasked, pending);
                }
            }
            for (String output : lineage.underivedOutputs(column)) {
                carry(output, mask, masks, unmasked, pending);
            }
        }
        Map<String, Map<String, Mask>> byRelation = new LinkedHashMap<>();
        masks.forEach((column, mask) -> byRelation.computeIfAbsent(ColumnLineage.relationOf(column),
                k -> new LinkedHashMap<>()).put(column.substring(column.lastIndexOf('.') + 1), mask));
        return new ColumnMasks(byRelation);
    }

    private static void carry(String to, Mask mask, Map<String, Mask> masks, Set<String> unmasked,
            Deque<String> pending) {
        if (unmasked.contains(key(to))) {
            return;
        }
        Mask before = masks.get(key(to));
        Mask after = Mask.strongest(before, mask);
        if (after != before) {
            masks.put(key(to), after);
            pending.add(to);
        }
    }

    private static String key(String column) {
        return column.toLowerCase(Locale.ROOT);
    }
}
