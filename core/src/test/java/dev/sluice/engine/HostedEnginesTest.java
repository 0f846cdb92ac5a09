package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.duckdb.DuckDbEngine;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostedEnginesTest {
    @TempDir
    Path dir;

    @Test
    void aLentEngineAnswersAsItsHostAndClosingItLeavesTheHostOpen() {
        Path warehouse = dir.resolve("w.duckdb");
        try (DuckDbEngine host = DuckDbEngine.open(warehouse, 0, null)) {
            try (Session session = host.session()) {
                session.execute("CREATE TABLE t AS SELECT range AS id FROM range(100000)");
            }
            HostedEngines.host(warehouse, host);
            try {
                Engine lent = HostedEngines.borrow(warehouse).orElseThrow();
                assertThat(lent.version()).isEqualTo(host.version());
                assertThat(lent.memoryBytes()).as("the metrics' DuckDB memory inside sluice serve").isPositive()
                        .isEqualTo(host.memoryBytes());
                lent.close();
                try (Session session = host.session()) {
                    assertThat(session.query("SELECT count(*) FROM t").singleLong()).isEqualTo(100000);
                }
            } finally {
                HostedEngines.release(warehouse);
            }
        }
    }
}
