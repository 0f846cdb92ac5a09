package dev.sluice.engine.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.ProjectFixture;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DuckDbEngineTest {
    @TempDir
    Path dir;

    @Test
    void readsValuesAsPlainJavaTypes() {
        try (DuckDbEngine engine = DuckDbEngine.inMemory(); Session session = engine.session()) {
            Rows rows = session.query("SELECT 1::BIGINT AS n, 2.50::DECIMAL(5,2) AS d, DATE '2024-01-31' AS day, "
                    + "TIMESTAMP '2024-01-31 10:00:00' AS ts, [1, 2] AS list, {'a': 1} AS struct, ? AS p", "x");
            assertThat(rows.columns()).containsExactly("n", "d", "day", "ts", "list", "struct", "p");
            assertThat(rows.values().get(0)).containsExactly(1L, new BigDecimal("2.50"), LocalDate.of(2024, 1, 31),
                    LocalDateTime.of(2024, 1, 31, 10, 0), List.of(1, 2), "{a=1}", "x");
            assertThat(engine.version()).startsWith("DuckDB v");
        }
    }

    @Test
    void aConfinedEngineReadsOnlyItsFoldersAndCannotBeUnconfined() throws java.io.IOException {
        Path inside = ProjectFixture.at(dir.resolve("project")).write("data/x.csv", "a\n1\n");
        Path outside = ProjectFixture.at(dir.resolve("elsewhere")).write("y.csv", "b\n2\n");
        Path warehouse = dir.resolve("project/target/w.duckdb");
        try (DuckDbEngine engine = DuckDbEngine.open(warehouse, 0, null, List.of(dir.resolve("project")));
                Session session = engine.session()) {
            assertThat(session.query("SELECT a FROM read_csv(?)", inside.toString()).single()).isEqualTo(1L);
            session.execute("COPY (SELECT 1 AS a) TO " + Sql.string(dir.resolve("project/target/out.parquet").toString()));
            assertThatThrownBy(() -> session.query("SELECT * FROM read_csv(?)", outside.toString()))
                    .hasMessageContaining("Cannot access file \"" + outside + "\" - file system operations are "
                            + "disabled by configuration (Sluice lets SQL read files only inside the project folder "
                            + "and the folders of allowed_paths: in sluice.yml");
            assertThatThrownBy(() -> session.execute("SET enable_external_access = true"))
                    .hasMessageContaining("Cannot enable external access while database is running");
            // the same file opened again in this JVM shares the confined instance
            try (DuckDbEngine again = DuckDbEngine.open(warehouse, 0, null, List.of(dir.resolve("project")));
                    Session other = again.session()) {
                assertThatThrownBy(() -> other.query("SELECT * FROM read_csv(?)", outside.toString()))
                        .hasMessageContaining("file system operations are disabled by configuration");
            }
        }
        try (DuckDbEngine engine = DuckDbEngine.openForQueries(warehouse, List.of(dir.resolve("project")));
                Session session = engine.session()) {
            assertThatThrownBy(() -> session.execute("SET threads = 1"))
                    .hasMessageContaining("the configuration has been locked");
            assertThatThrownBy(() -> session.query("SELECT * FROM read_csv(?)", outside.toString()))
                    .hasMessageContaining("file system operations are disabled by configuration");
            try (DuckDbEngine second = DuckDbEngine.openForQueries(warehouse, List.of(dir.resolve("project")))) {
                assertThat(second.version()).startsWith("DuckDB");
            }
        }
    }

    @Test
    void rollbackLeavesNothingBehind() {
        try (DuckDbEngine engine = DuckDbEngine.open(dir.resolve("w.duckdb"), 2, "1GB");
                Session session = engine.session()) {
            session.begin();
            session.execute("CREATE TABLE t AS SELECT 1 AS a");
            session.rollback();
            assertThat(engine.relationKind("main", "t")).isEqualTo(Engine.RelationKind.NONE);
            session.begin();
            session.execute("CREATE TABLE t AS SELECT 1 AS a");
            session.execute("CREATE VIEW v AS SELECT a FROM t");
            session.commit();
            assertThat(engine.relationKind("main", "t")).isEqualTo(Engine.RelationKind.TABLE);
            assertThat(engine.relationKind("main", "v")).isEqualTo(Engine.RelationKind.VIEW);
            assertThat(engine.columns("main", "v")).containsExactly(new Engine.Column("a", "INTEGER"));
            session.rollback();
        }
    }

    @Test
    void aWritingWarehouseKeepsFreedBlocksUpToItsMemoryLimit() {
        String setting = "SELECT current_setting('block_allocator_memory') = current_setting('memory_limit'), "
                + "current_setting('block_allocator_memory')";
        try (DuckDbEngine defaults = DuckDbEngine.open(dir.resolve("defaults.duckdb"), 0, null);
                Session session = defaults.session()) {
            List<Object> row = session.query(setting).values().get(0);
            assertThat(row.get(0)).isEqualTo(true);
            assertThat(row.get(1)).isNotEqualTo("0 bytes");
        }
        Path warehouse = dir.resolve("limited.duckdb");
        try (DuckDbEngine limited = DuckDbEngine.open(warehouse, 2, "1GB"); Session session = limited.session()) {
            assertThat(session.query(setting).values().get(0).get(0)).isEqualTo(true);
            // a second open of the same file in this JVM shares its instance and sets the same share again
            try (DuckDbEngine shared = DuckDbEngine.open(warehouse, 2, "1GB"); Session again = shared.session()) {
                assertThat(again.query("SELECT 42").single()).isEqualTo(42);
            }
        }
    }

    @Test
    void aMemoryLimitAboveTheMachinesMemoryStillOpensTheWarehouse() {
        // DuckDB takes 1000TB as a memory limit, and refuses a block allocator larger than the virtual memory
        try (DuckDbEngine engine = DuckDbEngine.open(dir.resolve("big.duckdb"), 0, "1000TB");
                Session session = engine.session()) {
            session.execute("CREATE TABLE t AS SELECT 42 AS answer");
            assertThat(session.query("SELECT answer FROM t").single()).isEqualTo(42);
            assertThat(session.query("SELECT current_setting('block_allocator_memory')").single()).isEqualTo("0 bytes");
        }
    }

    @Test
    void aProjectFolderWithAQuoteInItsNameIsEverySessionsRoot() throws Exception {
        Path root = java.nio.file.Files.createDirectories(dir.resolve("o'brien's project"));
        try (DuckDbEngine engine = DuckDbEngine.open(root.resolve("warehouse.duckdb"), 0, null, List.of(root));
                Session session = engine.session()) {
            String file = DuckDbDialect.INSTANCE.projectFile(root, root.resolve("data/orders.csv"));
            assertThat(session.query("SELECT " + file).single()).isEqualTo(root + "/data/orders.csv");
        }
    }

    @Test
    void sqlErrorsCarryDuckDbsMessage() {
        try (DuckDbEngine engine = DuckDbEngine.inMemory(); Session session = engine.session()) {
            assertThatThrownBy(() -> session.execute("SELECT * FROM missing_table"))
                    .isInstanceOf(SluiceException.class)
                    .hasMessageContaining("missing_table")
                    .extracting(e -> ((SluiceException) e).code()).isEqualTo(ErrorCode.RUN_FAILED);
            assertThatThrownBy(() -> session.query("SELECT CAST(? AS INTEGER)", "not a number"))
                    .hasMessageContaining("Could not convert string 'not a number'");
        }
    }

    @Test
    void readOnlyWarehouseRefusesWrites() {
        Path warehouse = dir.resolve("ro.duckdb");
        try (DuckDbEngine engine = DuckDbEngine.open(warehouse, 0, null); Session session = engine.session()) {
            session.execute("CREATE TABLE t AS SELECT 1 AS a");
        }
        try (DuckDbEngine engine = DuckDbEngine.openReadOnly(warehouse); Session session = engine.session()) {
            assertThat(session.query("SELECT a FROM t").singleLong()).isEqualTo(1);
            assertThatThrownBy(() -> session.execute("DROP TABLE t")).hasMessageContaining("read-only");
        }
    }

    @Test
    void unusableWarehousePathIsAClearError() {
        Path file = dir.resolve("plain-file");
        ProjectFixture.at(dir).write("plain-file", "x");
        assertThatThrownBy(() -> DuckDbEngine.open(file.resolve("w.duckdb"), 0, null))
                .isInstanceOf(SluiceException.class)
                .hasMessageContaining("Cannot create the warehouse folder");
        assertThatThrownBy(() -> DuckDbEngine.open(dir.resolve("bad.duckdb"), 0, "lots"))
                .hasMessageContaining("Cannot open warehouse");
    }

    @Test
    void sqlTextQuotesIdentifiersAndLiterals() {
        assertThat(Sql.identifier("we\"ird")).isEqualTo("\"we\"\"ird\"");
        assertThat(Sql.qualified("raw", "orders")).isEqualTo("\"raw\".\"orders\"");
        assertThat(Sql.literal("x'; DROP TABLE t; --")).isEqualTo("'x''; DROP TABLE t; --'");
        assertThat(Sql.literal(null)).isEqualTo("NULL");
        assertThat(Sql.literal(new BigDecimal("1E+3"))).isEqualTo("1000");
        assertThat(Sql.literal(0.5d)).isEqualTo("0.5");
        assertThat(Sql.literal(7L)).isEqualTo("7");
        assertThat(Sql.literal(true)).isEqualTo("TRUE");
        assertThat(Sql.literal(false)).isEqualTo("FALSE");
        assertThat(Sql.literal(LocalDate.of(2024, 2, 1))).isEqualTo("DATE '2024-02-01'");
        assertThat(Sql.literal(LocalDateTime.of(2024, 2, 1, 3, 4, 5))).isEqualTo("TIMESTAMP '2024-02-01 03:04:05'");
        assertThat(Sql.literal(List.of("a", 1))).isEqualTo("['a', 1]");
        try (DuckDbEngine engine = DuckDbEngine.inMemory(); Session session = engine.session()) {
            assertThat(session.query("SELECT " + Sql.literal("x'; DROP TABLE t; --")).single())
                    .isEqualTo("x'; DROP TABLE t; --");
        }
    }
}
