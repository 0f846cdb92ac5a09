package dev.sluice.engine.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.SluiceException;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Engines;
import dev.sluice.engine.ModelOracle;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DuckDB's binder as the planner's model oracle: functions, parsed table references, binding on empty tables. */
class DuckDbModelOracleTest {
    @TempDir
    Path dir;

    @Test
    void listsFunctionsAndReadsTheTablesAQueryReads() {
        try (ModelOracle oracle = new DuckDbEngineFactory().modelOracle(List.of(dir))) {
            assertThat(oracle.functions()).contains(new ModelOracle.Function("lower", "scalar", "VARCHAR"));
            assertThat(oracle.tableReferences("WITH recent AS (SELECT * FROM raw.orders) SELECT * FROM recent "
                    + "JOIN customers USING (id)")).containsExactly("raw.orders", "customers");
            assertThatThrownBy(() -> oracle.tableReferences("SELEC 1"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("syntax error");
        }
    }

    @Test
    void bindsOnEmptyTablesOfTheScratchSession() {
        try (ModelOracle oracle = new DuckDbEngineFactory().modelOracle(List.of(dir))) {
            oracle.session().execute("CREATE SCHEMA raw");
            oracle.session().execute("CREATE TABLE raw.orders (id BIGINT, amount DECIMAL(10,2))");
            assertThat(oracle.hasTable("RAW", "Orders")).isTrue();
            assertThat(oracle.hasTable("raw", "missing")).isFalse();
            assertThat(oracle.describe("(SELECT id, amount * 2 AS doubled FROM raw.orders)")).containsExactly(
                    new Engine.Column("id", "BIGINT"), new Engine.Column("doubled", "DECIMAL(18,2)"));
        }
    }

    @Test
    void describesASourceWithTheOptimiserSoThatLimitZeroReadsNoRowsThenBindsWithoutIt() {
        try (ModelOracle oracle = new DuckDbEngineFactory().modelOracle(List.of(dir))) {
            oracle.session().execute("CREATE TABLE t (id BIGINT)");
            List<String> during = new java.util.ArrayList<>();
            oracle.describingSource(() -> during.add(plan(oracle, "SELECT * FROM t LIMIT 0")));
            // The optimiser turns the LIMIT 0 into an empty result: the source's files are not scanned.
            assertThat(during.get(0)).contains("Empty Result");
            assertThat(plan(oracle, "SELECT * FROM t LIMIT 0")).doesNotContain("Empty Result");

            assertThatThrownBy(() -> oracle.describingSource(() -> {
                throw new IllegalStateException("unreadable source");
            })).hasMessage("unreadable source");
            assertThat(plan(oracle, "SELECT * FROM t LIMIT 0")).doesNotContain("Empty Result");
        }
    }

    private static String plan(ModelOracle oracle, String sql) {
        return oracle.session().query("EXPLAIN " + sql).values().stream().map(row -> String.valueOf(row.get(1)))
                .collect(java.util.stream.Collectors.joining("\n"));
    }

    @Test
    void anEngineWithoutAnOracleRefusesToCheckModels() {
        assertThatThrownBy(() -> Engines.factory("recording").modelOracle(List.of(dir)))
                .isInstanceOf(SluiceException.class)
                .hasMessage("Cannot check models with engine recording: it offers no model oracle; plan with the "
                        + "default engine duckdb, whose SQL models are written in");
    }
}
