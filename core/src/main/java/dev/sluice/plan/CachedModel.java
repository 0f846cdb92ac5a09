package dev.sluice.plan;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the plan cache keeps of one planned model: the keys it was planned under, the tables its text names, and the
 * planned result (everything of a {@link PlannedModel} but the model's definition, which is read from its file each
 * time).
 *
 * @param textKey hash of what the model's own planning reads before its inputs: its text (front matter included),
 *     name, schema, parser, the project's vars and engine, and the Sluice version
 * @param planKey hash of {@code textKey} and of every table the model names: what it resolves to and that table's
 *     row type (and an ephemeral model's SQL, which is inlined)
 * @param references the tables the model's text names, where, as planning found them
 */
record CachedModel(
        String textKey,
        String planKey,
        List<CachedReference> references,
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

    /** A table name in the model's text: its parts as written and where ({@code start} -1 when not found in the text). */
    record CachedReference(List<String> parts, int start, int end, int line, int column) {
    }

    static CachedModel of(String textKey, String planKey, List<ParsedModel.Reference> references, PlannedModel planned) {
        List<CachedReference> kept = references.stream().map(reference -> new CachedReference(reference.parts(),
                reference.start(), reference.end(), reference.location().line(), reference.location().column()))
                .toList();
        return new CachedModel(textKey, planKey, kept, planned.executableSql(), planned.template(),
                planned.upstreamModels(), planned.upstreamSources(), planned.columns(), planned.opaque(),
                planned.lineage(), planned.expressions(), planned.columnSql(), planned.lineageProblem(),
                planned.windowBounds());
    }

    PlannedModel planned(dev.sluice.project.Model model) {
        return new PlannedModel(model, executableSql, template, upstreamModels, upstreamSources, columns, opaque,
                lineage, expressions, columnSql, lineageProblem, windowBounds);
    }
}
