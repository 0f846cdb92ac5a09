package dev.sluice.engine.duckdb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.SluiceException;
import dev.sluice.engine.Session;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Transactions that DuckDB ends by itself: a failed commit reports its own error and leaves a usable session. */
class DuckDbSessionTest {
    @Test
    void aFailedCommitReportsItsOwnErrorAndTheSessionGoesOn() {
        try (DuckDbEngine engine = DuckDbEngine.inMemory(); Session first = engine.session();
                Session second = engine.session()) {
            first.execute("CREATE TABLE t (k INTEGER PRIMARY KEY)");
            first.begin();
            second.begin();
            first.execute("INSERT INTO t VALUES (1)");
            second.execute("INSERT INTO t VALUES (1)");
            first.commit();
            // A real commit failure: DuckDB checks the key of concurrent inserts when the second one commits.
            assertThatThrownBy(second::commit).isInstanceOf(SluiceException.class)
                    .hasMessageContaining("Failed to commit")
                    .hasMessageContaining("duplicate key \"1\"")
                    .satisfies(e -> assertThat(e.getSuppressed()).isEmpty());
            // DuckDB rolled the transaction back; a rollback now has nothing to do and says nothing.
            second.rollback();
            second.execute("INSERT INTO t VALUES (2)");
            second.begin();
            second.execute("INSERT INTO t VALUES (3)");
            second.rollback();
            assertThat(first.query("SELECT k FROM t ORDER BY k").values()).containsExactly(List.of(1), List.of(2));
        }
    }

    @Test
    void aRollbackAfterDuckDbEndedTheTransactionLeavesTheSessionUsable() {
        try (DuckDbEngine engine = DuckDbEngine.inMemory(); Session session = engine.session()) {
            session.execute("CREATE TABLE t (k INTEGER)");
            session.begin();
            session.execute("INSERT INTO t VALUES (1)");
            session.execute("ROLLBACK");
            session.rollback();
            // Transactions work again: what a rolled-back one wrote is gone, what a committed one wrote stays.
            session.begin();
            session.execute("INSERT INTO t VALUES (2)");
            session.rollback();
            session.begin();
            session.execute("INSERT INTO t VALUES (3)");
            session.commit();
            assertThat(session.query("SELECT k FROM t").values()).containsExactly(List.of(3));
        }
    }
}
