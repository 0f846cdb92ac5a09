package dev.sluice.lineage;

import static java.util.Objects.requireNonNull;

import io.openlineage.client.OpenLineage.DatasetFacetsBuilder;
import io.openlineage.client.OpenLineage.InputDataset;
import io.openlineage.client.OpenLineage.InputField;
import io.openlineage.client.OpenLineage.OutputDataset;
import io.openlineage.client.OpenLineage.RunEvent;
import io.openlineage.client.OpenLineageClientUtils;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * OpenLineage 2-0-2 run events for model runs, built with the OpenLineage Java client: the model is the job and its
 * output dataset, its inputs the sources and models it reads. Facets: schema, dataSource, columnLineage (DIRECT edges
 * per field with their expression, INDIRECT ones on the whole dataset), dataQualityAssertions on each input that has
 * quality rules, dataQualityMetrics and outputStatistics on the output, sql, processing engine and parameters.
 */
public final class OpenLineage {
    static final URI PRODUCER = URI.create("https://github.com/sluice-dev/sluice/v" + dev.sluice.Sluice.VERSION);
    private static final io.openlineage.client.OpenLineage CLIENT = new io.openlineage.client.OpenLineage(PRODUCER);

    /** The kind of event: a model run starts, completes or fails. */
    public enum EventType { START, COMPLETE, FAIL }

    /** A column of a dataset, with its type. */
    public record Field(String name, String type) {
    }

    /** A quality rule's outcome on a dataset, as an OpenLineage assertion. */
    public record Assertion(String rule, String type, String column, String severity, boolean success) {
    }

    /**
     * A dataset an event names.
     *
     * @param name {@code schema.table}
     * @param uri where the data lives: the warehouse file, or the files a source reads
     * @param fields its columns, empty when unknown
     * @param assertions the quality rules it last passed or failed (inputs only)
     */
    public record Dataset(String name, URI uri, List<Field> fields, List<Assertion> assertions) {
        public Dataset {
            requireNonNull(name, "name");
            fields = List.copyOf(fields);
            assertions = List.copyOf(assertions);
        }
    }

    /**
     * What an event tells of one model run.
     *
     * @param namespace the datasets' namespace, such as {@code duckdb://target/retail.duckdb}
     * @param jobNamespace the job's namespace: the project's name
     * @param runId the model run's id (one per model and Sluice run)
     * @param output the model's table or view
     * @param rows rows published, null when unknown (START, FAIL)
     * @param bytes bytes on disk, null when unknown
     * @param columnMetrics column → metric name → value, from the model's quality gate
     * @param parameters the project's vars (secrets never reach them)
     * @param error the failure's message for FAIL events, null otherwise
     * @param sinks the tables outside the warehouse the model is also written to (its {@code sink:}), each an
     *     output of its own namespace
     */
    public record ModelRun(String namespace, String jobNamespace, UUID runId, EventType type, Instant eventTime,
            Dataset output, List<Dataset> inputs, String sql, String engineVersion, Map<String, Object> parameters,
            Long rows, Long bytes, Map<String, Map<String, Double>> columnMetrics, String error,
            List<SinkDataset> sinks) {
        public ModelRun {
            requireNonNull(namespace, "namespace");
            requireNonNull(runId, "runId");
            requireNonNull(type, "type");
            requireNonNull(output, "output");
            inputs = List.copyOf(inputs);
            parameters = Map.copyOf(parameters);
            columnMetrics = Map.copyOf(columnMetrics);
            sinks = List.copyOf(sinks);
        }

        /** A model run written to no sink. */
        public ModelRun(String namespace, String jobNamespace, UUID runId, EventType type, Instant eventTime,
                Dataset output, List<Dataset> inputs, String sql, String engineVersion, Map<String, Object> parameters,
                Long rows, Long bytes, Map<String, Map<String, Double>> columnMetrics, String error) {
            this(namespace, jobNamespace, runId, type, eventTime, output, inputs, sql, engineVersion, parameters, rows,
                    bytes, columnMetrics, error, List.of());
        }
    }

    /**
     * A model's sink as an output dataset, named per the OpenLineage naming spec of its database, such as namespace
     * {@code postgres://host:5432} and name {@code database.schema.table} (never credentials).
     */
    public record SinkDataset(String namespace, String name, List<Field> fields) {
        public SinkDataset {
            requireNonNull(namespace, "namespace");
            requireNonNull(name, "name");
            fields = List.copyOf(fields);
        }
    }

    private OpenLineage() {
    }

    /** The namespace of a project's datasets: its warehouse, relative to the project folder. */
    public static String namespace(java.nio.file.Path projectRoot, java.nio.file.Path warehouse) {
        return "duckdb://" + projectRoot.relativize(warehouse);
    }

    /** A COMPLETE event for a model from its lineage alone, as {@code sluice lineage --format openlineage} shows it. */
    public static RunEvent runEvent(ColumnLineage lineage, String namespace, String model, UUID runId,
            Instant eventTime) {
        Set<String> inputs = new LinkedHashSet<>();
        lineage.into(model).values().forEach(edges -> edges.forEach(edge -> inputs.add(ColumnLineage.relationOf(edge.from()))));
        List<Field> fields = lineage.into(model).keySet().stream().map(column -> new Field(column, null)).toList();
        return runEvent(lineage, new ModelRun(namespace, namespace, runId, EventType.COMPLETE, eventTime,
                new Dataset(model, null, fields, List.of()),
                inputs.stream().map(input -> new Dataset(input, null, List.of(), List.of())).toList(), null, null,
                Map.of(), null, null, Map.of(), null));
    }

    /** The run event of a model run, with its column lineage. */
    public static RunEvent runEvent(ColumnLineage lineage, ModelRun run) {
        var runFacets = CLIENT.newRunFacetsBuilder();
        if (run.engineVersion() != null) {
            runFacets.processing_engine(CLIENT.newProcessingEngineRunFacet(run.engineVersion(), "duckdb",
                    dev.sluice.Sluice.VERSION));
        }
        if (!run.parameters().isEmpty()) {
            runFacets.executionParameters(CLIENT.newExecutionParametersRunFacet(run.parameters().entrySet().stream()
                    .map(p -> CLIENT.newExecutionParameterBuilder().key(p.getKey()).value(String.valueOf(p.getValue()))
                            .build())
                    .toList()));
        }
        if (run.error() != null) {
            runFacets.errorMessage(CLIENT.newErrorMessageRunFacet(run.error(), "SQL", null));
        }
        var jobFacets = CLIENT.newJobFacetsBuilder()
                .jobType(CLIENT.newJobTypeJobFacet("BATCH", "SLUICE", "MODEL", null));
        if (run.sql() != null) {
            jobFacets.sql(CLIENT.newSQLJobFacet(run.sql(), "duckdb"));
        }
        List<InputDataset> inputs = new ArrayList<>();
        for (Dataset input : run.inputs()) {
            var inputFacets = CLIENT.newInputDatasetInputFacetsBuilder();
            if (!input.assertions().isEmpty()) {
                inputFacets.dataQualityAssertions(CLIENT.newDataQualityAssertionsDatasetFacet(input.assertions()
                        .stream().map(a -> CLIENT.newDataQualityAssertionsDatasetFacetAssertionsBuilder()
                                .assertion(a.type()).name(a.rule()).success(a.success()).column(a.column())
                                .severity(a.severity()).build())
                        .toList()));
            }
            inputs.add(CLIENT.newInputDataset(namespace(run.namespace(), input), name(input),
                    datasetFacets(input).build(), inputFacets.build()));
        }
        DatasetFacetsBuilder outputFacets = datasetFacets(run.output())
                .columnLineage(columnLineage(lineage, run.namespace(), run.output().name()));
        if (run.rows() != null) {
            var columns = CLIENT.newDataQualityMetricsDatasetFacetColumnMetricsBuilder();
            run.columnMetrics().forEach((column, metrics) -> columns.put(column,
                    CLIENT.newDataQualityMetricsDatasetFacetColumnMetricsAdditionalBuilder()
                            .nullCount(asLong(metrics.get("null_count")))
                            .distinctCount(asLong(metrics.get("distinct_count")))
                            .min(metrics.get("min")).max(metrics.get("max")).sum(metrics.get("sum")).build()));
            outputFacets.dataQualityMetrics(CLIENT.newDataQualityMetricsDatasetFacetBuilder().rowCount(run.rows())
                    .bytes(run.bytes()).columnMetrics(columns.build()).build());
        }
        var outputStatistics = CLIENT.newOutputDatasetOutputFacetsBuilder();
        if (run.rows() != null) {
            outputStatistics.outputStatistics(CLIENT.newOutputStatisticsOutputDatasetFacet(run.rows(), run.bytes(),
                    null));
        }
        OutputDataset output = CLIENT.newOutputDataset(namespace(run.namespace(), run.output()),
                name(run.output()), outputFacets.build(), outputStatistics.build());
        List<OutputDataset> outputs = new ArrayList<>(List.of(output));
        for (SinkDataset sink : run.sinks()) {
            outputs.add(CLIENT.newOutputDataset(sink.namespace(), sink.name(), datasetFacets(new Dataset(sink.name(),
                    null, sink.fields(), List.of())).build(), outputStatistics.build()));
        }
        return CLIENT.newRunEventBuilder()
                .eventType(io.openlineage.client.OpenLineage.RunEvent.EventType.valueOf(run.type().name()))
                .eventTime(run.eventTime().atZone(ZoneOffset.UTC))
                .run(CLIENT.newRun(run.runId(), runFacets.build()))
                .job(CLIENT.newJob(run.jobNamespace(), run.output().name(), jobFacets.build()))
                .inputs(inputs)
                .outputs(outputs)
                .build();
    }

    /**
     * A dataset's namespace per the OpenLineage naming spec: a dataset of another system by its scheme and server
     * ({@code s3://bucket}, {@code postgres://host:port}, {@code kafka://host:port}, {@code https://host:port}), every
     * dataset of the warehouse or the project's files in the run's namespace (the warehouse).
     */
    static String namespace(String runNamespace, Dataset dataset) {
        return remote(dataset.uri()) ? dataset.uri().getScheme() + "://" + dataset.uri().getRawAuthority()
                : runNamespace;
    }

    /**
     * A dataset's name: a dataset of another system by the path under its server (an object key prefix,
     * {@code database.schema.table}, a topic, an API's path), every other by its relation name.
     */
    static String name(Dataset dataset) {
        if (remote(dataset.uri())) {
            String path = dataset.uri().getPath() == null ? "" : dataset.uri().getPath().replaceAll("^/+|/+$", "");
            return path.isEmpty() ? "/" : path;
        }
        return dataset.name();
    }

    /** True for a URI naming a server (object storage, a database, a broker, an API), not a local file. */
    private static boolean remote(URI uri) {
        return uri != null && !uri.isOpaque() && uri.getRawAuthority() != null && !"file".equals(uri.getScheme());
    }

    /** The event as OpenLineage JSON. */
    public static String toJson(RunEvent event) {
        return OpenLineageClientUtils.toJson(event);
    }

    private static DatasetFacetsBuilder datasetFacets(Dataset dataset) {
        DatasetFacetsBuilder facets = CLIENT.newDatasetFacetsBuilder();
        if (dataset.uri() != null) {
            facets.dataSource(CLIENT.newDatasourceDatasetFacet(dataset.uri().getScheme(), dataset.uri()));
        }
        if (!dataset.fields().isEmpty()) {
            List<io.openlineage.client.OpenLineage.SchemaDatasetFacetFields> fields = new ArrayList<>();
            for (int i = 0; i < dataset.fields().size(); i++) {
                Field field = dataset.fields().get(i);
                fields.add(CLIENT.newSchemaDatasetFacetFieldsBuilder().name(field.name()).type(field.type())
                        .ordinal_position((long) i + 1).build());
            }
            facets.schema(CLIENT.newSchemaDatasetFacet(fields));
        }
        return facets;
    }

    private static io.openlineage.client.OpenLineage.ColumnLineageDatasetFacet columnLineage(ColumnLineage lineage,
            String namespace, String model) {
        var fields = CLIENT.newColumnLineageDatasetFacetFieldsBuilder();
        List<InputField> dataset = new ArrayList<>();
        Set<String> datasetSeen = new LinkedHashSet<>();
        Map<String, List<ColumnLineage.Edge>> columns = new LinkedHashMap<>(lineage.into(model));
        columns.forEach((column, edges) -> {
            List<InputField> inputFields = new ArrayList<>();
            for (ColumnLineage.Edge edge : edges) {
                if (edge.type().equals("DIRECT") || edge.subtype().equals("CONDITIONAL")) {
                    inputFields.add(field(namespace, edge, edge.type().equals("DIRECT")
                            ? lineage.expression(edge.to()) : null));
                } else if (datasetSeen.add(edge.from() + "|" + edge.subtype())) {
                    dataset.add(field(namespace, edge, null));
                }
            }
            fields.put(column, CLIENT.newColumnLineageDatasetFacetFieldsAdditionalBuilder().inputFields(inputFields)
                    .build());
        });
        return CLIENT.newColumnLineageDatasetFacetBuilder().fields(fields.build()).dataset(dataset).build();
    }

    private static InputField field(String namespace, ColumnLineage.Edge edge, String expression) {
        return CLIENT.newInputFieldBuilder().namespace(namespace).name(ColumnLineage.relationOf(edge.from()))
                .field(edge.from().substring(edge.from().lastIndexOf('.') + 1))
                .transformations(List.of(CLIENT.newInputFieldTransformationsBuilder().type(edge.type())
                        .subtype(edge.subtype()).description(expression).masking(edge.masking()).build()))
                .build();
    }

    private static Long asLong(Double value) {
        return value == null ? null : value.longValue();
    }
}
