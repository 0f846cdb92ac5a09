package dev.sluice.storage.iceberg;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.catalog.StorageStore;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.project.Model;
import dev.sluice.storage.Layout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.Transactions;
import org.apache.iceberg.mapping.MappingUtil;
import org.apache.iceberg.mapping.NameMapping;
import org.apache.iceberg.mapping.NameMappingParser;

/**
 * Writes the Iceberg table of a model ({@code storage: { format: iceberg }}) in its lake folder, each publish one
 * Iceberg commit inside the publishing transaction: a full build replaces the table's files (Iceberg's replace
 * transaction: new schema, partition spec and sort order from the layout, history kept), an append adds the new
 * files, a merge rewrites only the data files holding a staged key (an overwrite deleting those files and adding
 * their kept rows with the staged ones). The data files of a run go to {@code data/run-<id>/}. The view of the
 * model's name reads the new snapshot's files and commits with it. A publish that does not commit deletes what it
 * wrote ({@link #abandon}); what a killed one left is deleted by the model's next publish. Thread-safe across
 * models; one model is published by one thread at a time.
 */
public final class IcebergWriter {
    private final StorageStore store;
    private final Path projectRoot;
    private final Map<String, LocalFileIO> pending = new ConcurrentHashMap<>();

    /** What one Iceberg commit did: the new snapshot, the metadata version, the data files added and removed. */
    public record Commit(long snapshotId, int version, List<String> added, List<String> removed) {
        public Commit {
            added = List.copyOf(added);
            removed = List.copyOf(removed);
        }
    }

    /** A writer of the Iceberg tables of the project in {@code projectRoot}, recorded in {@code store}. */
    public IcebergWriter(StorageStore store, Path projectRoot) {
        this.store = store;
        this.projectRoot = projectRoot.toAbsolutePath().normalize();
    }

    /**
     * Replaces the rows of the model's table by those of {@code source} (a relation of the session, or a
     * parenthesised query with an alias) in the layout, and points the model's view at the new snapshot.
     */
    public Commit replace(Session session, Model model, String source, Layout layout, long runId) {
        String what = what(model);
        List<IcebergTypes.Column> columns = IcebergTypes.columns(session, source, what);
        IcebergTypes.checkFits(session, source, columns, what);
        CatalogTableOperations ops = begin(session, model, runId);
        Schema schema = IcebergTypes.schema(columns);
        String location = LocalFileIO.location(model.lakeFolder(projectRoot));
        TableMetadata base = ops.current();
        TableMetadata replacement = base == null
                ? TableMetadata.newTableMetadata(schema, IcebergLayout.spec(schema, layout),
                        IcebergLayout.sortOrder(schema, layout), location, IcebergLayout.properties(layout))
                : base.buildReplacement(schema, IcebergLayout.spec(schema, layout),
                        IcebergLayout.sortOrder(schema, layout), location, IcebergLayout.properties(layout));
        Transaction transaction = base == null
                ? Transactions.createTableTransaction(model.qualifiedName(), ops, replacement)
                : Transactions.replaceTableTransaction(model.qualifiedName(), ops, replacement);
        Table table = transaction.table();
        // the files carry no field ids: the name mapping (of the ids Iceberg assigned) maps their columns
        NameMapping mapping = MappingUtil.create(table.schema());
        transaction.updateProperties().set(TableProperties.DEFAULT_NAME_MAPPING, NameMappingParser.toJson(mapping))
                .commit();
        List<DataFile> added = write(session, source, columns, table, layout, layout.estimatedBytes(), model, runId,
                "data", mapping, ops.io());
        AppendFiles append = transaction.newAppend();
        added.forEach(append::appendFile);
        append.commit();
        transaction.commitTransaction();
        return published(session, model, ops, columns, added, List.of());
    }

    /**
     * Folds the staged new rows of an incremental model into its table: appended as new files, or, with a
     * {@code mergeKey}, replacing the rows of the same key by rewriting only the files that hold one. Without a table
     * on record (a model that was a Parquet folder until now) the table is written from the view and the new rows.
     */
    public Commit fold(Session session, Model model, String staging, Layout layout, long runId,
            List<String> mergeKey) {
        String what = what(model);
        String view = Sql.qualified(model.schema(), model.name());
        List<List<Object>> before = session.query("DESCRIBE " + view).values();
        List<List<Object>> after = session.query("DESCRIBE " + staging).values();
        if (!described(before).equals(described(after))) {
            throw new SluiceException(ErrorCode.RUN_FAILED, "its columns changed (%s before, %s now); an "
                    + "incremental Iceberg output keeps its columns: rebuild it with --full-refresh",
                    String.join(", ", described(before)), String.join(", ", described(after)));
        }
        if (store.currentIcebergVersion(session, model.qualifiedName()).isEmpty()) {
            String kept = mergeKey.isEmpty() ? "" : " WHERE NOT EXISTS (SELECT 1 FROM " + staging + " AS s WHERE "
                    + keysMatch(mergeKey) + ")";
            return replace(session, model, "(SELECT * FROM " + view + " AS t" + kept + " UNION ALL SELECT * FROM "
                    + staging + ") AS folded", layout, runId);
        }
        List<IcebergTypes.Column> columns = IcebergTypes.columns(session, staging, what);
        IcebergTypes.checkFits(session, staging, columns, what);
        CatalogTableOperations ops = begin(session, model, runId);
        Table table = new BaseTable(ops, model.qualifiedName());
        NameMapping mapping = NameMappingParser.fromJson(table.properties().get(TableProperties.DEFAULT_NAME_MAPPING));
        List<DataFile> touched = mergeKey.isEmpty() ? List.of() : touched(session, table, staging, mergeKey);
        if (touched.isEmpty()) {
            List<DataFile> added = write(session, staging, columns, table, layout, layout.estimatedBytes(), model,
                    runId, "part", mapping, ops.io());
            AppendFiles append = table.newAppend();
            added.forEach(append::appendFile);
            append.commit();
            return published(session, model, ops, columns, added, List.of());
        }
        long touchedBytes = touched.stream().mapToLong(DataFile::fileSizeInBytes).sum();
        String kept = "(SELECT * FROM (SELECT " + IcebergTypes.viewed(columns) + " FROM " + scan(session, touched)
                + ") AS t WHERE NOT EXISTS (SELECT 1 FROM " + staging + " AS s WHERE " + keysMatch(mergeKey)
                + ") UNION ALL SELECT * FROM " + staging + ") AS merged";
        List<DataFile> added = write(session, kept, columns, table, layout, layout.estimatedBytes() + touchedBytes,
                model, runId, "part", mapping, ops.io());
        OverwriteFiles overwrite = table.newOverwrite();
        touched.forEach(overwrite::deleteFile);
        added.forEach(overwrite::addFile);
        overwrite.validateFromSnapshot(table.currentSnapshot().snapshotId());
        overwrite.commit();
        return published(session, model, ops, columns, added, touched);
    }

    /** The current data files holding a row whose key one of the staged rows has. */
    private static List<DataFile> touched(Session session, Table table, String staging, List<String> mergeKey) {
        Map<String, DataFile> files = new HashMap<>();
        for (DataFile file : IcebergTables.liveFiles(table, null)) {
            files.put(LocalFileIO.path(file.location()).toAbsolutePath().normalize().toString(), file);
        }
        if (files.isEmpty()) {
            return List.of();
        }
        String list = IcebergTables.list(files.keySet().stream().sorted().map(Path::of).toList());
        List<DataFile> touched = new ArrayList<>();
        for (List<Object> row : session.query("SELECT DISTINCT filename FROM " + session.dialect().readFiles(
                dev.sluice.engine.Dialect.FileFormat.PARQUET, list, List.of("filename = true")) + " AS t WHERE EXISTS "
                + "(SELECT 1 FROM " + staging + " AS s WHERE " + keysMatch(mergeKey) + ") ORDER BY filename")
                .values()) {
            touched.add(files.get(Path.of((String) row.get(0)).toAbsolutePath().normalize().toString()));
        }
        return touched;
    }

    private static String scan(Session session, List<DataFile> files) {
        return session.dialect().readParquet(IcebergTables.list(files.stream()
                .map(file -> LocalFileIO.path(file.location())).toList()), false);
    }

    /** Staged row {@code s} and held row {@code t} have the same key. */
    static String keysMatch(List<String> key) {
        return String.join(" AND ", key.stream().map(column -> "s." + Sql.identifier(column)
                + " IS NOT DISTINCT FROM t." + Sql.identifier(column)).toList());
    }

    private static List<String> described(List<List<Object>> described) {
        return described.stream().map(row -> row.get(0) + " " + row.get(1)).toList();
    }

    /** Writes rows into the run's data folder as data files of the table's schema, spec and sort order. */
    List<DataFile> write(Session session, String source, List<IcebergTypes.Column> columns, Table table,
            Layout layout, long estimatedBytes, Model model, long runId, String prefix, NameMapping mapping,
            org.apache.iceberg.io.FileIO io) {
        List<Path> files = IcebergFiles.write(session, source, columns, table.schema(), table.spec(),
                IcebergTables.sortColumns(table), layout, estimatedBytes, dataFolder(model, runId), prefix);
        return IcebergFiles.dataFiles(session, files, table.schema(), table.spec(), table.sortOrder(),
                table.properties(), mapping, (LocalFileIO) io);
    }

    /** Points the model's view at the committed snapshot's files (in the transaction) and says what it did. */
    Commit published(Session session, Model model, CatalogTableOperations ops,
            List<IcebergTypes.Column> columns, List<DataFile> added, List<DataFile> removed) {
        Table table = new BaseTable(ops, model.qualifiedName());
        IcebergTables.switchView(session, Sql.qualified(model.schema(), model.name()), columns,
                IcebergTables.liveFiles(table, null));
        return new Commit(table.currentSnapshot().snapshotId(), ops.version(), locations(added), locations(removed));
    }

    private static List<String> locations(List<DataFile> files) {
        return files.stream().map(DataFile::location).toList();
    }

    /**
     * Opens the model's table for a publish of run {@code runId}: deletes what killed publishes left (data folders
     * of runs the catalog records no commit of, metadata files past the recorded version), then hands out table
     * operations bound to the session, whose files are remembered for {@link #abandon}.
     */
    CatalogTableOperations begin(Session session, Model model, long runId) {
        LocalFileIO io = pending.computeIfAbsent(key(model, runId), k -> new LocalFileIO());
        Path location = model.lakeFolder(projectRoot);
        CatalogTableOperations ops = new CatalogTableOperations(store, session, model.qualifiedName(), runId,
                projectRoot, location, io);
        if (removeLeftovers(model, runId, ops.version()) && ops.current() != null) {
            removeUnreferencedManifests(model, ops);
        }
        return ops;
    }

    /**
     * After a killed publish: deletes the manifests and manifest lists in the metadata folder that no snapshot of the
     * current metadata references (those of the killed commit). Only then: it reads every snapshot's manifest list.
     */
    private void removeUnreferencedManifests(Model model, CatalogTableOperations ops) {
        Set<Path> referenced = new java.util.HashSet<>();
        for (org.apache.iceberg.Snapshot snapshot : ops.current().snapshots()) {
            referenced.add(LocalFileIO.path(snapshot.manifestListLocation()).toAbsolutePath().normalize());
            snapshot.allManifests(ops.io()).forEach(manifest -> referenced.add(LocalFileIO.path(manifest.path())
                    .toAbsolutePath().normalize()));
        }
        try (var files = Files.list(model.lakeFolder(projectRoot).resolve("metadata"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".avro")).toList()) {
                if (!referenced.contains(file.toAbsolutePath().normalize())) {
                    Files.delete(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes what killed publishes left; returns whether there was any. */
    private boolean removeLeftovers(Model model, long runId, int version) {
        boolean found = false;
        Path location = model.lakeFolder(projectRoot);
        Set<String> recorded = new LinkedHashSet<>();
        store.icebergVersions(model.qualifiedName()).forEach(v -> recorded.add("run-" + v.runId()));
        recorded.add("run-" + runId);
        try {
            Path data = location.resolve("data");
            if (Files.isDirectory(data)) {
                try (var folders = Files.list(data)) {
                    for (Path folder : folders.toList()) {
                        String name = folder.getFileName().toString();
                        if (name.startsWith("run-") && !recorded.contains(name)) {
                            delete(folder);
                            found = true;
                        }
                    }
                }
            }
            Path metadata = location.resolve("metadata");
            if (Files.isDirectory(metadata)) {
                try (var files = Files.list(metadata)) {
                    for (Path file : files.toList()) {
                        java.util.regex.Matcher numbered = java.util.regex.Pattern.compile(
                                "(?:v(\\d+)|(\\d{5})-[0-9a-f-]+)\\.metadata\\.json")
                                .matcher(file.getFileName().toString());
                        if (numbered.matches() && Integer.parseInt(numbered.group(1) != null ? numbered.group(1)
                                : numbered.group(2)) > version) {
                            Files.delete(file);
                            found = true;
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /**
     * After a publish that did not commit: deletes the data files, manifests and metadata it wrote. What cannot be
     * deleted now is deleted by the model's next publish.
     */
    public void abandon(Model model, long runId) {
        LocalFileIO io = pending.remove(key(model, runId));
        if (io == null) {
            return;
        }
        try {
            for (Path file : io.created()) {
                Files.deleteIfExists(file);
            }
            delete(dataFolder(model, runId));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * After the commit: forgets the publish and publishes the committed metadata the way Hadoop-style tables are
     * read by path (Spark's {@code hadoop} catalog, Iceberg's HadoopTables): a copy named
     * {@code metadata/v<n>.metadata.json}, then {@code metadata/version-hint.text} naming it. Written only after
     * the commit, so those readers never see a publish that did not commit; a failure here leaves them one version
     * behind until the next publish.
     */
    public void committed(Session session, Model model, long runId) {
        pending.remove(key(model, runId));
        store.currentIcebergVersion(session, model.qualifiedName()).ifPresent(version -> {
            try {
                Path metadata = model.lakeFolder(projectRoot).resolve("metadata");
                Path copy = metadata.resolve("v" + version.version() + ".metadata.json");
                Path partial = metadata.resolve("v" + version.version() + ".metadata.json.partial");
                Files.copy(projectRoot.resolve(version.metadataPath()), partial,
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Files.move(partial, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                Path hint = metadata.resolve("version-hint.text");
                Path hintPartial = metadata.resolve("version-hint.text.partial");
                Files.writeString(hintPartial, Integer.toString(version.version()));
                Files.move(hintPartial, hint, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Bytes of the data files of the model's current snapshot, as the session sees it; 0 without a table. */
    public long bytes(Session session, Model model) {
        Table table = table(session, model);
        return table == null ? 0 : IcebergTables.liveFiles(table, null).stream().mapToLong(DataFile::fileSizeInBytes)
                .sum();
    }

    /** The model's table as the session sees it (read only), or null when the catalog records none. */
    Table table(Session session, Model model) {
        CatalogTableOperations ops = new CatalogTableOperations(store, session, model.qualifiedName(), -1,
                projectRoot, model.lakeFolder(projectRoot), new LocalFileIO());
        return ops.current() == null ? null : new BaseTable(ops, model.qualifiedName());
    }

    /** The folder the data files of run {@code runId} go to. */
    Path dataFolder(Model model, long runId) {
        return model.lakeFolder(projectRoot).resolve("data").resolve("run-" + runId);
    }

    private static String key(Model model, long runId) {
        return model.qualifiedName() + "@" + runId;
    }

    static String what(Model model) {
        return "model " + model.name() + " (" + model.relativeFile() + ")";
    }

    private static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var files = Files.walk(root)) {
            for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
