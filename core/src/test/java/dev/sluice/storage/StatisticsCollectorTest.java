package dev.sluice.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.engine.duckdb.DuckDbEngine;
import dev.sluice.engine.Session;
import org.junit.jupiter.api.Test;

/** Statistics measured by DuckDB on tables of known character. */
class StatisticsCollectorTest {
    @Test
    void measuresEachKindOfColumn() {
        try (DuckDbEngine engine = DuckDbEngine.inMemory(); Session session = engine.session()) {
            // 10,000 rows: a sequence, three regions, a timestamp every hour, a float, a key where 0 holds 90%.
            session.execute("CREATE TABLE t AS SELECT i AS id, ['north', 'south', 'west'][i % 3 + 1] AS region, "
                    + "TIMESTAMP '2024-01-01' + INTERVAL (i) HOUR AS ts, CAST(hash(i) % 1000000 AS DOUBLE) / 1e6 AS x, "
                    + "CASE WHEN i % 10 = 0 THEN i ELSE 0 END AS skewed, CASE WHEN i % 4 = 0 THEN NULL ELSE 'n' END AS "
                    + "sparse, 12.5 :: DECIMAL(4,1) AS small FROM range(10000) r(i)");
            TableStats stats = StatisticsCollector.collect(session, "main", "t");

            assertThat(stats.relation()).isEqualTo("main.t");
            assertThat(stats.rows()).isEqualTo(10_000);
            ColumnStats id = stats.column("ID").orElseThrow();
            assertThat(id.type()).isEqualTo("BIGINT");
            assertThat(id.distinct()).isBetween(9_000L, 11_000L);
            assertThat(id.sortedness()).isEqualTo(1.0);
            assertThat(id.averageWidth()).isEqualTo(8);
            assertThat(id.min()).isEqualTo("0");
            assertThat(id.max()).isEqualTo("9999");
            assertThat(id.topShare()).isEqualTo(0.0001, within(1e-9));

            ColumnStats region = stats.column("region").orElseThrow();
            assertThat(region.distinct()).isEqualTo(3);
            assertThat(region.averageWidth()).isEqualTo(14 / 3.0, within(0.01)); // north, south, west
            assertThat(region.topShare()).isEqualTo(0.3334, within(1e-4));
            assertThat(region.sortedness()).isEqualTo(2.0 / 3, within(0.01));

            ColumnStats ts = stats.column("ts").orElseThrow();
            assertThat(ts.temporal()).isTrue();
            assertThat(ts.spanDays()).isEqualTo(9999 / 24.0, within(1e-6));
            assertThat(ts.distinctDays()).isEqualTo(417);

            ColumnStats x = stats.column("x").orElseThrow();
            assertThat(x.floating()).isTrue();
            assertThat(x.sortedness()).isBetween(0.4, 0.6);

            assertThat(stats.column("skewed").orElseThrow().topShare()).isEqualTo(0.9, within(1e-4));
            ColumnStats sparse = stats.column("sparse").orElseThrow();
            assertThat(sparse.nullFraction()).isEqualTo(0.25, within(1e-9));
            assertThat(sparse.topShare()).isEqualTo(0.75, within(1e-9));
            assertThat(stats.column("small").orElseThrow().averageWidth()).isEqualTo(2);
            assertThat(stats.rowWidth()).isEqualTo(8 + 14 / 3.0 + 8 + 8 + 8 + 1 + 2, within(0.01));
            assertThat(stats.column("missing")).isEmpty();
        }
    }

    @Test
    void aLargeTableIsMeasuredOnASampleWithExactBoundsAndScaledDistinctCounts() {
        try (DuckDbEngine engine = DuckDbEngine.inMemory(); Session session = engine.session()) {
            // 2M rows, eight times the sample: a key, 5 statuses, 20,000 customers, a minute-by-minute timestamp
            session.execute("CREATE TABLE big AS SELECT i AS id, ['a', 'b', 'c', 'd', 'e'][i % 5 + 1] AS status, "
                    + "CAST(hash(i) % 20000 AS BIGINT) AS customer_id, TIMESTAMP '2024-01-01' + INTERVAL (i) MINUTE "
                    + "AS ts FROM range(2000000) r(i)");
            TableStats stats = StatisticsCollector.collect(session, "main", "big");
            assertThat(stats.rows()).isEqualTo(2_000_000);
            ColumnStats id = stats.column("id").orElseThrow();
            // the bounds come from every row, the distinct count of a key is scaled from the sample
            assertThat(id.min()).isEqualTo("0");
            assertThat(id.max()).isEqualTo("1999999");
            assertThat(id.distinct()).isBetween(1_800_000L, 2_000_000L);
            assertThat(id.sortedness()).isGreaterThan(0.99);
            ColumnStats status = stats.column("status").orElseThrow();
            assertThat(status.distinct()).isEqualTo(5);
            assertThat(status.topShare()).isEqualTo(0.2, within(0.01));
            assertThat(stats.column("customer_id").orElseThrow().distinct()).isBetween(15_000L, 25_000L);
            ColumnStats ts = stats.column("ts").orElseThrow();
            assertThat(ts.max()).isEqualTo("2027-10-20 21:19:00");
            assertThat(ts.distinctDays()).isEqualTo(1389);
            assertThat(ts.spanDays()).isEqualTo(1_999_999 / 1440.0, within(1e-6));
        }
    }

    @Test
    void aLargeTableStagedInATransactionTakesItsBoundsFromTheStoredStatisticsWithoutAScan() {
        try (DuckDbEngine engine = DuckDbEngine.inMemory(); Session session = engine.session()) {
            session.begin();
            // a staged table, as a build measures it: created in the build's transaction, not yet committed
            session.execute("CREATE TABLE big AS SELECT i AS id, ['a', 'b', 'c', 'd', 'e'][i % 5 + 1] AS status, "
                    + "TIMESTAMP '2024-01-01' + INTERVAL (i) MINUTE AS ts, CASE WHEN i % 4 = 0 THEN NULL ELSE 1.5 "
                    + "END AS sparse, CAST(NULL AS INTEGER) AS nothing FROM range(2000000) r(i)");
            TableStats stats = StatisticsCollector.collect(session, "main", "big",
                    StatisticsCollector.Reading.STORED);
            assertThat(stats.rows()).isEqualTo(2_000_000);
            ColumnStats id = stats.column("id").orElseThrow();
            assertThat(id.min()).isEqualTo("0");
            assertThat(id.max()).isEqualTo("1999999");
            assertThat(id.nullFraction()).isZero();
            assertThat(id.sortedness()).isGreaterThan(0.99);
            ColumnStats ts = stats.column("ts").orElseThrow();
            assertThat(ts.min()).isEqualTo("2024-01-01 00:00:00");
            assertThat(ts.max()).isEqualTo("2027-10-20 21:19:00");
            assertThat(ts.spanDays()).isEqualTo(1_999_999 / 1440.0, within(1e-6));
            // days are estimated from the sample, never above the span
            assertThat(ts.distinctDays()).isBetween(1L, 1389L);
            ColumnStats status = stats.column("status").orElseThrow();
            assertThat(status.distinct()).isEqualTo(5);
            assertThat(status.min()).isEqualTo("a");
            assertThat(stats.column("sparse").orElseThrow().nullFraction()).isEqualTo(0.25, within(0.02));
            assertThat(stats.column("nothing").orElseThrow().nullFraction()).isEqualTo(1.0);
            session.rollback();
        }
    }

    @Test
    void aViewIsReadWholeWhenStoredStatisticsAreAskedFor() {
        try (DuckDbEngine engine = DuckDbEngine.inMemory(); Session session = engine.session()) {
            session.execute("CREATE VIEW v AS SELECT i AS id FROM range(1000000) r(i)");
            ColumnStats id = StatisticsCollector.collect(session, "main", "v", StatisticsCollector.Reading.STORED)
                    .column("id").orElseThrow();
            assertThat(id.min()).isEqualTo("0");
            assertThat(id.max()).isEqualTo("999999");
        }
    }

    @Test
    void distinctCountsOfASampleAreScaledByTheirKind() {
        // the whole relation: as counted
        assertThat(StatisticsCollector.scaleDistinct(10, 2, 100, 100)).isEqualTo(10);
        assertThat(StatisticsCollector.scaleDistinct(0, 0, 0, 100)).isZero();
        // nearly all seen once: a key, scaled linearly, never above the values
        assertThat(StatisticsCollector.scaleDistinct(95, 95, 100, 10_000)).isEqualTo(9_500);
        assertThat(StatisticsCollector.scaleDistinct(100, 100, 100, 10_000)).isEqualTo(10_000);
        // a category seen many times each: kept
        assertThat(StatisticsCollector.scaleDistinct(5, 0, 100, 10_000)).isEqualTo(5);
        // in between: GEE, sqrt(100) x 40 singletons + 20 others
        assertThat(StatisticsCollector.scaleDistinct(60, 40, 100, 10_000)).isEqualTo(420);
    }

    @Test
    void viewsEmptyTablesAndNestedColumns() {
        try (DuckDbEngine engine = DuckDbEngine.inMemory(); Session session = engine.session()) {
            session.execute("CREATE TABLE e (id INTEGER, tags VARCHAR[])");
            TableStats empty = StatisticsCollector.collect(session, "main", "e");
            assertThat(empty.rows()).isZero();
            assertThat(empty.column("id").orElseThrow().nullFraction()).isZero();

            session.execute("CREATE VIEW v AS SELECT i AS id, [i, i + 1] AS pair, {'a': i} AS s, 'x' :: BLOB AS b "
                    + "FROM range(100) r(i)");
            TableStats view = StatisticsCollector.collect(session, "main", "v");
            assertThat(view.rows()).isEqualTo(100);
            assertThat(view.column("id").orElseThrow().sortedness()).isEqualTo(1.0);
            ColumnStats pair = view.column("pair").orElseThrow();
            assertThat(pair.min()).isNull();
            assertThat(pair.distinct()).isBetween(90L, 110L);
            assertThat(pair.averageWidth()).isGreaterThan(4);
            assertThat(view.column("b").orElseThrow().averageWidth()).isEqualTo(1);
        }
    }

    /** Every DuckDB column type, as a model may return it. */
    static final String EVERY_TYPE = "CAST(NULL AS BOOLEAN) AS a_boolean, CAST(NULL AS TINYINT) AS a_tinyint, "
            + "CAST(NULL AS SMALLINT) AS a_smallint, CAST(NULL AS INTEGER) AS an_integer, CAST(NULL AS BIGINT) AS a_bigint, "
            + "CAST(NULL AS HUGEINT) AS a_hugeint, CAST(NULL AS UBIGINT) AS an_ubigint, CAST(NULL AS FLOAT) AS a_float, "
            + "CAST(NULL AS DOUBLE) AS a_double, CAST(NULL AS DECIMAL(18,2)) AS a_decimal, CAST(NULL AS VARCHAR) AS a_varchar, "
            + "CAST(NULL AS BLOB) AS a_blob, CAST(NULL AS DATE) AS a_date, CAST(NULL AS TIME) AS a_time, "
            + "CAST(NULL AS TIMESTAMP) AS a_timestamp, CAST(NULL AS TIMESTAMPTZ) AS a_timestamptz, "
            + "CAST(NULL AS TIMESTAMP_MS) AS a_timestamp_ms, CAST(NULL AS INTERVAL) AS an_interval, "
            + "CAST(NULL AS UUID) AS an_uuid, CAST(NULL AS INTEGER[]) AS a_list, CAST(NULL AS STRUCT(x INTEGER)) AS a_struct, "
            + "CAST(NULL AS MAP(VARCHAR, INTEGER)) AS a_map";

    @Test
    void noRowsAndOnlyNullsOfEveryTypeAreMeasured() {
        try (DuckDbEngine engine = DuckDbEngine.inMemory(); Session session = engine.session()) {
            session.execute("CREATE TABLE empty AS SELECT " + EVERY_TYPE + " WHERE false");
            session.execute("CREATE TABLE nulls AS SELECT " + EVERY_TYPE + " FROM range(3)");
            TableStats empty = StatisticsCollector.collect(session, "main", "empty");
            assertThat(empty.rows()).isZero();
            assertThat(empty.columns()).hasSize(22).allSatisfy(column -> {
                assertThat(column.spanDays()).isZero();
                assertThat(column.distinctDays()).isZero();
                assertThat(column.min()).isNull();
            });
            TableStats nulls = StatisticsCollector.collect(session, "main", "nulls");
            assertThat(nulls.rows()).isEqualTo(3);
            assertThat(nulls.columns()).hasSize(22).allSatisfy(column -> {
                assertThat(column.nullFraction()).isEqualTo(1.0);
                assertThat(column.spanDays()).isZero();
            });
        }
    }
}
