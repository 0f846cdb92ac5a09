package dev.sluice.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The official OpenLineage JSON schemas (spec 2-0-2 and its facets), loaded from the shared spec folder
 * {@code ../shared/openlineage-spec} (or the folder the system property {@code openlineage.spec} names). A clone
 * built where that folder does not exist uses the verbatim copy under test resources, which the tests check is
 * identical to the shared folder whenever both are there. Each schema's {@code $id} (its published URL) is mapped
 * to its file: there is no network here.
 */
final class OpenLineageSpec {
    /** Facet name in an event → the schema file that defines it. */
    static final Map<String, String> FACETS = Map.ofEntries(
            Map.entry("schema", "SchemaDatasetFacet"),
            Map.entry("dataSource", "DatasourceDatasetFacet"),
            Map.entry("columnLineage", "ColumnLineageDatasetFacet"),
            Map.entry("dataQualityMetrics", "DataQualityMetricsDatasetFacet"),
            Map.entry("dataQualityAssertions", "DataQualityAssertionsDatasetFacet"),
            Map.entry("outputStatistics", "OutputStatisticsOutputDatasetFacet"),
            Map.entry("sql", "SQLJobFacet"),
            Map.entry("jobType", "JobTypeJobFacet"),
            Map.entry("processing_engine", "ProcessingEngineRunFacet"),
            Map.entry("executionParameters", "ExecutionParametersRunFacet"),
            Map.entry("errorMessage", "ErrorMessageRunFacet"));

    private static final ObjectMapper JSON = new ObjectMapper();

    final Path folder;
    private final JsonSchemaFactory factory;
    private final Map<String, String> idsByFile = new HashMap<>();

    private OpenLineageSpec(Path folder) {
        this.folder = folder;
        Map<String, String> mappings = new HashMap<>();
        try (Stream<Path> files = Stream.concat(Stream.of(folder.resolve("OpenLineage.json")),
                Files.list(folder.resolve("facets")))) {
            for (Path file : files.toList()) {
                String id = JSON.readTree(file.toFile()).path("$id").asText();
                mappings.put(id, file.toUri().toString());
                idsByFile.put(file.getFileName().toString().replace(".json", ""), id);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
                builder -> builder.schemaMappers(mappers -> mappers.mappings(mappings)));
    }

    /** The shared spec folder, or the verbatim copy when this clone has no shared folder beside it. */
    static OpenLineageSpec load() {
        Path shared = shared();
        return new OpenLineageSpec(Files.isDirectory(shared) ? shared : vendored());
    }

    static Path shared() {
        return Path.of(System.getProperty("openlineage.spec", "../shared/openlineage-spec"));
    }

    static Path vendored() {
        try {
            return Path.of(OpenLineageSpec.class.getClassLoader().getResource("openlineage-spec/OpenLineage.json")
                    .toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Validation problems of an event against the core schema and of each facet against its own schema. */
    List<String> problems(JsonNode event) {
        List<String> problems = new ArrayList<>();
        JsonSchema core = factory.getSchema(SchemaLocation.of(idsByFile.get("OpenLineage")));
        core.validate(event).stream().map(ValidationMessage::toString).forEach(problems::add);
        List<JsonNode> containers = new ArrayList<>(List.of(event.path("run").path("facets"),
                event.path("job").path("facets")));
        for (String datasets : List.of("inputs", "outputs")) {
            for (JsonNode dataset : event.path(datasets)) {
                containers.add(dataset.path("facets"));
                containers.add(dataset.path("inputFacets"));
                containers.add(dataset.path("outputFacets"));
            }
        }
        for (JsonNode facets : containers) {
            for (Iterator<String> names = facets.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                assertThat(FACETS).as("a schema for facet %s", name).containsKey(name);
                JsonSchema facet = factory.getSchema(SchemaLocation.of(idsByFile.get(FACETS.get(name))));
                facet.validate(JSON.createObjectNode().set(name, facets.get(name))).stream()
                        .map(message -> name + ": " + message).forEach(problems::add);
            }
        }
        return problems;
    }
}
