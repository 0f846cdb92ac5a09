package dev.sluice.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.Sluice;
import dev.sluice.ProjectFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Events built with the OpenLineage client validate against the official OpenLineage JSON schemas. */
class OpenLineageTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void lineageEventsAreValidOpenLineageWithColumnLineageAndExpressions() throws IOException {
        // the internal graph the event is built from (the public API returns its own Lineage)
        ColumnLineage lineage = ColumnLineage.of(new dev.sluice.exec.Pipeline(dev.sluice.project.ProjectReader.read(
                ProjectFixture.example("retail", dir).root().toAbsolutePath().normalize(), java.util.Map.of()), Sluice.VERSION)
                .plan().models());
        JsonNode event = JSON.readTree(OpenLineage.toJson(OpenLineage.runEvent(lineage,
                "duckdb://target/retail.duckdb", "marts.daily_revenue",
                UUID.fromString("0190b8a2-0000-7000-8000-000000000001"), Instant.parse("2026-11-25T12:00:00Z"))));

        OpenLineageSpec spec = OpenLineageSpec.load();
        assertThat(spec.problems(event)).isEmpty();
        assertThat(event.path("eventType").asText()).isEqualTo("COMPLETE");
        assertThat(event.path("inputs").findValuesAsText("name")).containsExactly("marts.orders");
        JsonNode facets = event.path("outputs").path(0).path("facets");
        JsonNode revenue = facets.path("columnLineage").path("fields").path("revenue").path("inputFields").path(0);
        assertThat(revenue.path("field").asText()).isEqualTo("order_amount");
        assertThat(revenue.path("transformations").path(0).path("subtype").asText()).isEqualTo("AGGREGATION");
        assertThat(revenue.path("transformations").path(0).path("description").asText())
                .isEqualTo("sum(order_amount)");
        assertThat(facets.path("columnLineage").path("dataset").findValuesAsText("subtype"))
                .contains("GROUP_BY", "SORT");

        // A broken event fails the same validation, so the checks above can fail.
        ((ObjectNode) event).remove("eventTime");
        ((ObjectNode) facets.path("columnLineage")).remove("fields");
        assertThat(spec.problems(event)).anyMatch(problem -> problem.contains("eventTime"))
                .anyMatch(problem -> problem.startsWith("columnLineage: ") && problem.contains("fields"));
    }

    @Test
    void theSchemasComeFromTheSharedSpecFolderAndTheCopyMatchesIt() throws IOException {
        Path shared = OpenLineageSpec.shared();
        OpenLineageSpec spec = OpenLineageSpec.load();
        if (Files.isDirectory(shared)) {
            assertThat(spec.folder).isEqualTo(shared);
            // The copy a clone without the shared folder validates against is the same spec, byte for byte.
            try (Stream<Path> files = Files.walk(shared)) {
                for (Path file : files.filter(Files::isRegularFile).toList()) {
                    assertThat(OpenLineageSpec.vendored().resolve(shared.relativize(file)))
                            .as("copy of %s", file).hasSameBinaryContentAs(file);
                }
            }
        } else {
            assertThat(spec.folder).isEqualTo(OpenLineageSpec.vendored());
        }
        assertThat(spec.folder.resolve("facets/ColumnLineageDatasetFacet.json")).exists();
        assertThat(OpenLineageSpec.FACETS.values()).allSatisfy(name ->
                assertThat(spec.folder.resolve("facets/" + name + ".json")).exists());
    }

    /** The events a run wrote to a file, one per line, parsed. */
    static List<JsonNode> events(Path file) throws IOException {
        return Files.readAllLines(file).stream().filter(line -> !line.isBlank()).map(line -> {
            try {
                return JSON.readTree(line);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList();
    }

    static Map<String, JsonNode> byJob(List<JsonNode> events, String type) {
        Map<String, JsonNode> byJob = new java.util.TreeMap<>();
        events.stream().filter(e -> e.path("eventType").asText().equals(type))
                .forEach(e -> byJob.put(e.path("job").path("name").asText(), e));
        return byJob;
    }
}
