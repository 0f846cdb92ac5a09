package dev.sluice.lineage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * OpenLineage 2-0-2 run events for models: the model is the job and its output dataset, its inputs the sources and
 * models it reads, with the column-lineage facet (DIRECT edges per field, INDIRECT ones on the whole dataset).
 */
public final class OpenLineage {
    static final String SCHEMA = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";
    static final String COLUMN_LINEAGE = "https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json";
    static final String PRODUCER = "https://github.com/sluice-dev/sluice/v" + dev.sluice.Sluice.VERSION;
    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenLineage() {
    }

    /**
     * A COMPLETE run event for one model.
     *
     * @param namespace the datasets' and job's namespace, such as {@code duckdb://target/retail.duckdb}
     * @param model the model's relation, {@code schema.name}
     */
    public static ObjectNode runEvent(ColumnLineage lineage, String namespace, String model, UUID runId,
            Instant eventTime) {
        ObjectNode event = JSON.createObjectNode();
        event.put("eventType", "COMPLETE");
        event.put("eventTime", eventTime.toString());
        event.put("producer", PRODUCER);
        event.put("schemaURL", SCHEMA);
        event.putObject("run").put("runId", runId.toString());
        event.putObject("job").put("namespace", namespace).put("name", model);
        Map<String, List<ColumnLineage.Edge>> columns = lineage.into(model);
        Set<String> inputs = new LinkedHashSet<>();
        columns.values().forEach(edges -> edges.forEach(edge -> inputs.add(relation(edge.from()))));
        ArrayNode inputNodes = event.putArray("inputs");
        inputs.forEach(input -> inputNodes.addObject().put("namespace", namespace).put("name", input));
        ObjectNode output = event.putArray("outputs").addObject().put("namespace", namespace).put("name", model);
        ObjectNode facet = output.putObject("facets").putObject("columnLineage");
        facet.put("_producer", PRODUCER);
        facet.put("_schemaURL", COLUMN_LINEAGE);
        ObjectNode fields = facet.putObject("fields");
        ArrayNode dataset = facet.putArray("dataset");
        Set<String> datasetSeen = new LinkedHashSet<>();
        columns.forEach((column, edges) -> {
            ArrayNode inputFields = fields.putObject(column).putArray("inputFields");
            for (ColumnLineage.Edge edge : edges) {
                if (edge.type().equals("DIRECT") || edge.subtype().equals("CONDITIONAL")) {
                    field(inputFields.addObject(), namespace, edge);
                } else if (datasetSeen.add(edge.from() + "|" + edge.subtype())) {
                    field(dataset.addObject(), namespace, edge);
                }
            }
        });
        return event;
    }

    private static void field(ObjectNode node, String namespace, ColumnLineage.Edge edge) {
        node.put("namespace", namespace).put("name", relation(edge.from())).put("field", column(edge.from()));
        node.putArray("transformations").addObject().put("type", edge.type()).put("subtype", edge.subtype())
                .put("masking", edge.masking());
    }

    private static String relation(String column) {
        return column.substring(0, column.lastIndexOf('.'));
    }

    private static String column(String column) {
        return column.substring(column.lastIndexOf('.') + 1);
    }
}
