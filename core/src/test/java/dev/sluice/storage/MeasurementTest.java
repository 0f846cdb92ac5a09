package dev.sluice.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.duckdb.DuckDbEngine;
import dev.sluice.engine.Session;
import dev.sluice.project.StorageSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Datasets of known character: each gets the layout expected for it, and its savings are measured. */
class MeasurementTest {
    private static final StorageSpec LAKE = new StorageSpec(StorageSpec.Format.PARQUET, null, null, null, null, null,
            null, null, true);

    @TempDir
    Path dir;

    private record Outcome(Layout layout, long csv, long plain, long chosen) {
    }

    private Outcome measure(Session session, String select, Map<String, Integer> filters) {
        session.execute("CREATE OR REPLACE TABLE t AS " + select);
        Layout layout = LayoutRules.decide(StatisticsCollector.collect(session, "main", "t"), LAKE,
                new LayoutRules.Context(filters, List.of(), 256L << 20));
        List<Measurement.Effect> effects = Measurement.measure(session, "main.t", layout, dir.resolve("m"), 3);
        assertThat(effects).extracting(Measurement.Effect::layout).containsExactly("csv", "parquet_default", "chosen");
        assertThat(effects.get(1).filterMs()).isPositive();
        assertThat(effects.get(2).aggregateMs()).isPositive();
        assertThat(dir.resolve("m")).doesNotExist();
        return new Outcome(layout, effects.get(0).bytes(), effects.get(1).bytes(), effects.get(2).bytes());
    }

    @Test
    void eachKindOfDataGetsItsLayoutAndSavesSpace() {
        try (DuckDbEngine engine = DuckDbEngine.inMemory(); Session session = engine.session()) {
            Outcome lowCardinality = measure(session, "SELECT ['north', 'south', 'east', 'west'][CAST(hash(i) % 4 AS INTEGER) + 1] "
                    + "AS region, ['gold', 'silver'][CAST(hash(i * 3) % 2 AS INTEGER) + 1] AS tier FROM range(300000) r(i)", Map.of());
            assertThat(lowCardinality.layout().sortBy()).containsExactly("tier", "region");
            // sorted into long runs, the codes almost vanish
            assertThat(lowCardinality.chosen()).isLessThan(lowCardinality.plain() / 10);

            Outcome timestamps = measure(session, "SELECT TIMESTAMP '2024-01-01' + INTERVAL (i) SECOND AS ts, "
                    + "hash(i) % 1000000 AS v FROM range(300000) r(i)", Map.of());
            assertThat(timestamps.layout().sortBy()).containsExactly("ts");
            assertThat(timestamps.chosen()).isLessThan(timestamps.plain() * 8 / 10);

            Outcome skewed = measure(session, "SELECT CASE WHEN i % 10 < 9 THEN 0 ELSE hash(i) % 50000 END AS key, "
                    + "i AS id FROM range(300000) r(i)", Map.of("key", 1));
            assertThat(skewed.layout().sortBy()).containsExactly("key");
            assertThat(skewed.chosen()).isLessThan(skewed.plain() * 8 / 10);

            Outcome floats = measure(session, "SELECT random() AS a, random() AS b FROM range(300000) r(i)", Map.of());
            assertThat(floats.layout().sortBy()).isEmpty();
            assertThat(floats.layout().codec()).isEqualTo(StorageSpec.Codec.ZSTD);
            // random floats barely compress with any codec: no more than default Parquet
            assertThat(floats.chosen()).isLessThanOrEqualTo(floats.plain());

            Outcome text = measure(session, "SELECT repeat(md5(CAST(i AS VARCHAR)), 8) AS body FROM range(20000) r(i)",
                    Map.of());
            assertThat(text.layout().rowGroupSize()).isEqualTo(262_144);
            assertThat(text.chosen()).isLessThan(text.plain() / 2).isLessThan(text.csv() / 4);

            Outcome tiny = measure(session, "SELECT i AS id, 'x' AS tag FROM range(100) r(i)", Map.of());
            assertThat(tiny.layout().codec()).isEqualTo(StorageSpec.Codec.UNCOMPRESSED);
            assertThat(tiny.chosen()).isLessThan(tiny.plain() * 2);
        }
    }

    @Test
    void timesAreMediansAndNullKeysAreProbedWithIsNull() {
        try (DuckDbEngine engine = DuckDbEngine.inMemory(); Session session = engine.session()) {
            assertThat(Measurement.time(session, "SELECT 1", 4)).isPositive();
            session.execute("CREATE TABLE n AS SELECT CAST(NULL AS INTEGER) AS k FROM range(10)");
            Layout layout = LayoutRules.decide(StatisticsCollector.collect(session, "main", "n"), LAKE,
                    new LayoutRules.Context(Map.of(), List.of(), 256L << 20));
            List<Measurement.Effect> effects = Measurement.measure(session, "main.n", layout, dir.resolve("n"), 1);
            assertThat(Measurement.rows(3, "main.n", effects)).hasSize(3).allSatisfy(row -> {
                assertThat(row.get(0)).isEqualTo(3L);
                assertThat(row.get(1)).isEqualTo("main.n");
            });
            assertThat(Measurement.filterQuery("x", "k IS NULL")).isEqualTo("SELECT count(*), sum(hash(COLUMNS(*))) "
                    + "FROM x WHERE k IS NULL");
        }
    }
}
