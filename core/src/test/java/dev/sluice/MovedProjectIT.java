package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A project folder moved (or an old catalog holding absolute paths) continues exactly where it stopped: every table,
 * data and catalog, equals that of a never-moved copy given the same files.
 */
class MovedProjectIT {
    /** Every run's catalog rows are compared without the columns that time or the host decide. */
    private static final List<String> VOLATILE = List.of("duration_ms", "started_at", "finished_at", "checked_at",
            "updated_at", "recorded_at", "created_at", "host", "arguments", "measured_at", "duckdb_version", "installed_at",
            "written_at", "statistics_ms", "layout_ms", "filter_ms");

    @TempDir
    Path dir;

    private static Path project(Path project) {
        ProjectFixture.copyTo("moved_lake_project", project);
        file(project, "a.csv", "1,ann,10\n2,bob,not a number\n3,cid,30\n", 1_700_000_000L);
        file(project, "b.csv", "4,dan,40\n", 1_700_000_100L);
        return project;
    }

    private static void file(Path project, String name, String rows, long modifiedAt) {
        try {
            Path file = ProjectFixture.at(project).write("data/" + name, "id,name,amount\n" + rows);
            Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(modifiedAt)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void addThirdFile(Path project) {
        file(project, "c.csv", "5,eve,50\n1,ann,11\n", 1_700_000_200L);
    }

    @Test
    void movedProjectContinuesWhereItStopped() throws Exception {
        Path original = project(dir.resolve("p"));
        assertThat(Sluice.open(original).run(RunOptions.defaults()).succeeded()).isTrue();
        Path moved = dir.resolve("elsewhere").resolve("moved");
        Files.createDirectories(moved.getParent());
        Files.move(original, moved);
        addThirdFile(moved);
        RunResult second = Sluice.open(moved).run(RunOptions.defaults());
        assertThat(second.succeeded()).isTrue();
        // Only the new file is read: nothing loaded again, nothing duplicated.
        assertThat(second.sources()).singleElement().extracting(SourceResult::rows).isEqualTo(2L);
        assertThat(second.model("events_log").get().reason()).contains("incremental");

        Path reference = project(dir.resolve("reference"));
        Sluice.open(reference).run(RunOptions.defaults());
        addThirdFile(reference);
        Sluice.open(reference).run(RunOptions.defaults());

        assertThat(Sluice.open(moved).query("SELECT path FROM sluice.file_manifest ORDER BY path").rows())
                .containsExactly(List.of("data/a.csv"), List.of("data/b.csv"), List.of("data/c.csv"));
        assertThat(Sluice.open(moved).query("SELECT DISTINCT file FROM sluice.rejects").rows())
                .containsExactly(List.of("data/a.csv"));
        assertThat(tables(moved)).isEqualTo(tables(reference));
    }

    @Test
    void catalogWithAbsolutePathsIsNotReadAgain() throws Exception {
        Path upgraded = project(dir.resolve("upgraded"));
        Sluice sluice = Sluice.open(upgraded);
        sluice.run(RunOptions.defaults());
        // What Sluice stored before paths were relative: absolute paths in the manifest and the rows' file tags.
        String root = upgraded.toAbsolutePath().normalize() + "/";
        try (var connection = java.sql.DriverManager.getConnection("jdbc:duckdb:"
                + upgraded.resolve("target/moving.duckdb")); var statement = connection.createStatement()) {
            statement.execute("UPDATE sluice.file_manifest SET path = '" + root + "' || path");
            statement.execute("UPDATE raw.events__sluice_data SET _sluice_file = '" + root + "' || _sluice_file");
        }
        assertThat(sluice.pendingChanges(RunOptions.defaults())).singleElement()
                .satisfies(change -> assertThat(change.summary()).startsWith("2 files seen: 0 new, 0 modified"));
        addThirdFile(upgraded);
        RunResult second = sluice.run(RunOptions.defaults());
        assertThat(second.sources()).singleElement().extracting(SourceResult::rows).isEqualTo(2L);

        Path reference = project(dir.resolve("reference"));
        Sluice.open(reference).run(RunOptions.defaults());
        addThirdFile(reference);
        Sluice.open(reference).run(RunOptions.defaults());
        assertThat(tables(upgraded)).isEqualTo(tables(reference));
    }

    /** Every table and view of the warehouse, data and catalog, as sorted text rows without volatile columns. */
    private static Map<String, List<String>> tables(Path project) {
        Sluice sluice = Sluice.open(project);
        Map<String, List<String>> tables = new LinkedHashMap<>();
        for (List<Object> table : sluice.query("SELECT table_schema, table_name FROM information_schema.tables "
                + "WHERE table_catalog = current_database() ORDER BY ALL").rows()) {
            String relation = "\"" + table.get(0) + "\".\"" + table.get(1) + "\"";
            List<String> columns = new ArrayList<>();
            for (List<Object> column : sluice.query("SELECT column_name FROM information_schema.columns WHERE "
                    + "table_catalog = current_database() AND table_schema = '" + table.get(0) + "' AND table_name = '"
                    + table.get(1) + "' ORDER BY ordinal_position").rows()) {
                if (!VOLATILE.contains(column.get(0))) {
                    columns.add("CAST(\"" + column.get(0) + "\" AS VARCHAR)");
                }
            }
            List<String> rows = new ArrayList<>();
            for (List<Object> row : sluice.query("SELECT " + String.join(", ", columns) + " FROM " + relation
                    + " ORDER BY ALL").rows()) {
                rows.add(row.toString());
            }
            tables.put(relation, rows);
        }
        return tables;
    }
}
