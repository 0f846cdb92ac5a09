package dev.sluice.engine.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.Dialect;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Spark SQL of the quality gate's, the strategies' and the windows' hooks, as text (SparkGateConformanceTest and
 * SparkEngineConformanceTest run them on Spark).
 */
class SparkDialectHooksTest {
    private final Dialect dialect = SparkDialect.INSTANCE;

    @Test
    void writesTheGatesConstructs() {
        assertThat(dialect.stringLiteral("it's a\\d")).isEqualTo("'it''s a\\\\d'");
        assertThat(dialect.regexFullMatch("v", "a\\d+")).isEqualTo("regexp_like(v, '^(?:a\\\\d+)\\\\z')");
        assertThat(dialect.startsWith("v", "SKU-")).isEqualTo("startswith(v, 'SKU-')");
        assertThat(dialect.endsWith("v", "x")).isEqualTo("endswith(v, 'x')");
        assertThat(dialect.byteLength("v")).isEqualTo("octet_length(v)");
        assertThat(dialect.globMatch("v", "SKU-*[!0-9]*")).isEqualTo("regexp_like(v, '(?s)^SKU\\\\-.*[^0-9].*\\\\z')");
        assertThat(dialect.quantile("c", 0.95)).isEqualTo("percentile(c, 0.95)");
        assertThat(dialect.secondsSince("max(ts)")).isEqualTo("(unix_micros(now()) - unix_micros(CAST(CAST(max(ts) AS "
                + "TIMESTAMP_NTZ) AS TIMESTAMP_LTZ))) / 1000000.0");
        assertThat(dialect.stringAgg("rule", ", ")).isEqualTo("listagg(rule, ', ')");
        assertThat(dialect.allColumnsExcept("__sluice_rowid")).isEqualTo("* EXCEPT (\"__sluice_rowid\")");
        assertThat(dialect.relationsNamedQuery("s", "t__quarantine")).isEqualTo("SHOW TABLES IN \"s\" LIKE "
                + "'t__quarantine'");
    }

    @Test
    void writesStrategiesAndWindows() {
        assertThat(dialect.replaceByKey("t", "s", List.of("k"), List.of("k", "v"))).containsExactly(
                "MERGE INTO t AS t USING (SELECT DISTINCT \"k\" FROM s) AS s ON s.\"k\" <=> t.\"k\" WHEN MATCHED "
                        + "THEN DELETE",
                "INSERT INTO t (\"k\", \"v\") SELECT \"k\", \"v\" FROM s");
        assertThat(dialect.sampleFrom("t", 12.5, null)).isEqualTo("FROM t TABLESAMPLE (12.500000 PERCENT)");
        assertThat(dialect.sampleFrom("t", 12.5, 16)).isEqualTo("FROM t TABLESAMPLE (12.500000 PERCENT) REPEATABLE (16)");
        assertThat(dialect.useUtc()).isEqualTo("SET TIME ZONE 'UTC'");
        assertThat(dialect.utcWallClock("ts")).isEqualTo("timestampadd(MICROSECOND, unix_micros(ts), "
                + "TIMESTAMP_NTZ '1970-01-01 00:00:00')");
        assertThat(dialect.microsBetween("a", "b")).isEqualTo("timestampdiff(MICROSECOND, a, b)");
        assertThat(dialect.monthsBetween("a", "b")).isEqualTo("timestampdiff(MONTH, a, b)");
        assertThat(dialect.inSpans("i", List.of(new Dialect.IndexSpan(0, 2), new Dialect.IndexSpan(5, 6))))
                .isEqualTo("((i >= 0 AND i < 2) OR (i >= 5 AND i < 6))");
        assertThat(dialect.spans(List.of(new Dialect.IndexSpan(0, 2), new Dialect.IndexSpan(5, 6))))
                .isEqualTo("SELECT * FROM VALUES (0, 2), (5, 6) AS spans(span_from, span_to)");
    }
}
