package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

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
        TestProjects.write(project, "sluice.yml", "name: p\nwarehouse: target/p.duckdb\n" + settings);
        for (int i = 0; i < models.length; i += 2) {
            TestProjects.write(project, "models/" + models[i], models[i + 1]);
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
        Path project = project("", "events.sql", EVENTS.formatted(""),
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
        assertThat(rows(sluice, "SELECT count(*) FROM main.big_scores")).isEqualTo(rows(sluice,
                "SELECT count(*) FROM main.events WHERE shop = 'shop_3' AND score > 0.5"));
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
                + "IN ('compression', 'sort') ORDER BY aspect")).containsExactly(List.of("zstd level 9"),
                List.of("ts, shop"));
        assertThat(rows(sluice, "SELECT DISTINCT compression FROM sluice.column_compression WHERE model = "
                + "'main.events'")).containsExactly(List.of("ZSTD"));
        assertThat(rows(sluice, "SELECT bool_and(ratio > 1) FROM sluice.column_compression WHERE model = "
                + "'main.events'")).containsExactly(List.of(true));
        long bytes = files(lake).stream().mapToLong(f -> f.toFile().length()).sum();
        assertThat(sluice.modelRuns(first.runId()).stream().filter(r -> r.model().equals("events")).findFirst()
                .orElseThrow().bytes()).isEqualTo(bytes);

        RunResult second = sluice.run(RunOptions.defaults());
        assertThat(second.succeeded()).isTrue();
        try (Stream<Path> versions = Files.list(lake)) {
            assertThat(versions.map(p -> p.getFileName().toString())).containsExactly("run-" + second.runId());
        }
        assertThat(rows(sluice, "SELECT count(*) FROM main.events")).containsExactly(List.of(200_000L));
    }
}
