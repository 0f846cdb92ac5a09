package dev.sluice.quality;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.duckdb.DuckDbDialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MetricTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "mean | mean | avg(\"v\")",
        "STDDEV | stddev | stddev_samp(\"v\")",
        "min | min | min(\"v\")",
        "Max | max | max(\"v\")",
        "quantile | quantile_0.95 | quantile_cont(\"v\", 0.95)",
        "distinct_ratio | distinct_ratio | CAST(count(DISTINCT \"v\") AS DOUBLE) / nullif(count(*), 0)",
        "null_fraction | null_fraction | CAST(count(*) FILTER (WHERE \"v\" IS NULL) AS DOUBLE) / nullif(count(*), 0)"})
    void columnMetricsByName(String name, String metric, String expression) {
        assertThat(Metric.of(name, "v", 0.95, DuckDbDialect.INSTANCE)).isEqualTo(new Metric(metric, "v", expression));
    }

    @Test
    void rowCountNeedsNoColumn() {
        assertThat(Metric.of("row_count", null, null, DuckDbDialect.INSTANCE)).isEqualTo(new Metric("row_count", null, "count(*)"))
                .isEqualTo(Metric.rowCount());
        assertThat(Metric.of("ROW_COUNT", "ignored", null, DuckDbDialect.INSTANCE)).isEqualTo(Metric.rowCount());
    }

    @Test
    void unknownNamesHaveNoMetric() {
        assertThat(Metric.of("median", "v", null, DuckDbDialect.INSTANCE)).isNull();
        assertThat(Metric.of("quantile_0.5", "v", null, DuckDbDialect.INSTANCE)).isNull();
    }

    @Test
    void columnNamesAreQuoted() {
        assertThat(Metric.of("mean", "my \"v\"", null, DuckDbDialect.INSTANCE).expression()).isEqualTo("avg(\"my \"\"v\"\"\")");
        assertThat(Metric.age("ts", DuckDbDialect.INSTANCE)).isEqualTo(new Metric("age_seconds", "ts",
                "epoch(CAST(now() AS TIMESTAMP)) - epoch(CAST(max(\"ts\") AS TIMESTAMP))"));
    }
}
