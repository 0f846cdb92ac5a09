package dev.sluice.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WarehouseLockTest {
    @TempDir
    Path dir;

    @Test
    void secondWriterFailsAtOnceNamingTheHolder() {
        Path warehouse = dir.resolve("w.duckdb");
        try (WarehouseLock lock = WarehouseLock.acquire(warehouse)) {
            assertThat(lock.takenOverFrom()).isNull();
            assertThatThrownBy(() -> WarehouseLock.acquire(warehouse))
                    .isInstanceOf(SluiceException.class)
                    .hasMessageContaining("is in use by another run (pid " + ProcessHandle.current().pid() + " on host ")
                    .hasMessageContaining(" since ")
                    .hasMessageContaining("wait for it to finish")
                    .extracting(e -> ((SluiceException) e).code()).isEqualTo(ErrorCode.WAREHOUSE_LOCKED);
        }
        try (WarehouseLock again = WarehouseLock.acquire(warehouse)) {
            assertThat(again.takenOverFrom()).isNull();
        }
        assertThat(WarehouseLock.holder(warehouse)).isNull();
    }

    @Test
    void staleLockFromADeadProcessIsTakenOver() throws Exception {
        Path warehouse = dir.resolve("w.duckdb");
        Files.writeString(WarehouseLock.lockFile(warehouse), "pid 999999 on host gone since 2026-01-01T00:00");
        try (WarehouseLock lock = WarehouseLock.acquire(warehouse)) {
            assertThat(lock.takenOverFrom()).isEqualTo("pid 999999 on host gone since 2026-01-01T00:00");
            assertThat(WarehouseLock.holder(warehouse)).startsWith("pid " + ProcessHandle.current().pid());
        }
    }
}
