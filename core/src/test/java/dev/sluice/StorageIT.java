package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Storage optimisation in whole pipelines: statistics, decisions, sorted warehouse tables and Parquet lake outputs. */
class StorageIT {
    @TempDir
    Path dir;

    private Path project(String settings, String... models) {
        Path project = dir.resolve("p");
        ProjectFixture.at(project).write("sluice.yml", "name: p\nwarehouse: target/p.duckdb\n" + settings);
        for (int i = 0; i < models.length; i += 2) {
            ProjectFixture.at(project).write("models/" + models[i], models[i + 1]);
        }
        return project;
    }

    /** 200,000 events: a sequence id, a shop (20 values), a random score and an hourly timestamp over 2023-2024. */
    private static final String EVENTS = """
            /*---
            materialized: table
            parser: duckdb
            %s
            ---*/
            SELECT i AS id, 'shop_' || (hash(i) %% 20) AS shop, (hash(i * 31) %% 1000000) / 1000000.0 :: DOUBLE AS score,
                   TIMESTAMP '2023-01-01' + INTERVAL (i * 315) SECOND AS ts
            FROM range(200000) r(i)
            """;

    private static List<List<Object>> rows(Sluice sluice, String sql) {
        return sluice.query(sql).rows();
    }

    private static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void warehouseTablesAreSortedByTheColumnsDownstreamModelsFilterOn() {
        Path project = project("", "events.sql", EVENTS.formatted("storage: { measure: true }"),
                "big_scores.sql", "SELECT id, score FROM events WHERE shop = 'shop_3' AND score > 0.5",
                "recent.sql", "SELECT id FROM events WHERE shop = 'shop_4'");
        Sluice sluice = Sluice.open(project);
        RunResult result = sluice.run(RunOptions.defaults());
        assertThat(result.succeeded()).as(result.toString()).isTrue();

        assertThat(rows(sluice, "SELECT aspect, choice, pinned FROM sluice.storage_decisions WHERE model = "
                + "'main.events' AND aspect IN ('format', 'sort', 'index', 'row_group') ORDER BY aspect")).containsExactly(
                List.of("format", "warehouse", false), List.of("index", "none", false),
                List.of("row_group", "122880 rows", false), List.of("sort", "shop, score", false));
        assertThat(rows(sluice, "SELECT reason FROM sluice.storage_decisions WHERE model = 'main.events' AND aspect "
                + "= 'sort'").get(0).get(0)).isEqualTo("downstream models filter on shop (2), score (1): sorted first, "
                + "zone maps let those filters skip row groups");
        // the published table is in that order
        assertThat(rows(sluice, "SELECT count(*) FROM (SELECT shop, lag(shop) OVER (ORDER BY rowid) AS before "
                + "FROM main.events) WHERE shop < before")).containsExactly(List.of(0L));
        List<Object> id = rows(sluice, "SELECT row_count, distinct_count, sortedness FROM sluice.table_stats WHERE "
                + "model = 'main.events' AND column_name = 'id'").get(0);
        assertThat(id.get(0)).isEqualTo(200_000L);
        assertThat((Long) id.get(1)).isBetween(190_000L, 210_000L);
        assertThat(id.get(2)).isEqualTo(1.0);
        assertThat(rows(sluice, "SELECT count(*) FROM sluice.table_stats WHERE model = 'main.events'"))
                .containsExactly(List.of(5L));
        assertThat(rows(sluice, "SELECT count(DISTINCT column_name) FROM sluice.column_compression WHERE model = "
                + "'main.events'")).containsExactly(List.of(4L));
        // measured with the build: the sorted table against CSV and default Parquet
        List<List<Object>> effects = rows(sluice, "SELECT layout, run_id, bytes FROM sluice.storage_effects "
                + "ORDER BY bytes DESC");
        assertThat(effects).extracting(row -> row.get(0)).containsExactly("csv", "parquet_default", "warehouse");
        assertThat(effects).extracting(row -> row.get(1)).containsOnly(result.runId());
        assertThat(rows(sluice, "SELECT count(*) FROM sluice.storage_effects WHERE model <> 'main.events'"))
                .containsExactly(List.of(0L));
        assertThat(rows(sluice, "SELECT count(*) FROM main.big_scores")).isEqualTo(rows(sluice,
                "SELECT count(*) FROM main.events WHERE shop = 'shop_3' AND score > 0.5"));
    }

    @Test
    void warehouseTablesOnlyGroupedDownstreamKeepTheQueryOrderAndTheBuildRecordsItsStorageTime() {
        Path project = project("", "events.sql", EVENTS.formatted(""),
                "per_shop.sql", "/*---\nmaterialized: table\n---*/\nSELECT shop, count(*) AS n FROM events GROUP BY shop");
        Sluice sluice = Sluice.open(project);
        RunResult result = sluice.run(RunOptions.defaults());
        assertThat(result.succeeded()).as(result.toString()).isTrue();
        // shop has 20 values: the old rule sorted by it for compression; nothing filters on it, so no rewrite
        assertThat(rows(sluice, "SELECT choice, reason FROM sluice.storage_decisions WHERE model = 'main.events' "
                + "AND aspect = 'sort'")).containsExactly(List.of("none", "no downstream model filters on a column of "
                + "it: a warehouse table is never sorted for compression alone (the rewrite is a full sort of the "
                + "table, and DuckDB compresses each segment well in the query's order); the query's order is kept"));
        assertThat(rows(sluice, "SELECT count(*) FROM (SELECT id, lag(id) OVER (ORDER BY rowid) AS before "
                + "FROM main.events) WHERE id < before")).containsExactly(List.of(0L));
        // the time of the statistics and of the layout, per build
        List<List<Object>> costs = rows(sluice, "SELECT model, statistics_ms >= 0, layout_ms >= 0 FROM "
                + "sluice.model_runs WHERE run_id = " + result.runId() + " ORDER BY model");
        assertThat(costs).containsExactly(List.of("main.events", true, true), List.of("main.per_shop", true, true));
    }

    @Test
    void parquetModelsAreWrittenToTheLakeAndSwitchedAtomically() throws IOException {
        Path project = project("", "events.sql", EVENTS.formatted("storage: { format: parquet, path: lake/events, "
                        + "access: archive }"),
                "per_shop.sql", "/*---\nmaterialized: table\n---*/\nSELECT shop, count(*) AS n FROM events "
                        + "WHERE ts >= TIMESTAMP '2024-01-01 00:00:00' GROUP BY shop");
        Sluice sluice = Sluice.open(project);
        RunResult first = sluice.run(RunOptions.defaults());
        assertThat(first.succeeded()).as(first.toString()).isTrue();
        Path lake = project.resolve("lake/events");
        assertThat(lake.resolve("run-" + first.runId())).isDirectory();
        assertThat(rows(sluice, "SELECT count(*), min(ts) FROM main.events").get(0).get(0)).isEqualTo(200_000L);
        assertThat(rows(sluice, "SELECT table_type FROM information_schema.tables WHERE table_name = 'events'"))
                .containsExactly(List.of("VIEW"));
        assertThat(rows(sluice, "SELECT sum(n) FROM main.per_shop").get(0).get(0).toString()).isEqualTo(rows(sluice,
                "SELECT count(*) FROM main.events WHERE ts >= TIMESTAMP '2024-01-01'").get(0).get(0).toString());
        assertThat(rows(sluice, "SELECT choice FROM sluice.storage_decisions WHERE model = 'main.events' AND aspect "
                + "= 'compression'")).containsExactly(List.of("zstd level 9"));
        // ts, the filtered column, is already in order: the rules' ts, shop is tried on a sample and loses to it
        assertThat(rows(sluice, "SELECT choice FROM sluice.storage_decisions WHERE model = 'main.events' AND aspect "
                + "= 'sort'").get(0).get(0)).isIn("none", "ts");
        List<List<Object>> candidates = rows(sluice, "SELECT choice, reason, measured_bytes > 0, cost > 0 FROM "
                + "sluice.storage_decisions WHERE model = 'main.events' AND aspect = 'candidate' ORDER BY "
                + "rowid");
        assertThat(candidates).extracting(row -> row.get(0)).contains("query order, zstd level 9",
                "rules: ts, shop, zstd level 9");
        assertThat(candidates).extracting(row -> row.get(1)).containsOnlyOnce("chosen");
        assertThat(candidates).allSatisfy(row -> assertThat(row.subList(2, 4)).containsOnly(true));
        assertThat(rows(sluice, "SELECT DISTINCT compression FROM sluice.column_compression WHERE model = "
                + "'main.events'")).containsExactly(List.of("ZSTD"));
        assertThat(rows(sluice, "SELECT bool_and(ratio > 1) FROM sluice.column_compression WHERE model = "
                + "'main.events'")).containsExactly(List.of(true));
        long bytes = files(lake).stream().mapToLong(f -> f.toFile().length()).sum();
        assertThat(sluice.modelRuns(first.runId()).stream().filter(r -> r.model().equals("main.events")).findFirst()
                .orElseThrow().bytes()).isEqualTo(bytes);

        RunResult second = sluice.run(RunOptions.defaults());
        assertThat(second.succeeded()).isTrue();
        try (Stream<Path> versions = Files.list(lake)) {
            assertThat(versions.map(p -> p.getFileName().toString())).containsExactly("run-" + second.runId());
        }
        assertThat(rows(sluice, "SELECT count(*) FROM main.events")).containsExactly(List.of(200_000L));
    }

    @Test
    void explainsProposesMeasuresAndCompacts() throws IOException {
        Path project = project("defaults: { target_file_size: 64MB }\n",
                "events.sql", EVENTS.formatted("storage: { format: parquet, sort_by: [id] }"),
                "shops.sql", "/*---\nmaterialized: table\n---*/\nSELECT shop, count(*) AS n FROM events GROUP BY shop",
                "shop_view.sql", "SELECT shop FROM shops");
        Sluice sluice = Sluice.open(project);
        RunResult run = sluice.run(RunOptions.defaults());
        assertThat(run.succeeded()).as(run.toString()).isTrue();

        List<StorageDecision> recorded = sluice.storageDecisions("events");
        assertThat(recorded).extracting(StorageDecision::runId).containsOnly(run.runId());
        assertThat(recorded).filteredOn(d -> d.aspect().equals("sort")).singleElement()
                .satisfies(d -> assertThat(d.pinned()).isTrue()).extracting(StorageDecision::choice).isEqualTo("id");
        assertThat(sluice.storageDecisions(null)).extracting(StorageDecision::model).containsOnly("main.events",
                "main.shops");
        List<StorageDecision> proposed = sluice.proposeStorage(null);
        assertThat(proposed).extracting(StorageDecision::runId).containsOnlyNulls();
        assertThat(proposed).filteredOn(d -> d.model().equals("main.shops") && d.aspect().equals("sort"))
                .extracting(StorageDecision::choice).containsExactly("none");
        assertThat(rows(sluice, "SELECT count(*) FROM sluice.storage_decisions WHERE run_id = " + run.runId()))
                .isEqualTo(rows(sluice, "SELECT count(*) FROM sluice.storage_decisions"));

        List<StorageEffect> effects = sluice.measureStorage("events");
        assertThat(effects).extracting(StorageEffect::layout).containsExactly("csv", "parquet_default", "chosen");
        long csv = effects.get(0).bytes();
        long plain = effects.get(1).bytes();
        long chosen = effects.get(2).bytes();
        // zstd with Parquet v2 on sorted ids, 20 shops and hourly timestamps: far below CSV and default Parquet
        assertThat(chosen).isLessThan(csv * 3 / 10).isLessThan(plain * 8 / 10);
        assertThat(effects.get(0).filterMs()).isNull();
        assertThat(effects.get(2).filterMs()).isPositive();
        assertThat(rows(sluice, "SELECT layout, run_id FROM sluice.storage_effects ORDER BY layout")).containsExactly(
                List.of("chosen", run.runId()), List.of("csv", run.runId()), List.of("parquet_default", run.runId()));
        assertThat(sluice.measureStorage("shops")).extracting(StorageEffect::layout).containsExactly("csv",
                "parquet_default", "warehouse");

        List<Compaction> nothing = sluice.optimizeStorage(null);
        assertThat(nothing).singleElement().satisfies(c -> {
            assertThat(c.rewritten()).isFalse();
            assertThat(c.reason()).isEqualTo("1 file(s) in 1 folder(s); no folder holds more than one file below "
                    + "half the target size");
        });
        // an appender left small files beside the first: optimize rewrites them into one, with every row
        Path current = project.resolve("target/lake/main/events/run-" + run.runId());
        sluice.query("SELECT 1");
        try (var engine = dev.sluice.engine.duckdb.DuckDbEngine.inMemory(); var session = engine.session()) {
            for (int i = 1; i <= 2; i++) {
                session.execute("COPY (SELECT * FROM read_parquet('" + current + "/data_0.parquet') LIMIT 1000) TO '"
                        + current + "/extra_" + i + ".parquet' (FORMAT parquet)");
            }
        }
        assertThat(count(sluice)).isEqualTo(202_000L);
        Compaction compacted = sluice.optimizeStorage("events").get(0);
        assertThat(compacted.rewritten()).isTrue();
        assertThat(compacted.filesBefore()).isEqualTo(3);
        assertThat(compacted.filesAfter()).isEqualTo(1);
        assertThat(count(sluice)).isEqualTo(202_000L);
        assertThat(current).doesNotExist();
        assertThat(sluice.runs(1).get(0).args()).isEqualTo("events");
        // re-sorted: the two copies of ids 0..999 sit beside the originals
        assertThat(rows(sluice, "SELECT count(*) FROM (SELECT id, lag(id) OVER (ORDER BY file_row_number) AS before "
                + "FROM read_parquet('" + project.resolve("target/lake/main/events/*/*.parquet") + "', "
                + "file_row_number = true)) WHERE id < before").get(0).get(0)).isEqualTo(0L);
    }

    private static long count(Sluice sluice) {
        return (Long) rows(sluice, "SELECT count(*) FROM main.events").get(0).get(0);
    }

    @Test
    void storageErrorsNameTheModelAndTheFix() {
        Path project = project("", "events.sql", EVENTS.formatted("storage: { sort_by: [nope] }"),
                "plain_view.sql", "SELECT 1 AS a");
        Sluice sluice = Sluice.open(project);
        assertThatThrownBy(() -> sluice.storageDecisions("events")).isInstanceOf(SluiceException.class)
                .hasMessageStartingWith("Cannot read warehouse ").hasMessageEndingWith("run the pipeline first (sluice "
                        + "run " + project.toAbsolutePath().normalize() + ")");
        RunResult run = sluice.run(RunOptions.defaults());
        assertThat(run.model("events").orElseThrow().error()).isEqualTo("Cannot build model events (models/events.sql): "
                + "its storage settings name column 'nope', which it does not output (columns: id, shop, score, ts); "
                + "fix partition_by or sort_by in its front matter");
        assertThat(rows(sluice, "SELECT count(*) FROM information_schema.tables WHERE table_name LIKE 'events%'"))
                .containsExactly(List.of(0L));
        assertThatThrownBy(() -> sluice.proposeStorage("missing")).hasMessage("Cannot show the storage of model "
                + "'missing': the project has no such model; see sluice ls " + project.toAbsolutePath().normalize());
        assertThatThrownBy(() -> sluice.proposeStorage("plain_view")).hasMessage("Cannot show the storage of model "
                + "plain_view (models/plain_view.sql): it is materialized as view and stores nothing; storage applies "
                + "to table and incremental models");
        assertThatThrownBy(() -> sluice.proposeStorage("events")).hasMessage("Cannot show the storage of model events "
                + "(models/events.sql): it has never been built; run it first (sluice run "
                + project.toAbsolutePath().normalize() + " --select events)");
    }

    @Test
    void mergeModelsKeepAnArtIndexOnTheirKeyUntilTheirColumnsChange() throws IOException {
        Path project = project("""
                sources:
                  raw.orders:
                    type: files
                    path: data/*.csv
                    header: true
                    change_detection: manifest
                """, "orders_inc.sql", """
                /*---
                materialized: incremental
                incremental: { strategy: merge, unique_key: order_id, on_schema_change: sync_all_columns }
                ---*/
                SELECT * FROM raw.orders
                """);
        Files.createDirectories(project.resolve("data"));
        try (var engine = dev.sluice.engine.duckdb.DuckDbEngine.inMemory(); var session = engine.session()) {
            session.execute("COPY (SELECT range AS order_id, 'c' || range % 7 AS customer, range % 100 + 0.5 AS "
                    + "amount FROM range(100000)) TO '" + project.resolve("data/a.csv") + "' (HEADER, DELIMITER ',')");
        }
        Sluice sluice = Sluice.open(project);
        assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();
        assertThat(rows(sluice, "SELECT choice FROM sluice.storage_decisions WHERE aspect = 'index'"))
                .containsExactly(List.of("art on order_id"));
        String indexes = "SELECT index_name FROM duckdb_indexes() WHERE table_name = 'orders_inc'";
        assertThat(rows(sluice, indexes)).containsExactly(List.of("orders_inc__sluice_key"));

        ProjectFixture.at(project).write("data/b.csv", "order_id,customer,amount\n5,new,1.5\n100000,more,2.5\n");
        RunResult merged = sluice.run(RunOptions.defaults());
        assertThat(merged.succeeded()).as(merged.toString()).isTrue();
        assertThat(rows(sluice, "SELECT count(*), max(order_id) FROM main.orders_inc"))
                .containsExactly(List.of(100_001L, 100_000L));
        assertThat(rows(sluice, "SELECT customer FROM main.orders_inc WHERE order_id = 5")).containsExactly(
                List.of("new"));
        assertThat(rows(sluice, indexes)).hasSize(1);

        // a new file brings a column: the key index is dropped before the fold changes the table's columns
        ProjectFixture.at(project).write("data/c.csv", "order_id,customer,amount,note\n7,changed,3.0,late\n");
        RunResult altered = Sluice.open(project).run(RunOptions.defaults());
        assertThat(altered.succeeded()).as(altered.toString()).isTrue();
        assertThat(altered.model("orders_inc").orElseThrow().reason()).contains("incremental");
        assertThat(rows(sluice, "SELECT note FROM main.orders_inc WHERE order_id = 7")).containsExactly(
                List.of("late"));
        assertThat(rows(sluice, indexes)).isEmpty();
    }

    @Test
    void largeLakeOutputsArePartitionedByATimeGrainThatFitsTheTargetSize() throws IOException {
        Path project = project("defaults: { target_file_size: 1MB }\n",
                "events.sql", EVENTS.formatted("storage: { format: parquet }"),
                "late_2024.sql", "SELECT id FROM events WHERE ts >= TIMESTAMP '2024-12-01 00:00:00'");
        Sluice sluice = Sluice.open(project);
        RunResult run = sluice.run(RunOptions.defaults());
        assertThat(run.succeeded()).as(run.toString()).isTrue();
        assertThat(rows(sluice, "SELECT choice, reason FROM sluice.storage_decisions WHERE aspect = 'partitioning'")
                .get(0)).satisfies(row -> {
                    assertThat(row.get(0)).isEqualTo("ts by year");
                    assertThat((String) row.get(1)).startsWith("2 partitions of about ");
                });
        Path version = project.resolve("target/lake/main/events/run-" + run.runId());
        try (Stream<Path> folders = Files.list(version)) {
            assertThat(folders.map(p -> p.getFileName().toString()).sorted())
                    .containsExactly("ts_year=2023", "ts_year=2024");
        }
        assertThat(rows(sluice, "SELECT column_name FROM (DESCRIBE main.events)")).extracting(row -> row.get(0))
                .containsExactly("id", "shop", "score", "ts");
        assertThat(rows(sluice, "SELECT count(*) FROM main.events")).containsExactly(List.of(200_000L));
        assertThat(rows(sluice, "SELECT count(*) FROM main.late_2024")).isEqualTo(rows(sluice,
                "SELECT count(*) FROM main.events WHERE ts >= TIMESTAMP '2024-12-01'"));
    }

    private Path incrementalLake(String strategy) {
        return project("""
                sources:
                  raw.orders:
                    type: files
                    path: data/*.csv
                    header: true
                    change_detection: manifest
                """, "orders_lake.sql", """
                /*---
                materialized: incremental
                incremental: %s
                storage: { format: parquet }
                parser: duckdb
                ---*/
                SELECT * FROM raw.orders
                """.formatted(strategy));
    }

    @Test
    void incrementalLakeOutputsAppendFilesAtomicallyAndCompactThemWhenTheyPileUp() throws IOException {
        Path project = incrementalLake("{ strategy: append }");
        ProjectFixture.at(project).write("data/a.csv", "order_id,customer,amount\n1,ann,10.0\n2,bob,20.0\n");
        Sluice sluice = Sluice.open(project);
        RunResult first = sluice.run(RunOptions.defaults());
        assertThat(first.succeeded()).as(first.toString()).isTrue();
        Path lake = project.resolve("target/lake/main/orders_lake");
        assertThat(files(lake)).extracting(p -> lake.relativize(p).toString())
                .containsExactly("run-" + first.runId() + "/data_0.parquet");
        assertThat(rows(sluice, "SELECT choice FROM sluice.storage_decisions WHERE aspect = 'partitioning'"))
                .containsExactly(List.of("none"));

        long lastRun = first.runId();
        for (int i = 3; i <= 9; i++) {
            ProjectFixture.at(project).write("data/f" + i + ".csv", "order_id,customer,amount\n" + i + ",c" + i + "," + i
                    + ".0\n");
            RunResult run = sluice.run(RunOptions.defaults());
            assertThat(run.model("orders_lake").orElseThrow().reason()).contains("incremental: new rows");
            lastRun = run.runId();
            assertThat(rows(sluice, "SELECT count(*) FROM main.orders_lake")).containsExactly(List.of((long) i));
            if (i == 3) {
                // one new file beside a link to the first: the old version folder is gone, its data kept
                assertThat(files(lake)).extracting(p -> lake.relativize(p).toString()).containsExactly(
                        "run-" + run.runId() + "/data_0.parquet", "run-" + run.runId() + "/part_" + run.runId()
                                + "_0.parquet");
            }
        }
        // the eighth small file triggered a rewrite into one file
        assertThat(files(lake)).extracting(p -> lake.relativize(p).toString())
                .containsExactly("run-" + lastRun + "/data_0.parquet");
        assertThat(rows(sluice, "SELECT sum(amount) FROM main.orders_lake")).containsExactly(List.of(72.0));
    }

    @Test
    void aMergeRewritesALargeLakeOutputInTargetSizedFiles() throws IOException {
        Path project = project("""
                defaults: { target_file_size: 1MB }
                sources:
                  raw.orders:
                    type: files
                    path: data/*.csv
                    header: true
                    change_detection: manifest
                """, "orders_lake.sql", """
                /*---
                materialized: incremental
                incremental: { strategy: merge, unique_key: order_id }
                storage: { format: parquet }
                parser: duckdb
                ---*/
                SELECT * FROM raw.orders
                """);
        StringBuilder rows = new StringBuilder("order_id,customer,amount\n");
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 150_000; i++) {
            rows.append(i).append(',').append(Long.toHexString(random.nextLong())).append(Long.toHexString(
                    random.nextLong())).append(',').append(random.nextInt(1000)).append('\n');
        }
        ProjectFixture.at(project).write("data/a.csv", rows.toString());
        Sluice sluice = Sluice.open(project);
        assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();
        ProjectFixture.at(project).write("data/b.csv", "order_id,customer,amount\n2,bob,25\n150000,cid,30\n");
        RunResult merged = sluice.run(RunOptions.defaults());
        assertThat(merged.succeeded()).as(merged.toString()).isTrue();
        // the merge rewrites the whole output (several MB): cut at the 1 MB target (DuckDB cuts at row-group
        // boundaries), not written as one file sized for the 2 new rows
        Path version = project.resolve("target/lake/main/orders_lake/run-" + merged.runId());
        assertThat(files(version)).hasSizeGreaterThan(1);
        assertThat(rows(sluice, "SELECT count(*), max(order_id) FROM main.orders_lake"))
                .containsExactly(List.of(150_001L, 150_000L));
    }

    @Test
    void incrementalLakeMergesReplaceRowsAndRefuseColumnChanges() throws IOException {
        Path project = incrementalLake("{ strategy: merge, unique_key: order_id }");
        ProjectFixture.at(project).write("data/a.csv", "order_id,customer,amount\n1,ann,10.5\n2,bob,20.5\n");
        Sluice sluice = Sluice.open(project);
        assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();
        ProjectFixture.at(project).write("data/b.csv", "order_id,customer,amount\n2,bob,25.5\n3,cid,30.5\n");
        RunResult merged = sluice.run(RunOptions.defaults());
        assertThat(merged.succeeded()).as(merged.toString()).isTrue();
        assertThat(rows(sluice, "SELECT order_id, amount FROM main.orders_lake ORDER BY order_id")).containsExactly(
                List.of(1L, 10.5), List.of(2L, 25.5), List.of(3L, 30.5));
        Path lake = project.resolve("target/lake/main/orders_lake");
        assertThat(files(lake)).extracting(p -> lake.relativize(p).toString())
                .containsExactly("run-" + merged.runId() + "/data_0.parquet");

        // a new file brings a column: the lake output keeps its columns and says how to rebuild it
        ProjectFixture.at(project).write("data/c.csv", "order_id,customer,amount,note\n4,dan,40.5,late\n");
        RunResult widened = sluice.run(RunOptions.defaults());
        assertThat(widened.model("orders_lake").orElseThrow().error()).isEqualTo("Cannot build model orders_lake "
                + "(models/orders_lake.sql): its columns changed (order_id BIGINT, customer VARCHAR, amount DOUBLE "
                + "before, order_id BIGINT, customer VARCHAR, amount DOUBLE, note VARCHAR now); an incremental lake "
                + "output keeps its columns: rebuild it with --full-refresh");
        assertThat(rows(sluice, "SELECT count(*) FROM main.orders_lake")).containsExactly(List.of(3L));
        assertThat(files(lake)).extracting(p -> lake.relativize(p).toString())
                .containsExactly("run-" + merged.runId() + "/data_0.parquet");
        RunResult rebuilt = sluice.run(RunOptions.defaults().withFullRefresh());
        assertThat(rebuilt.succeeded()).as(rebuilt.toString()).isTrue();
        assertThat(rows(sluice, "SELECT count(DISTINCT order_id), count(note) FROM main.orders_lake"))
                .containsExactly(List.of(4L, 1L));
    }
}
