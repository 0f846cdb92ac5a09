package dev.sluice.engine.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.engine.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A warehouse opened read-only ahead of need ({@link DuckDbEngine#prepareReadOnly}, what the launcher does for a read
 * command): the next opening of the file takes the connection over, so a reader joins the instance and a writer
 * after it does not conflict with it; a file that cannot be opened is reported by that opening, as without.
 */
class PreparedOpeningTest {
    @TempDir
    Path dir;

    private Path warehouse(String name) {
        Path warehouse = dir.resolve(name);
        try (DuckDbEngine engine = DuckDbEngine.open(warehouse, 0, null); Session session = engine.session()) {
            session.execute("CREATE TABLE t AS SELECT 42 AS answer");
        }
        return warehouse;
    }

    @Test
    void aReaderJoinsThePreparedInstanceAndAWriterFollowsIt() {
        Path warehouse = warehouse("reader.duckdb");
        DuckDbEngine.prepareReadOnly(warehouse);
        try (DuckDbEngine engine = DuckDbEngine.openReadOnly(warehouse, List.of(dir));
                Session session = engine.session()) {
            assertThat(session.query("SELECT answer FROM t").single()).isEqualTo(42);
        }
        // The prepared read-only connection is closed: a read-write one to the same file is not refused.
        try (DuckDbEngine engine = DuckDbEngine.open(warehouse, 0, null); Session session = engine.session()) {
            session.execute("INSERT INTO t VALUES (43)");
            assertThat(session.query("SELECT count(*) FROM t").single()).isEqualTo(2L);
        }
    }

    @Test
    void aWriterFirstClosesThePreparedConnection() {
        Path warehouse = warehouse("writer.duckdb");
        DuckDbEngine.prepareReadOnly(warehouse);
        try (DuckDbEngine engine = DuckDbEngine.open(warehouse, 0, null); Session session = engine.session()) {
            session.execute("INSERT INTO t VALUES (43)");
        }
        try (DuckDbEngine engine = DuckDbEngine.openReadOnly(warehouse); Session session = engine.session()) {
            assertThat(session.query("SELECT count(*) FROM t").single()).isEqualTo(2L);
        }
    }

    @Test
    void aFileThatCannotBeOpenedIsReportedByTheOpeningAfter() throws Exception {
        Path damaged = Files.writeString(dir.resolve("damaged.duckdb"), "not a database, but long enough to be read "
                + "as one: " + "x".repeat(8192));
        DuckDbEngine.prepareReadOnly(damaged);
        assertThatThrownBy(() -> DuckDbEngine.openReadOnly(damaged, List.of(dir)))
                .isInstanceOf(SluiceException.class)
                .satisfies(e -> assertThat(((SluiceException) e).code()).isIn(ErrorCode.WAREHOUSE_DAMAGED,
                        ErrorCode.PROJECT_INVALID))
                .hasMessageContaining("warehouse " + damaged);
        Path missing = dir.resolve("missing.duckdb");
        DuckDbEngine.prepareReadOnly(missing);
        assertThat(missing).doesNotExist();
    }
}
