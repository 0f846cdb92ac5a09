package dev.sluice.cli;

import static dev.sluice.cli.Launcher.sluice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.Launcher.Outcome;
import dev.sluice.ProjectFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trust boundary through the launcher: query is read-only, and files outside the project stay out of reach. */
class TrustIT {
    @TempDir
    Path dir;

    /** A project with a warehouse table and a Parquet lake model, run once. */
    private Path builtProject() {
        Path project = ProjectFixture.copyTo("trust_built_lake_and_table", dir.resolve("p")).root();
        Outcome run = sluice("run", project.toString());
        assertThat(run.code()).as(run.out() + run.err()).isZero();
        return project;
    }

    private static Outcome refused(Path project, String sql, String what) {
        Outcome outcome = sluice("query", project.toString(), sql);
        assertThat(outcome.code()).as(sql + ": " + outcome.out() + outcome.err()).isEqualTo(2);
        assertThat(outcome.err()).as(sql).contains("Cannot run query: " + what);
        return outcome;
    }

    @Test
    void queryCannotOverwriteTheWarehouse() throws IOException {
        Path project = builtProject();
        Path warehouse = project.resolve("target/p.duckdb");
        long size = Files.size(warehouse);
        byte[] before = Files.readAllBytes(warehouse);

        Outcome copy = refused(project, "COPY (SELECT 'x' AS x) TO '" + warehouse + "' (FORMAT csv)",
                "COPY statements refused (they write, attach, install, load, export or change settings)");
        assertThat(copy.err()).contains("sluice query runs one read statement (SELECT, WITH");
        refused(project, "EXPLAIN ANALYZE COPY (SELECT 'x' AS x) TO '" + warehouse + "' (FORMAT csv)",
                "this statement refused (EXPLAIN and PRAGMA must stand for one query");
        refused(project, "SELECT 1; COPY (SELECT 'x' AS x) TO '" + warehouse + "' (FORMAT csv)",
                "a statement after the first one refused (only one statement runs)");
        refused(project, "SELECT 1; DROP TABLE main.items", "a statement after the first one refused");
        refused(project, "(SELECT 1); DROP TABLE main.items", "this statement refused (it is not one query)");
        refused(project, "SELECT 1; SELECT 2", "2 statements refused (only one statement runs)");
        refused(project, "/* meant */ -- no harm\n DELETE FROM main.items", "DELETE statements refused");
        refused(project, "EXPORT DATABASE '" + project.resolve("target/export") + "'", "EXPORT statements refused");
        refused(project, "SELEC 1", "syntax error at or near \"SELEC\"; fix the SQL");
        refused(project, " ", "it holds no statement");

        assertThat(Files.size(warehouse)).isEqualTo(size);
        assertThat(Files.readAllBytes(warehouse)).isEqualTo(before);
        assertThat(project.resolve("target/export")).doesNotExist();
        assertThat(sluice("query", project.toString(), "SELECT count(*) AS n FROM main.items").out()).contains("50");
    }

    @Test
    void queryCannotAttachInstallOrChangeSettings() throws IOException, SQLException {
        Path project = builtProject();
        Path other = dir.resolve("other/other.duckdb");
        Files.createDirectories(other.getParent());
        try (Connection connection = DriverManager.getConnection("jdbc:duckdb:" + other);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE t AS SELECT 42 AS answer");
        }
        byte[] before = Files.readAllBytes(other);

        refused(project, "ATTACH '" + other + "' AS o (READ_WRITE); DROP TABLE o.main.t", "ATTACH statements refused");
        refused(project, "ATTACH '" + other + "' AS o (READ_WRITE)", "ATTACH statements refused");
        refused(project, "INSTALL httpfs", "INSTALL statements refused");
        refused(project, "LOAD httpfs", "LOAD statements refused");
        refused(project, "SET enable_external_access = true", "SET statements refused");
        refused(project, "RESET threads", "RESET statements refused");
        refused(project, "PRAGMA threads = 1", "PRAGMA threads = ... refused (it changes a setting)");
        refused(project, "PRAGMA enable_profiling", "PRAGMA enable_profiling refused (it is not a read-only pragma)");
        refused(project, "CREATE TABLE main.x AS SELECT 1", "CREATE statements refused");
        assertThat(Files.readAllBytes(other)).isEqualTo(before);
    }

    @Test
    void queryReadsTheWarehouseAndTheLakeButNoFileOutsideTheProject() throws IOException {
        Path project = builtProject();
        Outcome lake = sluice("query", project.toString(), "SELECT count(*) AS n, max(id) AS top FROM main.lake_items");
        assertThat(lake.code()).as(lake.err()).isZero();
        assertThat(lake.out()).contains("50").contains("(1 rows)");
        assertThat(sluice("query", project.toString(), "DESCRIBE main.lake_items").out()).contains("BIGINT");
        assertThat(sluice("query", project.toString(), "FROM main.items SELECT count(*) AS n").out()).contains("50");
        assertThat(sluice("query", project.toString(), "EXPLAIN SELECT * FROM main.items").out()).contains("physical_plan");
        assertThat(sluice("query", project.toString(), "PRAGMA table_info('main.items')").out()).contains("id");
        assertThat(sluice("query", project.toString(), "PRAGMA table_info('sluice.runs')").out()).contains("status");
        assertThat(sluice("query", "--help").out()).contains("Run one read statement").contains("refused (exit 2)");
        assertThat(sluice("query", project.toString(), "SHOW TABLES").code()).isZero();

        Path outside = ProjectFixture.at(dir.resolve("elsewhere")).write("secret.csv", "token\nhunter2\n");
        Outcome file = refused(project, "SELECT * FROM read_csv('" + outside + "')", "Permission Error: Cannot access "
                + "file \"" + outside + "\"");
        assertThat(file.err()).contains("allowed_paths").doesNotContain("hunter2");
        refused(project, "SELECT * FROM read_csv('/etc/passwd')", "Permission Error");
        refused(project, "SELECT * FROM '" + outside + "'", "Permission Error");
    }

    @Test
    void sourcesOutsideTheProjectAreRefusedUntilAllowed() throws IOException {
        Path shared = ProjectFixture.at(dir.resolve("shared")).write("events.csv", "id,kind\n1,a\n2,b\n");
        Path project = ProjectFixture.at(dir.resolve("p")).write("sluice.yml", """
                name: p
                sources:
                  raw.events:
                    type: files
                    path: ../shared/events.csv
                  raw.passwd:
                    type: files
                    path: /etc/passwd
                    format: csv
                """).getParent();
        ProjectFixture.at(project).write("models/events.sql", "SELECT id FROM raw.events");
        Outcome escaped = sluice("plan", project.toString());
        assertThat(escaped.code()).isEqualTo(2);
        assertThat(escaped.err()).contains("sluice.yml:5:").contains("Cannot read source raw.events path: "
                + "'../shared/events.csv' is outside the project folder and its allowed_paths (symbolic links are "
                + "followed); move the files into the project folder, or add their folder to allowed_paths: in "
                + "sluice.yml if this project may read it")
                .contains("sluice.yml:8:").contains("Cannot read source raw.passwd path: '/etc/passwd' is outside");

        // a link inside the project that points out of it is outside too
        Files.createDirectories(project.resolve("data"));
        Files.createSymbolicLink(project.resolve("data/linked.csv"), shared.toAbsolutePath());
        ProjectFixture.at(project).write("sluice.yml", """
                name: p
                sources:
                  raw.events:
                    type: files
                    path: data/linked.csv
                """);
        Outcome linked = sluice("plan", project.toString());
        assertThat(linked.code()).isEqualTo(2);
        assertThat(linked.err()).contains("sluice.yml:5:").contains("'data/linked.csv' is outside the project folder");

        ProjectFixture.at(project).write("sluice.yml", """
                name: p
                allowed_paths: [../shared]
                sources:
                  raw.events:
                    type: files
                    path: ../shared/*.csv
                  raw.linked:
                    type: files
                    path: data/linked.csv
                """);
        Outcome run = sluice("run", project.toString());
        assertThat(run.code()).as(run.out() + run.err()).isZero();
        assertThat(sluice("query", project.toString(), "SELECT count(*) AS n FROM main.events").out()).contains("2");
        // the allowed folder is readable from query too, the rest of the machine still is not
        assertThat(sluice("query", project.toString(), "SELECT count(*) AS n FROM read_csv('" + shared + "')").code())
                .isZero();
        refused(project, "SELECT * FROM read_csv('/etc/passwd')", "Permission Error");
    }

    @Test
    void allowedPathsMustBeAListOfFolders() {
        Path project = ProjectFixture.copyTo("trust_allowed_paths", dir.resolve("p")).root();
        Outcome notList = sluice("plan", project.toString());
        assertThat(notList.code()).isEqualTo(2);
        assertThat(notList.err()).contains("sluice.yml:2:").contains("Cannot read allowed_paths: expected a list of "
                + "folders, found");
        ProjectFixture.at(project).write("sluice.yml", "name: p\nallowed_paths: ['/data/*.csv']\n");
        assertThat(sluice("plan", project.toString()).err()).contains("sluice.yml:2:")
                .contains("Cannot read allowed_paths entry '/data/*.csv': expected a folder, without wildcards");
    }

    @Test
    void modelSqlReadingFilesOutsideTheProjectIsRefused() throws IOException {
        Path outside = ProjectFixture.at(dir.resolve("elsewhere")).write("secret.csv", "token\nhunter2\n");
        Path project = ProjectFixture.at(dir.resolve("p")).write("sluice.yml", "name: p\n").getParent();
        ProjectFixture.at(project).write("data/local.csv", "n\n1\n2\n3\n");
        ProjectFixture.at(project).write("models/local.sql", "/*---\nmaterialized: table\nparser: duckdb\n---*/\n"
                + "SELECT count(*) AS n FROM read_csv('" + project.resolve("data/local.csv") + "')");
        ProjectFixture.at(project).write("models/stolen.sql", "/*---\nmaterialized: table\nparser: duckdb\n---*/\n"
                + "SELECT * FROM read_csv('" + outside + "')");
        Outcome refused = sluice("run", project.toString());
        assertThat(refused.code()).isNotZero();
        assertThat(refused.out() + refused.err()).contains("models/stolen.sql")
                .contains("Cannot access file \"" + outside + "\"").contains("allowed_paths").doesNotContain("hunter2");

        ProjectFixture.at(project).write("models/stolen.sql", "/*---\nmaterialized: table\nparser: duckdb\n---*/\n"
                + "SELECT * FROM read_csv('/etc/passwd')");
        Outcome passwd = sluice("run", project.toString());
        assertThat(passwd.code()).isNotZero();
        assertThat(passwd.out() + passwd.err()).contains("models/stolen.sql").contains("/etc/passwd")
                .doesNotContain("root:x:0");

        ProjectFixture.at(project).write("sluice.yml", "name: p\nallowed_paths: [" + outside.getParent() + "]\n");
        ProjectFixture.at(project).write("models/stolen.sql", "/*---\nmaterialized: table\nparser: duckdb\n---*/\n"
                + "SELECT * FROM read_csv('" + outside + "')");
        Outcome allowed = sluice("run", project.toString());
        assertThat(allowed.code()).as(allowed.out() + allowed.err()).isZero();
        assertThat(sluice("query", project.toString(), "SELECT n FROM main.local").out()).contains("3");
    }
}
