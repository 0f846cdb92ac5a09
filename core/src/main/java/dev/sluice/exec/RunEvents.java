package dev.sluice.exec;

import dev.sluice.ModelResult;
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
    /** Masked columns: their metrics (a minimum, a maximum) are values, kept out of the events. */
    private final dev.sluice.project.ColumnMasks masks;
    private final Project project;
    private final Catalog catalog;
    private final long runId;
    private final String engineVersion;
    private final ColumnLineage lineage;
    private final String namespace;
    private final Map<String, PlannedModel> modelsByRelation = new java.util.HashMap<>();
    /** Input datasets of the builds under way, by model: computed at START, reused by COMPLETE or FAIL. */
    private final Map<String, List<OpenLineage.Dataset>> inputDatasets = new java.util.concurrent.ConcurrentHashMap<>();

    RunEvents(OpenLineageEmitter emitter, Project project, ProjectPlan plan, Catalog catalog, long runId,
            String engineVersion, dev.sluice.project.ColumnMasks masks) {
        this.emitter = emitter;
        this.masks = masks;
        this.project = project;
        this.catalog = catalog;
        this.runId = runId;
        this.engineVersion = engineVersion;
        this.lineage = emitter == null ? null : ColumnLineage.of(plan.models());
        this.namespace = OpenLineage.namespace(project.root(), project.warehouse());
        plan.models().forEach(model -> modelsByRelation.put(model.model().qualifiedName(), model));
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
            boolean success = result.status().ok();
            emitter.emit(OpenLineage.runEvent(lineage, event(planned, inputs, sql,
                    success ? OpenLineage.EventType.COMPLETE : OpenLineage.EventType.FAIL,
                    success ? result.rows() : null, bytes, metrics, result.error())));
        }
    }

    private OpenLineage.ModelRun event(PlannedModel planned, List<RunInputs.Input> inputs, String sql,
            OpenLineage.EventType type, Long rows, Long bytes, List<MetricValue> metrics, String error) {
        // A parquet model's data lives in its lake folder; the warehouse only holds a view over it.
        java.net.URI location = planned.model().lakeInS3() ? java.net.URI.create(planned.model().storage().path())
                : planned.model().storage().effectiveFormat().lake()
                ? planned.model().lakeFolder(project.root()).toUri()
                : project.warehouse().toUri();
        OpenLineage.Dataset output = new OpenLineage.Dataset(planned.model().qualifiedName(), location,
                fields(planned), List.of());
        // The inputs (and the quality each last had) are the same at START and at the end: read them once a build.
        List<OpenLineage.Dataset> datasets = type == OpenLineage.EventType.START
                ? inputDatasets.computeIfAbsent(planned.name(), k -> datasets(inputs))
                : java.util.Objects.requireNonNullElseGet(inputDatasets.remove(planned.name()), () -> datasets(inputs));
        Map<String, Map<String, Double>> columnMetrics = new LinkedHashMap<>();
        for (MetricValue metric : metrics) {
            if (metric.column() != null && metric.value() != null
                    && masks.of(planned.model().qualifiedName(), metric.column()) == null) {
                columnMetrics.computeIfAbsent(metric.column(), k -> new LinkedHashMap<>())
                        .put(metric.metric(), metric.value());
            }
        }
        List<OpenLineage.SinkDataset> sinks = planned.model().sink() == null ? List.of()
                : List.of(new OpenLineage.SinkDataset(dev.sluice.sink.SinkWriter.dataset(planned.model()).get(0),
                        dev.sluice.sink.SinkWriter.dataset(planned.model()).get(1), fields(planned)));
        return new OpenLineage.ModelRun(namespace, project.name(), runIdOf(planned), type, Instant.now(), output,
                datasets, sql, engineVersion, project.publicVars(), rows, bytes, columnMetrics, error, sinks);
    }

    private List<OpenLineage.Dataset> datasets(List<RunInputs.Input> inputs) {
        // a model input's columns with their types; none for sources (their types are not planned here)
        return inputs.stream().map(input -> new OpenLineage.Dataset(input.name(), input.uri(),
                input.kind().equals("model") ? fields(modelsByRelation.get(input.name())) : List.of(),
                assertions(input))).toList();
    }

    private static List<OpenLineage.Field> fields(PlannedModel model) {
        return model.columns().stream().map(c -> new OpenLineage.Field(c.name(), c.type())).toList();
    }

    /** The rules an input last passed or failed: a source's at load, a model's at its last build. */
    private List<OpenLineage.Assertion> assertions(RunInputs.Input input) {
        return catalog.quality().qualityResults(input.name(), null, 1).stream().map(RunEvents::assertion).toList();
    }

    private static OpenLineage.Assertion assertion(QualityResultRecord result) {
        Matcher column = RULE_COLUMN.matcher(result.rule());
        return new OpenLineage.Assertion(result.rule(), result.ruleType(), column.matches() ? column.group(1) : null,
                result.severity(), result.verdict().equals("pass"));
    }
}
