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
 */
public record ModelInfo(String name, String qualifiedName, String materialized, String file, List<String> tags,
        List<Column> columns, List<String> upstreamModels, List<String> upstreamSources, String lineageProblem) {
    public ModelInfo {
        requireNonNull(name, "name");
        requireNonNull(qualifiedName, "qualifiedName");
        requireNonNull(materialized, "materialized");
        requireNonNull(file, "file");
        tags = List.copyOf(tags);
        columns = List.copyOf(columns);
        upstreamModels = List.copyOf(upstreamModels);
        upstreamSources = List.copyOf(upstreamSources);
    }

    /** An output column of a model and its DuckDB type. */
    public record Column(String name, String type) {
        public Column {
            requireNonNull(name, "name");
            requireNonNull(type, "type");
        }
    }
}
