package dev.sluice;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A planned model as the public API shows it: validated, with its output columns and what it reads. Immutable.
 *
 * @param name the model's name (its file name without {@code .sql})
 * @param qualifiedName {@code schema.name}, the relation it publishes
 * @param materialized {@code table}, {@code view}, {@code incremental} or {@code ephemeral}
 * @param file the model's file, relative to the project folder
 * @param upstreamModels the models it reads, by name, sorted
 * @param upstreamSources the sources it reads, as {@code schema.table}, sorted
 * @param lineageProblem why its column lineage could not be derived (Calcite's message), or null when it was
 * @param description the front matter's {@code description}, empty when it has none
 * @param uniqueKey the columns identifying a row of an incremental model merged by key; empty for other models
 */
public record ModelInfo(String name, String qualifiedName, String materialized, String file, List<String> tags,
        List<Column> columns, List<String> upstreamModels, List<String> upstreamSources, String lineageProblem,
        String description, List<String> uniqueKey) {
    public ModelInfo {
        requireNonNull(name, "name");
        requireNonNull(qualifiedName, "qualifiedName");
        requireNonNull(materialized, "materialized");
        requireNonNull(file, "file");
        tags = List.copyOf(tags);
        columns = List.copyOf(columns);
        upstreamModels = List.copyOf(upstreamModels);
        upstreamSources = List.copyOf(upstreamSources);
        description = description == null ? "" : description;
        uniqueKey = List.copyOf(uniqueKey);
    }

    /** A model without a description or unique key. */
    public ModelInfo(String name, String qualifiedName, String materialized, String file, List<String> tags,
            List<Column> columns, List<String> upstreamModels, List<String> upstreamSources, String lineageProblem) {
        this(name, qualifiedName, materialized, file, tags, columns, upstreamModels, upstreamSources, lineageProblem,
                "", List.of());
    }

    /**
     * An output column of a model and its DuckDB type.
     *
     * @param description what the front matter's {@code columns:} says of it, empty when nothing
     * @param pii whether the front matter declares it personal data ({@code pii: true}); lineage derives more
     *     ({@link Lineage#pii})
     */
    public record Column(String name, String type, String description, boolean pii) {
        public Column {
            requireNonNull(name, "name");
            requireNonNull(type, "type");
            description = description == null ? "" : description;
        }

        /** A column without a description, not declared personal data. */
        public Column(String name, String type) {
            this(name, type, "", false);
        }
    }
}
