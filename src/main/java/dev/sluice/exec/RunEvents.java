package dev.sluice.exec;

import dev.sluice.ModelResult;
import dev.sluice.ModelStatus;
import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.QualityResultRecord;
import dev.sluice.lineage.ColumnLineage;
import dev.sluice.lineage.OpenLineage;
import dev.sluice.lineage.OpenLineageEmitter;
import dev.sluice.plan.PlannedModel;
import dev.sluice.plan.ProjectPlan;
import dev.sluice.project.Project;
import dev.sluice.quality.MetricValue;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenLineage events of a run: START when a model starts building, COMPLETE or FAIL when it ends, each with the
 * model's column lineage, what it read (with the quality rules each input last passed), its SQL and parameters.
 */
final class RunEvents {
    /** The column a rule such as {@code not_null(order_id)} checks. */
    private static final Pattern RULE_COLUMN = Pattern.compile("\\w+\\((\\w+)\\)");

    private final OpenLineageEmitter emitter;
    private final Project project;
    private final ProjectPlan plan;
    private final Catalog catalog;
    private final long runId;
    private final String engineVersion;
    private final ColumnLineage lineage;
    private final String namespace;

    RunEvents(OpenLineageEmitter emitter, Project project, ProjectPlan plan, Catalog catalog, long runId,
            String engineVersion) {
        this.emitter = emitter;
        this.project = project;
        this.plan = plan;
        this.catalog = catalog;
        this.runId = runId;
        this.engineVersion = engineVersion;
        this.lineage = emitter == null ? null : ColumnLineage.of(plan.models());
        this.namespace = namespace(project);
    }

    /** The namespace of a project's datasets: its warehouse, relative to the project folder. */
    static String namespace(Project project) {
        return "duckdb://" + project.root().relativize(project.warehouse());
    }

    /** The OpenLineage run id of one model's build in this run: the same for its START and its end. */
    UUID runIdOf(PlannedModel planned) {
        return UUID.nameUUIDFromBytes((project.name() + "/" + runId + "/" + planned.model().qualifiedName())
                .getBytes(StandardCharsets.UTF_8));
    }

    void started(PlannedModel planned, List<RunInputs.Input> inputs, String sql) {
        if (emitter != null) {
            emitter.emit(OpenLineage.runEvent(lineage, event(planned, inputs, sql, OpenLineage.EventType.START, null,
                    null, List.of(), null)));
        }
    }

    void finished(PlannedModel planned, List<RunInputs.Input> inputs, String sql, ModelResult result, Long bytes,
            List<MetricValue> metrics) {
        if (emitter != null) {
            boolean success = result.status() == ModelStatus.SUCCESS;
            emitter.emit(OpenLineage.runEvent(lineage, event(planned, inputs, sql,
                    success ? OpenLineage.EventType.COMPLETE : OpenLineage.EventType.FAIL,
                    success ? result.rows() : null, bytes, metrics, result.error())));
        }
    }

    private OpenLineage.ModelRun event(PlannedModel planned, List<RunInputs.Input> inputs, String sql,
            OpenLineage.EventType type, Long rows, Long bytes, List<MetricValue> metrics, String error) {
        List<OpenLineage.Field> fields = planned.columns().stream()
                .map(column -> new OpenLineage.Field(column.name(), column.type())).toList();
        // A parquet model's data lives in its lake folder; the warehouse only holds a view over it.
        java.net.URI location = planned.model().storage().effectiveFormat() == dev.sluice.project.StorageSpec.Format.PARQUET
                ? dev.sluice.storage.StorageOptimizer.lakeFolder(project.root(), planned.model()).toUri()
                : project.warehouse().toUri();
        OpenLineage.Dataset output = new OpenLineage.Dataset(planned.model().qualifiedName(), location, fields,
                List.of());
        List<OpenLineage.Dataset> datasets = inputs.stream().map(input -> new OpenLineage.Dataset(input.name(),
                input.uri(), fieldsOf(input.name()), assertions(input))).toList();
        Map<String, Map<String, Double>> columnMetrics = new LinkedHashMap<>();
        for (MetricValue metric : metrics) {
            if (metric.column() != null && metric.value() != null) {
                columnMetrics.computeIfAbsent(metric.column(), k -> new LinkedHashMap<>())
                        .put(metric.metric(), metric.value());
            }
        }
        return new OpenLineage.ModelRun(namespace, project.name(), runIdOf(planned), type, Instant.now(), output,
                datasets, sql, engineVersion, project.vars(), rows, bytes, columnMetrics, error);
    }

    /** The columns of a model input with their types; empty for sources (their types are not planned here). */
    private List<OpenLineage.Field> fieldsOf(String relation) {
        return plan.models().stream().filter(model -> model.model().qualifiedName().equals(relation)).findFirst()
                .map(model -> model.columns().stream().map(c -> new OpenLineage.Field(c.name(), c.type())).toList())
                .orElse(List.of());
    }

    /** The rules an input last passed or failed: a source's at load, a model's at its last build. */
    private List<OpenLineage.Assertion> assertions(RunInputs.Input input) {
        String owner = input.kind().equals("source") ? input.name() : input.name().substring(
                input.name().indexOf('.') + 1);
        return catalog.qualityResults(owner, null, 1).stream().map(RunEvents::assertion).toList();
    }

    private static OpenLineage.Assertion assertion(QualityResultRecord result) {
        Matcher column = RULE_COLUMN.matcher(result.rule());
        return new OpenLineage.Assertion(result.rule(), result.ruleType(), column.matches() ? column.group(1) : null,
                result.severity(), result.verdict().equals("pass"));
    }
}
