package dev.sluice.storage;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.StorageStore;
import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.plan.ColumnOrigin;
import dev.sluice.plan.PlannedModel;
import dev.sluice.project.Incremental;
import dev.sluice.project.Model;
import dev.sluice.project.StorageSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Storage optimisation of one run's builds: measures a staged table, decides its layout, records statistics and
 * decisions in the catalog within the publishing transaction, and applies the layout (a sorted rewrite of a
 * warehouse table, or a Parquet lake version behind a view). Thread-safe: it holds immutable settings only.
 */
public final class StorageOptimizer {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Query repetitions of a measurement; the median is kept. */
    public static final int MEASURE_REPETITIONS = 5;

    /**
     * The least room a warehouse build asks for, whatever its table: DuckDB's write-ahead log, the checkpoint that
     * follows the commit and the catalog's rows of the build take some blocks (256 KiB each) even for one row.
     */
    static final long WAREHOUSE_FLOOR_BYTES = 16L << 20;
    /**
     * How many times a new warehouse table is written before the space of the table it replaces is free again: once
     * to the write-ahead log at the commit, once into the database file at the checkpoint.
     */
    static final int WAREHOUSE_COPIES = 2;

    private final Catalog catalog;
    private final FreeSpace freeSpace;
    private final LakeWriter lake;
    private final LakeVersions versions;
    private final Map<String, Map<String, Integer>> filterUses;
    private final long targetFileSize;
    private final Path projectRoot;

    /**
     * @param filterUses per model (qualified name, lower case) the columns downstream predicates filter on, with
     *     how many models do ({@link #filterUses(List)})
     */
    public StorageOptimizer(Catalog catalog, FreeSpace freeSpace, Map<String, Map<String, Integer>> filterUses,
            long targetFileSize, Path projectRoot) {
        this(catalog, freeSpace, filterUses, targetFileSize, projectRoot, dev.sluice.project.S3Settings.NONE);
    }

    /** @param s3 where lake outputs on {@code s3://} are uploaded */
    public StorageOptimizer(Catalog catalog, FreeSpace freeSpace, Map<String, Map<String, Integer>> filterUses,
            long targetFileSize, Path projectRoot, dev.sluice.project.S3Settings s3) {
        this.catalog = catalog;
        this.freeSpace = freeSpace;
        this.lake = new LakeWriter(freeSpace, projectRoot);
        this.versions = new LakeVersions(catalog, projectRoot, s3);
        this.filterUses = Map.copyOf(filterUses);
        this.targetFileSize = targetFileSize;
        this.projectRoot = projectRoot;
    }

    /** Per model, the columns other models filter on (WHERE, HAVING, FILTER), counted once per filtering model. */
    public static Map<String, Map<String, Integer>> filterUses(List<PlannedModel> models) {
        Map<String, Map<String, Integer>> uses = new HashMap<>();
        for (PlannedModel model : models) {
            Set<String> seen = new HashSet<>();
            for (List<ColumnOrigin> origins : model.lineage().values()) {
                for (ColumnOrigin origin : origins) {
                    String key = origin.relation().toLowerCase(Locale.ROOT) + "\u0000" + origin.column();
                    if ("FILTER".equals(origin.subtype()) && seen.add(key)) {
                        uses.computeIfAbsent(origin.relation().toLowerCase(Locale.ROOT), r -> new HashMap<>())
                                .merge(origin.column(), 1, Integer::sum);
                    }
                }
            }
        }
        return uses;
    }

    /** The layout settings the rules read for a model. */
    public LayoutRules.Context context(Model model) {
        List<String> lookupKey = model.incremental() != null
                && model.incremental().strategy() != Incremental.Strategy.APPEND ? model.incremental().uniqueKey()
                : List.of();
        return new LayoutRules.Context(filterUses.getOrDefault(model.qualifiedName().toLowerCase(Locale.ROOT),
                Map.of()), lookupKey, targetFileSize, model.incremental() != null);
    }

    /** The version folders of the lake outputs, as the catalog records them. */
    public LakeVersions versions() {
        return versions;
    }

    /** The project folder the lake folders are under. */
    public Path projectRoot() {
        return projectRoot;
    }

    /**
     * The layout of the staged new rows of an incremental lake model, decided from their statistics (not recorded:
     * a fold keeps the output's layout, and only the file settings of the new files come from here).
     */
    public Layout foldLayout(Session session, Model model, String staging) {
        return LayoutRules.decide(StatisticsCollector.collect(session, model.schema(), staging), model.storage(),
                context(model));
    }

    /** The lake folder of a parquet model: its storage.path, or target/lake/schema/name, under the project. */
    public Path lakeFolder(Model model) {
        return model.lakeFolder(projectRoot);
    }

    /**
     * Measures the staged table {@code schema.staging} of a model, decides its layout, checks that the columns the
     * model pins exist, and records statistics and decisions in the session's transaction.
     */
    public Layout decide(Session session, Model model, String staging, long runId) {
        return decide(session, model, staging, runId, new BuildCosts());
    }

    /** {@link #decide(Session, Model, String, long)}, counting the time of its statistics and trials in {@code costs}. */
    public Layout decide(Session session, Model model, String staging, long runId, BuildCosts costs) {
        StorageSpec spec = model.storage();
        // A warehouse table is never partitioned by time: the bounds its engine keeps do, without a scan of every row.
        StatisticsCollector.Reading reading = spec.effectiveFormat().lake() ? StatisticsCollector.Reading.EVERY_ROW
                : StatisticsCollector.Reading.STORED;
        TableStats stats = costs.statistics(() -> StatisticsCollector.collect(session, model.schema(), staging,
                reading));
        List<String> pinned = new ArrayList<>();
        if (spec.partitionBy() != null) {
            pinned.addAll(spec.partitionBy());
        }
        if (spec.sortBy() != null) {
            pinned.addAll(spec.sortBy());
        }
        for (String column : pinned) {
            if (stats.column(column).isEmpty()) {
                throw new SluiceException(ErrorCode.MODEL_INVALID, "its storage settings name column '%s', which it "
                        + "does not output (columns: %s); fix partition_by or sort_by in its front matter", column,
                        String.join(", ", stats.columns().stream().map(ColumnStats::name).toList()));
            }
        }
        LayoutRules.Context context = context(model);
        Layout proposed = LayoutRules.decide(stats, spec, context);
        Layout layout = !LayoutTrials.applies(spec, proposed, stats) ? proposed : costs.layout(() ->
                LayoutTrials.choose(session, Sql.qualified(model.schema(), staging), stats, spec, proposed, context,
                        projectRoot.resolve("target").resolve("storage-trials").resolve(model.name())));
        record(session, model.qualifiedName(), runId, stats, layout);
        return layout;
    }

    /**
     * Refuses a build into the warehouse that would not fit on the warehouse's disk, before it writes: the table of
     * about {@code estimatedBytes} is written {@value #WAREHOUSE_COPIES} times (write-ahead log, then checkpoint)
     * with the lake's margin, and never less than {@value #WAREHOUSE_FLOOR_BYTES} bytes are asked for. Does nothing
     * for an in-memory warehouse.
     */
    public void checkWarehouseSpace(Session session, Model model, long estimatedBytes) {
        Object file = session.query(session.dialect().databaseFileQuery()).values().get(0).get(0);
        if (file == null || file.toString().isEmpty() || file.toString().equals(":memory:")) {
            return;
        }
        Path warehouse = Path.of(file.toString()).toAbsolutePath();
        long needed = Math.max((long) (estimatedBytes * WAREHOUSE_COPIES * LakeWriter.MARGIN), WAREHOUSE_FLOOR_BYTES);
        long usable = freeSpace.usableBytes(warehouse.getParent());
        if (usable < needed) {
            throw new SluiceException(ErrorCode.RUN_FAILED, "Cannot write model %s (%s) into the warehouse %s: its "
                    + "table needs about %s there (an estimate of %s, written %d times by DuckDB's write-ahead log "
                    + "and checkpoint, with a %.0f%% margin, at least %s), but only %s is free; free some space or "
                    + "move the warehouse (warehouse: in sluice.yml) to a disk with room. Nothing was written and "
                    + "the published table is unchanged", model.name(), model.relativeFile(), warehouse,
                    LayoutRules.mib(needed), LayoutRules.mib(estimatedBytes), WAREHOUSE_COPIES,
                    (LakeWriter.MARGIN - 1) * 100, LayoutRules.mib(WAREHOUSE_FLOOR_BYTES), LayoutRules.mib(usable));
        }
    }

    /** Rows whose text widths stand for a staged relation's: enough for an estimate, without a second full scan. */
    static final int WIDTH_SAMPLE = 10_000;

    /**
     * The bytes of a staged relation before DuckDB compresses it: its rows times the widths of their values (fixed
     * by type, measured for text and blobs over its first {@value #WIDTH_SAMPLE} rows). What the commit writes is at
     * most about this, so an increment is checked against its own size ({@link #checkWarehouseSpace}) rather than
     * only the floor.
     */
    public static long stagedBytes(Session session, String schema, String name) {
        List<String> widths = new java.util.ArrayList<>();
        session.query("SELECT column_name, data_type FROM information_schema.columns WHERE table_catalog = "
                + "current_database() AND table_schema = ? AND table_name = ? ORDER BY ordinal_position", schema, name)
                .values().forEach(row -> widths.add("coalesce(" + StatisticsCollector.width(
                        dev.sluice.engine.Sql.identifier((String) row.get(0)),
                        ((String) row.get(1)).toUpperCase(Locale.ROOT)) + ", 0)"));
        if (widths.isEmpty()) {
            return 0;
        }
        String relation = dev.sluice.engine.Sql.qualified(schema, name);
        long rows = session.query("SELECT count(*) FROM " + relation).singleLong();
        Object width = session.query("SELECT " + String.join(" + ", widths) + " FROM (SELECT * FROM " + relation
                + " LIMIT " + WIDTH_SAMPLE + ")").single();
        return width == null ? 0 : (long) (rows * ((Number) width).doubleValue());
    }

    /**
     * The bytes on disk of the model's published warehouse table, which a full rebuild is expected to take again;
     * 0 when it has none (a first build, a lake output, rows still only in the write-ahead log).
     */
    public long publishedBytes(Session session, Model model) {
        long tables = session.query("SELECT count(*) FROM information_schema.tables WHERE table_catalog = "
                + "current_database() AND table_schema = ? AND table_name = ? AND table_type = 'BASE TABLE'",
                model.schema(), model.name()).singleLong();
        return tables == 0 ? 0 : Measurement.blocksOnDisk(session, model.qualifiedName());
    }

    /**
     * What dropping a model's pinned partition columns would gain, when they make at least
     * {@link LakeWriter#COMPACT_AFTER} files below half the target size ({@code half}): the files and bytes the
     * optimiser would write instead ({@code sizes}: the current version's file sizes by folder); empty otherwise. Compaction cannot help there (each partition holds one small
     * file), and it never overrides a pin.
     */
    public String pinAdvice(Session session, Model model, Map<Path, List<Long>> sizes, long half) {
        List<String> pinned = model.storage().partitionBy();
        long small = sizes.values().stream().flatMap(List::stream).filter(size -> size < half).count();
        if (pinned == null || pinned.isEmpty() || small < LakeWriter.COMPACT_AFTER) {
            return "";
        }
        int files = sizes.values().stream().mapToInt(List::size).sum();
        long bytes = sizes.values().stream().flatMap(List::stream).mapToLong(Long::longValue).sum();
        StorageSpec spec = model.storage();
        StorageSpec unpinned = new StorageSpec(spec.format(), spec.path(), spec.compression(), spec.compressionLevel(),
                null, spec.sortBy(), spec.rowGroupSize(), spec.access(), true, spec.measure());
        TableStats stats = StatisticsCollector.collect(session, model.schema(), model.name());
        Layout instead = LayoutRules.decide(stats, unpinned, context(model));
        long estimated = instead.estimatedBytes();
        long insteadFiles = instead.partitions().isEmpty()
                ? Math.max(1, (estimated + instead.fileSize() - 1) / instead.fileSize())
                : instead.decisions().stream().filter(d -> d.aspect() == Decision.Aspect.PARTITIONING)
                        .map(d -> d.inputs().get("partitions")).filter(java.util.Objects::nonNull)
                        .mapToLong(p -> ((Number) p).longValue()).findFirst().orElse(1);
        String partitioning = instead.partitions().isEmpty() ? "no partitions"
                : "partitions by " + String.join(", ", instead.partitions().stream().map(Object::toString).toList());
        return String.format(Locale.ROOT, "; partition_by %s is pinned in %s: its %,d files hold %s, %,d of them "
                + "below half the target size, and compaction cannot merge files of different partitions; without "
                + "the pin the optimiser would write %s in about %,d file(s) of about %s in all (%,d fewer files, "
                + "about %s less): remove partition_by from the front matter and rebuild (optimize never overrides "
                + "a pin)", String.join(", ", pinned), model.relativeFile(), files, LayoutRules.mib(bytes), small,
                partitioning, insteadFiles, LayoutRules.mib(estimated), Math.max(0, files - insteadFiles),
                LayoutRules.mib(Math.max(0, bytes - estimated)));
    }

    /** Records statistics and decisions of a table (in the session's transaction). */
    public void record(Session session, String model, long runId, TableStats stats, Layout layout) {
        List<List<Object>> rows = new ArrayList<>();
        rows.add(java.util.Arrays.asList(runId, model, null, null, stats.rows(), stats.bytes(), null, null, null, null,
                stats.rowWidth(), null, null, null, null));
        for (ColumnStats c : stats.columns()) {
            rows.add(java.util.Arrays.asList(runId, model, c.name(), c.type(), stats.rows(),
                    (long) (c.averageWidth() * stats.rows()), c.distinct(), c.nullFraction(), c.min(), c.max(),
                    c.averageWidth(), c.sortedness(), c.topShare(), c.temporal() ? c.spanDays() : null,
                    c.temporal() ? c.distinctDays() : null));
        }
        catalog.storage().recordStorage(session, StorageStore.StorageTable.TABLE_STATS, rows);
        List<List<Object>> decisions = new ArrayList<>();
        for (Decision decision : layout.decisions()) {
            Decision.Trial trial = decision.trial();
            decisions.add(java.util.Arrays.asList(runId, model, decision.aspect().name().toLowerCase(Locale.ROOT),
                    decision.choice(), decision.pinned(), json(decision.inputs()), decision.reason(),
                    trial == null ? null : trial.bytes(), trial == null ? null : trial.filterMs(),
                    trial == null ? null : trial.cost()));
        }
        catalog.storage().recordStorage(session, StorageStore.StorageTable.STORAGE_DECISIONS, decisions);
    }

    /** Rewrites a staged warehouse table in the layout's sort order (same name), inside the caller's transaction. */
    public void sortStaging(Session session, String schema, String staging, Layout layout) {
        if (layout.sortBy().isEmpty()) {
            return;
        }
        String table = Sql.qualified(schema, staging);
        String sorted = Sql.qualified(schema, staging + "__sorted");
        session.execute("CREATE TABLE " + sorted + " AS SELECT * FROM " + table + LakeWriter.order(layout.sortBy()));
        session.execute("DROP TABLE " + table);
        session.execute("ALTER TABLE " + sorted + " RENAME TO " + Sql.identifier(staging));
    }

    /** Creates the ART index of a layout on the published table, if it has one. */
    public void index(Session session, Model model, Layout layout) {
        if (!layout.index().isEmpty()) {
            session.execute("CREATE INDEX " + Sql.identifier(indexName(model)) + " ON "
                    + Sql.qualified(model.schema(), model.name()) + " (" + String.join(", ", layout.index().stream()
                    .map(Sql::identifier).toList()) + ")");
        }
    }

    /** Drops the ART index Sluice keeps on a model's table, before its columns change. */
    public static void dropIndex(Session session, Model model) {
        session.execute("DROP INDEX IF EXISTS " + Sql.qualified(model.schema(), indexName(model)));
    }

    private static String indexName(Model model) {
        return model.name() + "__sluice_key";
    }

    /**
     * Writes the staged table of a parquet model into the version folder {@code version} that run {@code runId}
     * claimed ({@link LakeVersions#claim}) and points the model's view at it, in the caller's transaction; returns the
     * version folder. The committer makes it the current version ({@link LakeVersions#publish}) in the same
     * transaction.
     */
    public Path writeLake(Session session, Model model, String staging, Layout layout, Path version) {
        lake.write(session, Sql.qualified(model.schema(), staging), Sql.qualified(model.schema(), model.name()),
                layout, version, "model " + model.name() + " (" + model.relativeFile() + ")");
        return version;
    }

    /**
     * Folds the staged new rows of an incremental lake model into the version folder {@code version} that run
     * {@code runId} claimed and points the model's view at it, in the caller's transaction (the committer makes it
     * the current version in the same transaction); returns the layout the new rows were written in, whose warnings
     * say what a pinned partition column costs on every increment (each one adds a file to every partition its rows
     * fall in).
     */
    public Layout foldLake(Session session, Model model, String staging, Path version) {
        Path current = versions.current(session, model);
        TableStats stats = StatisticsCollector.collect(session, model.schema(), staging);
        Layout layout = LayoutRules.decide(stats, model.storage(), context(model));
        List<String> mergeKey = model.incremental().strategy() == Incremental.Strategy.APPEND ? List.of()
                : model.incremental().uniqueKey();
        lake.fold(session, Sql.qualified(model.schema(), staging), Sql.qualified(model.schema(), model.name()),
                current, layout, version, mergeKey, "model " + model.name() + " (" + model.relativeFile() + ")");
        return layout;
    }

    /**
     * What a model's pinned partition columns cost, judged from the statistics of its published table (its last
     * build), for {@code sluice plan} to warn before a build; empty when it pins none, is not a lake output, has not
     * been built, or its pin makes no small files.
     */
    public List<String> pinWarnings(Session session, Model model) {
        StorageSpec spec = model.storage();
        if (spec.partitionBy() == null || spec.partitionBy().isEmpty()
                || !spec.effectiveFormat().lake()
                || session.query("SELECT count(*) FROM duckdb_views() WHERE database_name = current_database() AND "
                        + "schema_name = ? AND view_name = ?", model.schema(), model.name()).singleLong() == 0) {
            return List.of();
        }
        TableStats stats = StatisticsCollector.collect(session, model.schema(), model.name());
        if (spec.partitionBy().stream().anyMatch(column -> stats.column(column).isEmpty())) {
            // a column the model no longer outputs: the build refuses it with its own message
            return List.of();
        }
        return LayoutRules.decide(stats, spec, context(model)).warnings();
    }

    /**
     * Measures a model's published table against CSV and default Parquet when its front matter asks for it
     * ({@code storage: { measure: true }}), and records the figures with the build's run.
     */
    public void measure(Session session, Model model, Layout layout, long runId) {
        if (model.storage().measure()) {
            catalog.storage().recordStorage(session, StorageStore.StorageTable.STORAGE_EFFECTS, Measurement.rows(runId,
                    model.qualifiedName(), effects(session, model, layout)));
        }
    }

    /** A published table measured against CSV and default Parquet: bytes, a filter on its sort key, an aggregate. */
    public List<Measurement.Effect> effects(Session session, Model model, Layout layout) {
        String relation = Sql.qualified(model.schema(), model.name());
        Path scratch = projectRoot.resolve("target").resolve("storage-measure").resolve(model.name());
        return layout.format().lake()
                ? Measurement.measure(session, relation, layout, scratch, MEASURE_REPETITIONS)
                : Measurement.measureWarehouse(session, relation, model.qualifiedName(), layout, scratch,
                        MEASURE_REPETITIONS);
    }

    /**
     * After the publish committed: reads back what the writer did per column and records it, and deletes the lake
     * versions the catalog records as older. {@code version} is the lake version folder, or null for a warehouse
     * table. Returns the bytes a warehouse table's blocks take when the same read told them, else null (no column
     * persisted yet, or an engine that reads them apart).
     */
    public Long afterPublish(Session session, Model model, Path version, long runId) {
        List<List<Object>> rows = new ArrayList<>();
        Long blocks = null;
        if (version != null) {
            for (List<Object> row : LakeWriter.columnCompression(session, version).values()) {
                long compressed = ((Number) row.get(2)).longValue();
                long uncompressed = ((Number) row.get(3)).longValue();
                rows.add(java.util.Arrays.asList(runId, model.qualifiedName(), row.get(0), row.get(1), compressed,
                        uncompressed, compressed == 0 ? null : (double) uncompressed / compressed));
            }
            versions.cleanUp(model);
        } else {
            Rows segments = session.query(session.dialect().columnCompressionQuery(), model.qualifiedName());
            for (List<Object> row : segments.values()) {
                rows.add(java.util.Arrays.asList(runId, model.qualifiedName(), row.get(0), row.get(1), null, null,
                        null));
                if (row.size() > 2) {
                    blocks = ((Number) row.get(2)).longValue();
                }
            }
        }
        if (!rows.isEmpty()) {
            catalog.storage().recordStorage(session, StorageStore.StorageTable.COLUMN_COMPRESSION, rows);
        }
        return blocks;
    }

    /** A value as JSON text. */
    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("plain maps and lists always serialise", e);
        }
    }
}
