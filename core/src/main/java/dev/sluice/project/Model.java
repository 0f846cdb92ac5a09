package dev.sluice.project;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One model file, loaded and parameter-substituted.
 *
 * @param name the file name without {@code .sql}; unique in the project
 * @param file the model file, absolute
 * @param relativeFile the file relative to the project folder, for messages ({@code models/marts/x.sql})
 * @param schema the warehouse schema the model is published in
 * @param sql the whole file text after {@code ${name}} substitution; the front matter comment is kept (blanked
 *     lines would shift positions), so line and column numbers of the SQL match the file
 * @param sqlHash SHA-256 (hex) of {@code sql}
 * @param quality the model's quality rules: its front matter's, then those of {@code tests/*.sql} files naming it
 * @param when a condition over upstream quality that must hold for the model to run, or null
 * @param otherwise the model that runs instead when {@code when} does not hold, or null
 * @param incremental how an incremental model folds new rows in; null for other materializations
 * @param storage what the model pins of its storage layout ({@link StorageSpec#NONE} when nothing)
 * @param time the time window of a windowed model (an incremental model built interval by interval); null otherwise
 * @param sink where the published result is also written ({@code sink:}), or null
 */
public record Model(
        String name,
        Path file,
        Path relativeFile,
        String schema,
        Materialization materialized,
        List<String> tags,
        String description,
        Map<String, ColumnMeta> columns,
        boolean enabled,
        SqlParserChoice parser,
        String sql,
        String sqlHash,
        List<RuleConfig> quality,
        String when,
        String otherwise,
        Incremental incremental,
        StorageSpec storage,
        TimeWindow time,
        SinkSpec sink) {
    public Model {
        requireNonNull(name, "name");
        requireNonNull(file, "file");
        requireNonNull(relativeFile, "relativeFile");
        requireNonNull(schema, "schema");
        requireNonNull(materialized, "materialized");
        tags = List.copyOf(tags);
        description = description == null ? "" : description;
        columns = Map.copyOf(columns);
        requireNonNull(parser, "parser");
        requireNonNull(sql, "sql");
        requireNonNull(sqlHash, "sqlHash");
        quality = List.copyOf(quality);
        if ((materialized == Materialization.INCREMENTAL) != (incremental != null)) {
            throw new IllegalArgumentException("incremental settings go with materialized: incremental only");
        }
        requireNonNull(storage, "storage");
        if (time != null && materialized != Materialization.INCREMENTAL) {
            throw new IllegalArgumentException("a time window goes with materialized: incremental only");
        }
    }

    /** A model without a sink. */
    public Model(String name, Path file, Path relativeFile, String schema, Materialization materialized,
            List<String> tags, String description, Map<String, ColumnMeta> columns, boolean enabled,
            SqlParserChoice parser, String sql, String sqlHash, List<RuleConfig> quality, String when, String otherwise,
            Incremental incremental, StorageSpec storage, TimeWindow time) {
        this(name, file, relativeFile, schema, materialized, tags, description, columns, enabled, parser, sql, sqlHash,
                quality, when, otherwise, incremental, storage, time, null);
    }

    /** This model with more quality rules appended. */
    public Model withMoreQuality(List<RuleConfig> more) {
        List<RuleConfig> all = new java.util.ArrayList<>(quality);
        all.addAll(more);
        return new Model(name, file, relativeFile, schema, materialized, tags, description, columns, enabled, parser, sql,
                sqlHash, all, when, otherwise, incremental, storage, time, sink);
    }

    /** True for a model built interval by interval ({@code time:} in its front matter). */
    public boolean windowed() {
        return time != null;
    }

    /**
     * The lake folder of a parquet model: its {@code storage.path} resolved against the project folder (which the
     * project's reader confined to it), or {@code target/lake/<schema>/<name>}.
     */
    public Path lakeFolder(Path projectRoot) {
        String path = storage.path();
        if (S3Settings.isS3(path)) {
            // written here by the engine, uploaded from here (storage/S3Lake), and read here by the model's view
            return projectRoot.resolve("target").resolve("lake-s3").resolve(path.substring("s3://".length()))
                    .normalize();
        }
        return path == null ? projectRoot.resolve("target").resolve("lake").resolve(schema).resolve(name)
                : projectRoot.resolve(path).normalize();
    }

    /** True when the lake output is uploaded to object storage ({@code storage.path: s3://bucket/prefix}). */
    public boolean lakeInS3() {
        return storage.effectiveFormat() == StorageSpec.Format.PARQUET && S3Settings.isS3(storage.path());
    }

    /** {@code schema.name}, the name the model is published under. */
    public String qualifiedName() {
        return schema + "." + name;
    }
}
