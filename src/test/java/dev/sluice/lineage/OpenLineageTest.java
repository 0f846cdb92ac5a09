package dev.sluice.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import dev.sluice.Sluice;
import dev.sluice.TestProjects;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Run events are valid against the official OpenLineage JSON schemas (copied under test resources). */
class OpenLineageTest {
    private static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012,
            builder -> builder.schemaMappers(mappers -> mappers
                    .mapPrefix("https://openlineage.io/spec/facets/1-2-0/", "classpath:openlineage/facets/")
                    .mapPrefix("https://openlineage.io/spec/2-0-2/", "classpath:openlineage/")));

    @TempDir
    Path dir;

    @Test
    void runEventsAreValidOpenLineageWithColumnLineage() {
        ColumnLineage lineage = Sluice.open(TestProjects.example("retail", dir)).lineage();
        ObjectNode event = OpenLineage.runEvent(lineage, "duckdb://target/retail.duckdb", "marts.daily_revenue",
                UUID.fromString("0190b8a2-0000-7000-8000-000000000001"), Instant.parse("2026-11-25T12:00:00Z"));

        JsonSchema core = SCHEMAS.getSchema(SchemaLocation.of("https://openlineage.io/spec/2-0-2/OpenLineage.json"));
        assertThat(core.validate(event)).isEmpty();
        JsonSchema facet = SCHEMAS.getSchema(
                SchemaLocation.of("https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json"));
        JsonNode facets = event.path("outputs").path(0).path("facets");
        assertThat(facet.validate(facets)).isEmpty();

        assertThat(event.path("inputs").findValuesAsText("name")).containsExactly("marts.orders");
        JsonNode revenue = facets.path("columnLineage").path("fields").path("revenue").path("inputFields").path(0);
        assertThat(revenue.path("field").asText()).isEqualTo("order_amount");
        assertThat(revenue.path("transformations").path(0).path("subtype").asText()).isEqualTo("AGGREGATION");
        assertThat(facets.path("columnLineage").path("dataset").findValuesAsText("subtype"))
                .contains("GROUP_BY", "SORT");

        // A broken event fails the same validation, so the checks above can fail.
        event.remove("eventTime");
        assertThat(core.validate(event)).isNotEmpty();
        ((ObjectNode) facets.path("columnLineage")).remove("fields");
        assertThat(facet.validate(facets)).isNotEmpty();
    }
}
