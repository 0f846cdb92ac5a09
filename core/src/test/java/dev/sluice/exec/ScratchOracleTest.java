package dev.sluice.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.plan.ColumnType;
import dev.sluice.plan.SchemaOracle.Defined;
import dev.sluice.plan.SchemaOracle.ModelSql;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The planner's scratch database binding a level of models at once, and creating cached models' tables on demand. */
class ScratchOracleTest {
    @TempDir
    Path dir;

    @Test
    void bindsALevelInOneStatementKeepingEachModelsColumnsInOrder() {
        try (ScratchOracle oracle = new ScratchOracle(List.of(dir))) {
            oracle.declareModel("staging", "orders", List.of(new ColumnType("id", "BIGINT"),
                    new ColumnType("amount", "DOUBLE")));

            List<Defined> defined = oracle.defineModels(List.of(
                    new ModelSql("marts", "totals", "SELECT sum(amount) AS total, count(*) AS n FROM staging.orders"),
                    new ModelSql("marts", "ids", "SELECT id, id * 2 AS twice -- a trailing comment\nFROM staging.orders")));

            assertThat(defined).extracting(Defined::columns).containsExactly(
                    List.of(new ColumnType("total", "DOUBLE"), new ColumnType("n", "BIGINT")),
                    List.of(new ColumnType("id", "BIGINT"), new ColumnType("twice", "BIGINT")));
            assertThat(oracle.hasTable("marts", "totals")).isTrue();
            assertThat(oracle.hasTable("marts", "ids")).isTrue();
        }
    }

    @Test
    void aScratchDatabaseStartedAheadBindsAsOneOpenedOnTheSpot() {
        try (ScratchOracle.Start start = new ScratchOracle.Start(List.of(dir));
                ScratchOracle oracle = new ScratchOracle(start, java.util.Map.of(), java.util.Map.of())) {
            assertThat(oracle.defineModel("marts", "one", "SELECT 1 AS n, 'a' AS label")).containsExactly(
                    new ColumnType("n", "INTEGER"), new ColumnType("label", "VARCHAR"));
            assertThat(oracle.hasTable("marts", "one")).isTrue();
        }
        // a start nobody took (the plan failed before binding) closes its database when closed
        new ScratchOracle.Start(List.of(dir)).close();
    }

    @Test
    void aModelDuckDbRejectsIsBoundAloneSoThatEachKeepsItsOwnMessage() {
        try (ScratchOracle oracle = new ScratchOracle(List.of(dir))) {
            oracle.declareModel("staging", "orders", List.of(new ColumnType("id", "BIGINT")));

            List<Defined> defined = oracle.defineModels(List.of(
                    new ModelSql("marts", "good", "SELECT id FROM staging.orders"),
                    new ModelSql("marts", "bad", "SELECT missing FROM staging.orders")));

            assertThat(defined.get(0).columns()).containsExactly(new ColumnType("id", "BIGINT"));
            assertThat(defined.get(0).failure()).isNull();
            assertThat(defined.get(1).columns()).isNull();
            assertThat(defined.get(1).failure()).hasMessageContaining("Referenced column \"missing\" not found");
            assertThat(oracle.hasTable("marts", "bad")).isFalse();
        }
    }

    @Test
    void aDeclaredModelIsATableWithoutAskingTheDatabaseAndAnotherTableIsLookedUp() {
        try (ScratchOracle oracle = new ScratchOracle(List.of(dir))) {
            oracle.declareModel("staging", "orders", List.of(new ColumnType("id", "BIGINT")));

            assertThat(oracle.hasTable("STAGING", "Orders")).isTrue();
            assertThat(oracle.hasTable("staging", "customers")).isFalse();
            // still created when a query reads it
            assertThat(oracle.defineModel("marts", "ids", "SELECT id FROM staging.orders"))
                    .containsExactly(new ColumnType("id", "BIGINT"));
            assertThat(oracle.hasTable("marts", "ids")).isTrue();
        }
    }

    @Test
    void aDeclaredModelIsCreatedOnlyWhenAQueryMayReadIt() {
        try (ScratchOracle oracle = new ScratchOracle(List.of(dir))) {
            oracle.declareModel("staging", "orders", List.of(new ColumnType("order id", "BIGINT")));

            assertThat(oracle.defineModel("marts", "one", "SELECT \"order id\" FROM staging.orders"))
                    .containsExactly(new ColumnType("order id", "BIGINT"));
        }
    }
}
