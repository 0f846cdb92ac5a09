package dev.sluice.exec;

import dev.sluice.plan.ColumnOrigin;
import dev.sluice.plan.PlannedModel;
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
 * conditional path (when:, or the otherwise: of one), whose lineage Calcite derived, without LIMIT or a sample. A
 * model that fails or is blocked for another reason fails the run all the same. Stateless.
 */
final class FullReads {
    /** Words that let a scan stop before the last row. */
    private static final Pattern PARTIAL = Pattern.compile("(?i)\\b(limit|sample|tablesample|using\\s+sample)\\b");

    private FullReads() {
    }

    static Map<String, Set<String>> of(List<PlannedModel> selected, QualityRules quality) {
        Map<String, Set<String>> read = new HashMap<>();
        for (PlannedModel planned : selected) {
            if (!scansEveryRow(planned, quality)) {
                continue;
            }
            for (List<ColumnOrigin> origins : planned.lineage().values()) {
                for (ColumnOrigin origin : origins) {
                    if (planned.upstreamSources().contains(origin.relation())) {
                        read.computeIfAbsent(origin.relation(), source -> new HashSet<>())
                                .add(origin.column().toLowerCase(Locale.ROOT));
                    }
                }
            }
        }
        return read;
    }

    private static boolean scansEveryRow(PlannedModel planned, QualityRules quality) {
        Model model = planned.model();
        return model.materialized() == Materialization.TABLE && !model.windowed() && model.when() == null
                && quality.replaces(planned.name()).isEmpty() && planned.lineageProblem() == null && !planned.opaque()
                && !PARTIAL.matcher(model.sql()).find();
    }
}
