package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.exec.FaultPoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lake outputs stay inside their project and touch only what Sluice wrote: paths are confined and never shared,
 * foreign folders in a lake folder survive, a failure after the commit never loses the committed version, and a
 * project keeps reading its own lake after it is moved, wherever it lives (a quote or a space in its path).
 */
class LakeSafetyIT {
    @TempDir
    Path dir;

    /**
     * The lake_events scenario in {@code project}: a full parquet model, an appending and a merging incremental one,
     * and a windowed one, all in the lake, over raw.events (files).
     */
    private static Path lakeProject(Path project) {
        return ProjectFixture.copyTo("lake_events", project).root();
    }

    /** Rows {@code from..to-1}, one an hour from 2024-01-01, in a file that sorts after the earlier ones. */
    private static void events(Path project, String name, int from, int to) throws IOException {
        StringBuilder rows = new StringBuilder("id,odd col,event_ts,amount\n");
        for (int i = from; i < to; i++) {
            rows.append(i).append(",k").append(i % 3).append(',')
                    .append(java.time.LocalDateTime.parse("2024-01-01T00:10").plusHours(i)).append(',').append(i)
                    .append('\n');
        }
        Path file = ProjectFixture.at(project).write("data/" + name, rows.toString());
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(from)));
    }

    private static final List<String> CHECKS = List.of(
            "SELECT count(*), sum(amount) FROM main.full",
            "SELECT count(*), sum(amount) FROM main.appended",
            "SELECT id, \"odd col\", amount FROM main.merged ORDER BY id",
            "SELECT count(*), sum(events), sum(amount) FROM main.hourly");

    private static List<List<List<Object>>> contents(Sluice sluice) {
        List<List<List<Object>>> contents = new ArrayList<>();
        for (String check : CHECKS) {
            contents.add(sluice.query(check).rows());
        }
        return contents;
    }

    /** A run building the four lake models in parallel: their claims and publishes never conflict. */
    private static RunResult run(Path project) {
        RunResult result = Sluice.open(project).run(RunOptions.defaults().withThreads(4));
        assertThat(result.succeeded()).as(result.toString()).isTrue();
        return result;
    }

    @Test
    void lakePathsOutsideTheProjectAreRefusedWhereTheyAreWritten() {
        Path outside = dir.resolve("victim/lake").toAbsolutePath();
        Path project = dir.resolve("p");
        ProjectFixture.at(project).write("sluice.yml", "name: p\n");
        ProjectFixture.at(project).write("models/up.sql", """
                /*---
                materialized: table
                storage: { format: parquet, path: ../victim/lake }
                ---*/
                SELECT 1 AS a
                """);
        ProjectFixture.at(project).write("models/absolute.sql", """
                /*---
                materialized: table
                storage:
                  format: parquet
                  path: %s
                ---*/
                SELECT 1 AS a
                """.formatted(outside));
        ProjectFixture.at(project).write("models/itself.sql", """
                /*---
                materialized: table
                storage: { format: parquet, path: lake/.. }
                ---*/
                SELECT 1 AS a
                """);
        assertThatThrownBy(() -> Sluice.open(project)).isInstanceOf(SluiceException.class)
                .satisfies(e -> assertThat(((SluiceException) e).problems()).containsExactly(
                        "models/absolute.sql:5:9: Cannot read front matter storage path: '" + outside + "' is "
                                + "outside the project folder " + project + " and its allowed_paths (symbolic links are followed); "
                                + "Sluice writes and deletes lake versions there, so it must be a folder inside the "
                                + "project (or its allowed_paths): use a relative path "
                                + "such as lake/absolute",
                        "models/itself.sql:3:35: Cannot read front matter storage path: 'lake/..' is the project "
                                + "folder itself; Sluice writes and deletes lake versions there, so it must be a "
                                + "folder inside the project (or its allowed_paths): use a relative path such as lake/itself",
                        "models/up.sql:3:35: Cannot read front matter storage path: '../victim/lake' is outside the "
                                + "project folder " + project + " and its allowed_paths (symbolic links are followed); Sluice "
                                + "writes and deletes lake versions there, so it must be a folder inside the project "
                                + "(or its allowed_paths): use a relative path such as lake/up"));
        assertThat(dir.resolve("victim")).doesNotExist();
    }

    @Test
    void aLakePathThroughALinkOutOfTheProjectIsRefused() throws IOException {
        Path victim = Files.createDirectories(dir.resolve("victim"));
        Path project = dir.resolve("p");
        ProjectFixture.at(project).write("sluice.yml", "name: p\n");
        Files.createSymbolicLink(project.resolve("shared"), victim);
        ProjectFixture.at(project).write("models/linked.sql", """
                /*---
                materialized: table
                storage: { format: parquet, path: shared/lake }
                ---*/
                SELECT 1 AS a
                """);
        assertThatThrownBy(() -> Sluice.open(project)).isInstanceOf(SluiceException.class)
                .satisfies(e -> assertThat(((SluiceException) e).problems()).containsExactly(
                        "models/linked.sql:3:35: Cannot read front matter storage path: 'shared/lake' is outside the "
                                + "project folder " + project + " and its allowed_paths (symbolic links are followed); Sluice "
                                + "writes and deletes lake versions there, so it must be a folder inside the project "
                                + "(or its allowed_paths): use a relative path such as lake/linked"));
    }

    @Test
    void twoModelsNeverShareOrNestALakeFolder() {
        Path project = dir.resolve("p");
        ProjectFixture.at(project).write("sluice.yml", "name: p\n");
        ProjectFixture.at(project).write("models/a.sql", "/*---\nmaterialized: table\nstorage: { format: parquet, path: "
                + "lake/shared }\n---*/\nSELECT 1 AS a\n");
        ProjectFixture.at(project).write("models/b.sql", "/*---\nmaterialized: table\nstorage: { format: parquet, path: "
                + "lake/./shared/ }\n---*/\nSELECT 2 AS b\n");
        ProjectFixture.at(project).write("models/c.sql", "/*---\nmaterialized: table\nstorage: { format: parquet, path: "
                + "lake/shared/inner }\n---*/\nSELECT 3 AS c\n");
        // a path that nests the default folders of other models (target/lake/main/<name>)
        ProjectFixture.at(project).write("models/d.sql", "/*---\nmaterialized: table\nstorage: { format: parquet, path: "
                + "target/lake }\n---*/\nSELECT 4 AS d\n");
        ProjectFixture.at(project).write("models/e.sql", "/*---\nmaterialized: table\nstorage: { format: parquet }\n---*/\n"
                + "SELECT 5 AS e\n");
        assertThatThrownBy(() -> Sluice.open(project)).isInstanceOf(SluiceException.class)
                .satisfies(e -> assertThat(((SluiceException) e).problems()).containsExactly(
                        "models/b.sql:3:35: Cannot read front matter storage path: model b's lake folder lake/shared "
                                + "is the lake folder of model a (models/a.sql); each parquet model needs a folder of "
                                + "its own, outside the others': change storage.path of one of them",
                        "models/c.sql:3:35: Cannot read front matter storage path: model c's lake folder "
                                + "lake/shared/inner is inside the lake folder lake/shared of model a (models/a.sql); "
                                + "each parquet model needs a folder of its own, outside the others': change "
                                + "storage.path of one of them",
                        "models/e.sql:3:10: Cannot read front matter storage path: model e's lake folder "
                                + "target/lake/main/e is inside the lake folder target/lake of model d (models/d.sql); "
                                + "each parquet model needs a folder of its own, outside the others': change "
                                + "storage.path of one of them"));
    }

    @Test
    void foldersSluiceDidNotWriteSurviveEveryPublish() throws IOException {
        Path project = lakeProject(dir.resolve("p"));
        List<Path> foreign = new ArrayList<>();
        for (String lake : List.of("lake/full", "target/lake/main/appended", "target/lake/main/merged",
                "target/lake/main/hourly")) {
            foreign.add(ProjectFixture.at(project).write(lake + "/run-999/important.txt", "keep me"));
            foreign.add(Files.createDirectories(project.resolve(lake).resolve("run-keep")));
        }
        events(project, "a.csv", 0, 30);
        run(project);
        events(project, "b.csv", 30, 60);
        run(project);
        // a full refresh writes every output anew, and optimize compacts
        Sluice.open(project).run(RunOptions.defaults().withFullRefresh());
        Sluice.open(project).optimizeStorage(null);
        for (Path path : foreign) {
            assertThat(path).exists();
        }
        assertThat(Files.readString(project.resolve("lake/full/run-999/important.txt"))).isEqualTo("keep me");
        // only the current version of each model is left beside the foreign folders
        try (Stream<Path> versions = Files.list(project.resolve("lake/full"))) {
            assertThat(versions.map(p -> p.getFileName().toString()).filter(n -> !n.equals("run-999")
                    && !n.equals("run-keep"))).hasSize(1);
        }
    }

    @Test
    void aFolderInTheWayOfANewVersionIsNeverOverwritten() throws IOException {
        Path project = lakeProject(dir.resolve("p"));
        events(project, "a.csv", 0, 30);
        RunResult first = run(project);
        // the next run's version folder, put there by someone else
        Path inTheWay = ProjectFixture.at(project).write("lake/full/run-" + (first.runId() + 1) + "/mine.txt", "mine");
        RunResult second = Sluice.open(project).run(RunOptions.defaults().withFullRefresh());
        ModelResult full = second.model("full").orElseThrow();
        assertThat(full.status()).isEqualTo(ModelStatus.FAILED);
        assertThat(full.error()).isEqualTo("Cannot build model full (models/full.sql): Cannot write model full "
                + "(models/full.sql) to " + inTheWay.getParent() + ": the folder exists and Sluice did not write it; "
                + "move it out of " + project.resolve("lake/full") + " (Sluice keeps its versions there)");
        assertThat(Files.readString(inTheWay)).isEqualTo("mine");
        assertThat(Sluice.open(project).query("SELECT count(*) FROM main.full").rows()).containsExactly(List.of(30L));
    }

    @Test
    void aFailureAfterTheCommitKeepsThePublishedVersionAndTheOneRecord() throws IOException {
        Path project = lakeProject(dir.resolve("p"));
        events(project, "a.csv", 0, 30);
        run(project);
        events(project, "b.csv", 30, 60);
        RunResult second;
        FaultPoints.arm(FaultPoints.AFTER_COMMIT, (model, session) -> {
            throw new SluiceException(ErrorCode.INTERNAL, "fault injected at %s", FaultPoints.AFTER_COMMIT);
        });
        try {
            second = Sluice.open(project).run(RunOptions.defaults().withThreads(4));
        } finally {
            FaultPoints.disarm(FaultPoints.AFTER_COMMIT);
        }
        assertThat(second.succeeded()).as(second.toString()).isTrue();
        for (String model : List.of("full", "appended", "merged", "hourly")) {
            ModelResult result = second.model(model).orElseThrow();
            assertThat(result.status()).isEqualTo(ModelStatus.SUCCESS);
            assertThat(result.warning()).as(model).startsWith("Cannot finish after publishing model " + model
                    + " (models/" + model + ".sql): fault injected at after-commit; the published table is complete, ");
        }
        Sluice sluice = Sluice.open(project);
        assertThat(sluice.query("SELECT model, count(*), min(status), min(warning) IS NOT NULL FROM sluice.model_runs "
                + "WHERE run_id = " + second.runId() + " GROUP BY model ORDER BY model").rows()).containsExactly(
                List.of("main.appended", 1L, "success", true), List.of("main.full", 1L, "success", true),
                List.of("main.hourly", 1L, "success", true), List.of("main.merged", 1L, "success", true));
        Path expected = lakeProject(dir.resolve("expected"));
        events(expected, "a.csv", 0, 30);
        run(expected);
        events(expected, "b.csv", 30, 60);
        run(expected);
        assertThat(contents(sluice)).isEqualTo(contents(Sluice.open(expected)));

        // the next run cleans up what the failed post-commit work left and reads on from the same versions
        events(project, "c.csv", 60, 70);
        events(expected, "c.csv", 60, 70);
        run(project);
        run(expected);
        assertThat(contents(Sluice.open(project))).isEqualTo(contents(Sluice.open(expected)));
        try (Stream<Path> versions = Files.list(project.resolve("lake/full"))) {
            assertThat(versions).hasSize(1);
        }
    }

    @Test
    void aCopiedOrMovedProjectReadsItsOwnLake() throws IOException {
        Path original = lakeProject(dir.resolve("p"));
        Path control = lakeProject(dir.resolve("control"));
        for (Path project : List.of(original, control)) {
            events(project, "a.csv", 0, 30);
            run(project);
            events(project, "b.csv", 30, 40);
            run(project);
        }
        // a copy whose original is then changed: the copy must read its own files, not the original's
        Path copy = ProjectFixture.copyFolder(original, dir.resolve("copied"));
        copyTarget(original, copy);
        events(original, "c.csv", 40, 50);
        run(original);
        assertThat(contents(Sluice.open(copy))).isEqualTo(contents(Sluice.open(control)));

        // moved away: the old folder is gone
        Path moved = Files.move(copy, dir.resolve("moved folder"));
        assertThat(contents(Sluice.open(moved))).isEqualTo(contents(Sluice.open(control)));
        assertThat(Sluice.open(moved).query("SELECT count(*) FROM duckdb_views() WHERE sql LIKE '%" + dir
                + "%'").rows()).containsExactly(List.of(0L));
    }

    /**
     * A moved project builds on from its own current lake versions (found in the catalog, relative to the project)
     * and cleans up its own older ones. Its rows come from a table source, whose state holds no file paths.
     */
    @Test
    void aMovedProjectContinuesExactlyWhereItStopped() throws IOException {
        Path original = tableProject(dir.resolve("p"));
        Path control = tableProject(dir.resolve("control"));
        for (Path project : List.of(original, control)) {
            insert(project, 0, 30);
            run(project);
            insert(project, 30, 40);
            run(project);
        }
        Path moved = Files.move(original, dir.resolve("moved folder"));
        assertThat(contents(Sluice.open(moved))).isEqualTo(contents(Sluice.open(control)));
        for (Path project : List.of(moved, control)) {
            insert(project, 40, 55);
            run(project);
        }
        assertThat(contents(Sluice.open(moved))).isEqualTo(contents(Sluice.open(control)));
        for (String lake : List.of("lake/full", "target/lake/main/appended", "target/lake/main/hourly")) {
            try (Stream<Path> versions = Files.list(moved.resolve(lake))) {
                assertThat(versions).as(lake).hasSize(1);
            }
        }
        assertThat(dir.resolve("p")).doesNotExist();
    }

    /**
     * {@link #lakeProject}'s models over a table in another DuckDB file, read above a watermark: the lake_events
     * scenario with the sluice.yml of lake_events_from_table copied over its own.
     */
    private static Path tableProject(Path project) {
        lakeProject(project);
        return ProjectFixture.copyTo("lake_events_from_table", project).root();
    }

    private static void insert(Path project, int from, int to) {
        try (dev.sluice.engine.duckdb.DuckDbEngine engine = dev.sluice.engine.duckdb.DuckDbEngine.open(
                project.resolve("data/app.duckdb"), 0, null);
                dev.sluice.engine.Session session = engine.session()) {
            session.execute("CREATE TABLE IF NOT EXISTS events (id BIGINT, \"odd col\" VARCHAR, event_ts TIMESTAMP, "
                    + "amount BIGINT)");
            session.execute("INSERT INTO events SELECT i, 'k' || (i % 3), TIMESTAMP '2024-01-01 00:10' + "
                    + "INTERVAL (i) HOUR, i FROM range(?, ?) r(i)", from, to);
        }
    }

    /** Copies the project's target folder (ProjectFixture.copyFolder leaves it out) keeping hard links as files. */
    private static void copyTarget(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from.resolve("target"))) {
            for (Path file : files.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
    }

    @Test
    void aQuoteOrASpaceInTheProjectPathIsJustAPath() throws IOException {
        Path quoted = lakeProject(dir.resolve("it's a \"project\""));
        Path control = lakeProject(dir.resolve("control"));
        for (Path project : List.of(quoted, control)) {
            events(project, "a.csv", 0, 30);
            run(project);
            events(project, "b.csv", 30, 45);
            run(project);
            events(project, "c.csv", 45, 50);
            run(project);
        }
        assertThat(contents(Sluice.open(quoted))).isEqualTo(contents(Sluice.open(control)));
        assertThat(Sluice.open(quoted).optimizeStorage("appended")).singleElement()
                .satisfies(c -> assertThat(c.model()).isEqualTo("main.appended"));
    }
}
