package dev.sluice.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.engine.Session;
import dev.sluice.project.CatalogSpec;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run lock of a project's catalog in PostgreSQL, as two machines see it: the holder is named, a holder whose
 * heartbeat stopped is taken over, and projects (schemas) never block each other. Heartbeats are moved by hand.
 */
class CatalogRunLockTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    private PostgresCatalogEngine catalog;

    @BeforeEach
    void open() {
        catalog = (PostgresCatalogEngine) CatalogTarget.of(CatalogSpec.Kind.POSTGRES, dir).open();
    }

    @AfterEach
    void close() {
        catalog.close();
    }

    private void heartbeatAgo(Duration ago) {
        try (Session session = catalog.session()) {
            session.execute("UPDATE sluice.run_locks SET heartbeat_at = now() AT TIME ZONE 'UTC' - CAST(? AS INTERVAL)",
                    ago.toSeconds() + " seconds");
        }
    }

    @Test
    void aSecondMachineIsRefusedWithTheHolderNamedWhileItsHeartbeatGoesOn() {
        try (CatalogRunLock first = CatalogRunLock.acquire(catalog, "run", "machine-a", 41, TIMEOUT, null)) {
            first.running(7);
            heartbeatAgo(Duration.ofSeconds(50));
            assertThat(first.beat()).isTrue();

            assertThatThrownBy(() -> CatalogRunLock.acquire(catalog, "run", "machine-b", 42, TIMEOUT, null))
                    .isInstanceOf(SluiceException.class)
                    .hasMessageStartingWith("Cannot run: the project's catalog " + catalog.spec() + " is in use by pid 41 "
                            + "on host machine-a (run run 7, since ")
                    .hasMessageEndingWith(" UTC); wait for it to finish, or stop it (a holder that stops its "
                            + "heartbeat for 60 s is taken over)")
                    .extracting(e -> ((SluiceException) e).code()).isEqualTo(ErrorCode.WAREHOUSE_LOCKED);
            assertThat(first.lost()).isFalse();
        }
        try (CatalogRunLock next = CatalogRunLock.acquire(catalog, "run", "machine-b", 42, TIMEOUT, null)) {
            assertThat(next.takenOverFrom()).isNull();
        }
    }

    @Test
    void aHolderWhoseHeartbeatStoppedIsTakenOverAndFindsItLost() {
        CatalogRunLock dead = CatalogRunLock.acquire(catalog, "run", "machine-a", 41, TIMEOUT, null);
        heartbeatAgo(Duration.ofSeconds(61));

        try (CatalogRunLock taken = CatalogRunLock.acquire(catalog, "test", "machine-b", 42, TIMEOUT, null)) {
            assertThat(taken.takenOverFrom()).startsWith("pid 41 on host machine-a (run, since ");
            assertThat(dead.beat()).isFalse();
            assertThat(dead.lost()).isTrue();
            // the dead holder's release must not free the lock its successor holds
            dead.close();
            assertThatThrownBy(() -> CatalogRunLock.acquire(catalog, "run", "machine-c", 43, TIMEOUT, null))
                    .hasMessageContaining("is in use by pid 42 on host machine-b (test, since ");
        }
    }

    @Test
    void differentProjectsHoldTheirLocksAtOnce() {
        try (PostgresCatalogEngine other = (PostgresCatalogEngine) CatalogTarget.of(CatalogSpec.Kind.POSTGRES, dir)
                .open();
                CatalogRunLock first = CatalogRunLock.acquire(catalog, "run", "machine-a", 41, TIMEOUT, null);
                CatalogRunLock second = CatalogRunLock.acquire(other, "run", "machine-a", 42, TIMEOUT, null)) {
            assertThat(first.beat()).isTrue();
            assertThat(second.beat()).isTrue();
        }
    }

    @Test
    void aHolderChecksItStillHoldsTheLockBeforeACommit() {
        try (CatalogRunLock holder = CatalogRunLock.acquire(catalog, "run", "machine-a", 41, TIMEOUT, null)) {
            heartbeatAgo(Duration.ofSeconds(50));
            holder.ensureHeld("commit");
            // the check moved the heartbeat on: no one can take the lock over for a whole timeout
            assertThatThrownBy(() -> CatalogRunLock.acquire(catalog, "run", "machine-b", 42, TIMEOUT, null))
                    .hasMessageContaining("is in use by pid 41 on host machine-a");

            heartbeatAgo(Duration.ofSeconds(61));
            try (CatalogRunLock taken = CatalogRunLock.acquire(catalog, "run", "machine-b", 42, TIMEOUT, null)) {
                assertThatThrownBy(() -> holder.ensureHeld("commit"))
                        .isInstanceOf(SluiceException.class)
                        .hasMessage("Cannot commit: the project's run lock in catalog " + catalog.spec() + " was "
                                + "taken over by another holder (this run's heartbeat had stopped for over 60 s); "
                                + "nothing of it is published; run again once the other holder has finished");
            }
        }
    }

    @Test
    void aCatalogThatDoesNotAnswerIsTrustedOnlyWhileTheLastHeartbeatIsRecent() {
        try (CatalogRunLock recent = CatalogRunLock.acquire(catalog, "run", "machine-a", 41, TIMEOUT, null);
                Session session = catalog.session()) {
            session.execute("ALTER TABLE sluice.run_locks RENAME TO run_locks_away");
            try {
                // confirmed at its acquisition, moments ago: still the holder's
                recent.ensureHeld("commit");
            } finally {
                session.execute("ALTER TABLE sluice.run_locks_away RENAME TO run_locks");
            }
        }
        try (CatalogRunLock old = CatalogRunLock.acquire(catalog, "run", "machine-a", 41, Duration.ZERO, null);
                Session session = catalog.session()) {
            session.execute("ALTER TABLE sluice.run_locks RENAME TO run_locks_away");
            try {
                assertThatThrownBy(() -> old.ensureHeld("commit"))
                        .isInstanceOf(SluiceException.class)
                        .hasMessageStartingWith("Cannot commit: the project's run lock in catalog " + catalog.spec()
                                + " cannot be confirmed (its last heartbeat is over 0 s old and the catalog does not "
                                + "answer: ")
                        .hasMessageEndingWith("); nothing of it is published; run again once the catalog answers");
            } finally {
                session.execute("ALTER TABLE sluice.run_locks_away RENAME TO run_locks");
            }
        }
    }

    @Test
    void aCatalogInTheWarehouseNeedsNoLockOfItsOwn() {
        assertThat(CatalogRunLock.acquire(CatalogSpec.WAREHOUSE, "run", "machine-a", 41)).isEmpty();
    }
}
