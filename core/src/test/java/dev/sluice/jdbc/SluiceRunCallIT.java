package dev.sluice.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.ProjectFixture;
import dev.sluice.RunOptions;
import dev.sluice.RunResult;
import dev.sluice.exec.FaultPoints;
import java.nio.file.Path;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs triggered from an embedding tool through the driver: {@code CALL sluice_run} and {@code sluice run}. */
class SluiceRunCallIT {
    @TempDir
    static Path dir;
    static ProjectFixture project;
    static String url;

    @BeforeAll
    static void build() {
        project = DriverProjects.shop(dir.resolve("shop"));
        assertThat(project.run().succeeded()).isTrue();
        url = "jdbc:sluice:" + project.root();
    }

    static long orders(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT orders FROM revenue")) {
            result.next();
            return result.getLong(1);
        }
    }

    @Test
    void callSluiceRunRunsTheSelectionWithItsVarsAndAnswersPerModelResults() throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            try (ResultSet result = statement.executeQuery("CALL sluice_run('stg_orders+', 'min_amount=1')")) {
                assertThat(result.getMetaData().getColumnName(2)).isEqualTo("model");
                assertThat(SluiceDriverIT.rows(result)).extracting(row -> row.get(1) + ":" + row.get(3))
                        .containsExactlyInAnyOrder("stg_orders:success", "revenue:success", "customers:success");
            }
            assertThat(orders(connection)).isEqualTo(3);
            try (CallableStatement call = connection.prepareCall("{call sluice_run(?, ?)}")) {
                call.setString(1, "stg_orders+");
                call.setString(2, "min_amount=5");
                assertThat(call.execute()).isTrue();
                try (ResultSet result = call.getResultSet()) {
                    assertThat(result.next()).isTrue();
                    assertThat(result.getLong("run_id")).isPositive();
                }
            }
            assertThat(orders(connection)).isEqualTo(2);
        }
    }

    @Test
    void theSluiceRunCommandWorksThroughExecute() throws SQLException {
        try (Connection connection = DriverManager.getConnection(url);
                Statement statement = connection.createStatement()) {
            assertThat(statement.execute("sluice run --select revenue --var min_amount=5")).isTrue();
            assertThat(SluiceDriverIT.rows(statement.getResultSet())).extracting(row -> row.get(1))
                    .containsExactly("revenue");
            SQLException unknown = catchThrowableOfType(SQLException.class,
                    () -> statement.execute("sluice run --threads 4"));
            assertThat(unknown.getMessage()).contains("'--threads' is not an option of sluice run here");
            SQLException badArgument = catchThrowableOfType(SQLException.class,
                    () -> statement.execute("CALL sluice_run('revenue', min_amount)"));
            assertThat(badArgument.getMessage()).startsWith("Cannot run sluice_run: its arguments must be text "
                    + "literals in single quotes or ?");
            SQLException badVar = catchThrowableOfType(SQLException.class,
                    () -> statement.execute("CALL sluice_run('revenue', 'min_amount')"));
            assertThat(badVar.getMessage()).contains("'min_amount' is not var=value");
            SQLException noModel = catchThrowableOfType(SQLException.class,
                    () -> statement.execute("CALL sluice_run('nothing_here')"));
            assertThat(noModel.getMessage()).contains("nothing_here");
            assertThat(noModel.getSQLState()).isEqualTo("42000");
        }
    }

    @Test
    void aRunHoldingTheWarehouseIsNamedWhenCallSluiceRunOrAQueryMustWait() throws Exception {
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FaultPoints.arm(FaultPoints.COMMIT, (model, session) -> {
            reached.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            CompletableFuture<RunResult> run = CompletableFuture.supplyAsync(
                    () -> project.run(RunOptions.defaults().withSelect("revenue")));
            assertThat(reached.await(60, TimeUnit.SECONDS)).isTrue();
            try (Connection connection = DriverManager.getConnection(url);
                    Statement statement = connection.createStatement()) {
                SQLTransientException busy = catchThrowableOfType(SQLTransientException.class,
                        () -> statement.execute("CALL sluice_run('revenue')"));
                assertThat(busy.getMessage()).startsWith("Cannot run: warehouse " + project.root()
                        .resolve("target/shop.duckdb") + " is in use by another run (pid " + ProcessHandle.current()
                        .pid());
                assertThat(busy.getErrorCode()).isEqualTo(4);
                SQLTransientException reading = catchThrowableOfType(SQLTransientException.class,
                        () -> statement.executeQuery("SELECT orders FROM revenue"));
                assertThat(reading.getMessage()).startsWith("Cannot read warehouse " + project.root()
                        .resolve("target/shop.duckdb") + ": a run is writing it (pid " + ProcessHandle.current().pid())
                        .endsWith("retry when it has finished");
            }
            release.countDown();
            assertThat(run.get(60, TimeUnit.SECONDS).succeeded()).isTrue();
        } finally {
            release.countDown();
            FaultPoints.disarm(FaultPoints.COMMIT);
        }
    }
}
