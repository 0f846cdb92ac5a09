package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.exec.FaultPoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The committer's guarantees at every named fault point of a build, for every kind of model: a table, an incremental
 * merge, a windowed model, and the lake outputs of each (a Parquet table, a Parquet merge, a windowed Parquet model).
 * <p>
 * The full matrix (every point of {@link FaultPoints#BUILD_PATH} × the six models) runs in-process: the armed point
 * throws for every model that reaches it. Killed runs use a representative subset to stay affordable: one forked JVM
 * per point, paused there on one model (each kind is paused at least once) and killed with SIGKILL while it waits,
 * so the kill lands exactly at the point (no sleeps). After either, the published data is the old or the new
 * version of each model (never lost, never a part), the run recorded each model at most once, and a rerun gives
 * exactly the rows of an uninterrupted run and leaves one lake version per lake model.
 */
class CommitterIT {
    private static final List<String> MODELS = List.of("tbl", "merged", "hourly", "lake_full", "lake_merged",
            "lake_hourly");
    private static final List<String> LAKE = List.of("lake_full", "lake_merged", "lake_hourly");
    /** The points after the commit: a failure there keeps the new version. */
    private static final List<String> AFTER = List.of(FaultPoints.AFTER_COMMIT, FaultPoints.POST_COMMIT);
    /** The model each forked run is paused on at each point. */
    private static final Map<String, String> FORKED = new LinkedHashMap<>();

    static {
        FORKED.put(FaultPoints.AFTER_STAGE, "merged");
        FORKED.put(FaultPoints.LAKE_WRITE, "lake_hourly");
        FORKED.put(FaultPoints.AFTER_AUDIT, "hourly");
        FORKED.put(FaultPoints.COMMIT, "lake_merged");
        FORKED.put(FaultPoints.AFTER_COMMIT, "lake_full");
        FORKED.put(FaultPoints.POST_COMMIT, "tbl");
    }

    @TempDir
    Path dir;
    @TempDir
    static Path shared;
    /** The contents after an uninterrupted first and second run, computed once. */
    private static Map<String, List<List<Object>>> uninterrupted;

    @AfterEach
    void disarm() {
        FaultPoints.BUILD_PATH.forEach(FaultPoints::disarm);
    }

    static List<String> points() {
        return FaultPoints.BUILD_PATH;
    }

    private static Path project(Path project) {
        ProjectFixture.copyTo("committer_events", project);
        String table = "SELECT id, k, amount FROM raw.events";
        String merge = "SELECT id % 40 AS id, k, amount FROM raw.events";
        String hourly = "SELECT date_trunc('hour', event_ts) AS hour, count(*) AS events, sum(amount) AS amount\n"
                + "FROM raw.events\nGROUP BY 1";
        String window = "time: { column: hour, input_column: event_ts, grain: 1 hour, start: 2024-01-01, "
                + "lateness: 7 days }";
        String mergeKey = "incremental: { strategy: merge, unique_key: id }";
        model(project, "tbl", "materialized: table", table);
        model(project, "merged", "materialized: incremental\n" + mergeKey, merge);
        model(project, "hourly", "materialized: incremental\n" + window, hourly);
        String lake = "\nstorage: { format: parquet }";
        model(project, "lake_full", "materialized: table" + lake, table);
        model(project, "lake_merged", "materialized: incremental\n" + mergeKey + lake, merge);
        model(project, "lake_hourly", "materialized: incremental\n" + window + lake, hourly);
        return project;
    }

    private static void model(Path project, String name, String frontMatter, String sql) {
        ProjectFixture.at(project).write("models/" + name + ".sql", "/*---\n" + frontMatter + "\n---*/\n" + sql + "\n");
    }

    /** Rows {@code from..to-1}, one an hour from 2024-01-01, in a file that sorts after the earlier ones. */
    private static void events(Path project, String name, int from, int to) throws IOException {
        StringBuilder rows = new StringBuilder("id,k,event_ts,amount\n");
        for (int i = from; i < to; i++) {
            rows.append(i).append(",k").append(i % 3).append(',')
                    .append(java.time.LocalDateTime.parse("2024-01-01T00:10").plusHours(i)).append(',').append(i)
                    .append('\n');
        }
        Path file = ProjectFixture.at(project).write("data/" + name, rows.toString());
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(from)));
    }

    /** Each model's rows, in a stable order. */
    private static Map<String, List<List<Object>>> contents(Path project) {
        Sluice sluice = Sluice.open(project);
        Map<String, List<List<Object>>> contents = new LinkedHashMap<>();
        for (String model : MODELS) {
            contents.put(model, sluice.query("SELECT * FROM main." + model + " ORDER BY ALL").rows());
        }
        return contents;
    }

    private static RunResult run(Path project) {
        RunResult result = Sluice.open(project).run(RunOptions.defaults().withThreads(2));
        assertThat(result.succeeded()).as(result.toString()).isTrue();
        return result;
    }

    /** The contents after an uninterrupted first and second run. */
    private static synchronized Map<String, List<List<Object>>> uninterrupted() throws IOException {
        if (uninterrupted == null) {
            Path expected = project(shared.resolve("expected"));
            events(expected, "a.csv", 0, 30);
            run(expected);
            events(expected, "b.csv", 30, 60);
            run(expected);
            uninterrupted = contents(expected);
        }
        return uninterrupted;
    }

    /**
     * What a rerun must hold after the fault, and that the rows are those of an uninterrupted run, with one record
     * per model and run and one lake version per lake model.
     */
    private static void rerunGivesTheUninterruptedRows(Path project, Map<String, List<List<Object>>> expected)
            throws IOException {
        RunResult rerun = run(project);
        assertThat(contents(project)).isEqualTo(expected);
        Sluice sluice = Sluice.open(project);
        assertThat(sluice.query("SELECT count(*) FROM (SELECT run_id, model FROM sluice.model_runs GROUP BY ALL "
                + "HAVING count(*) > 1)").rows()).containsExactly(List.of(0L));
        assertThat(sluice.query("SELECT model, state, count(*) FROM sluice.lake_versions GROUP BY ALL ORDER BY ALL")
                .rows()).containsExactly(List.of("main.lake_full", "current", 1L),
                        List.of("main.lake_hourly", "current", 1L), List.of("main.lake_merged", "current", 1L));
        for (String model : LAKE) {
            try (Stream<Path> versions = Files.list(project.resolve("target/lake/main/" + model))) {
                assertThat(versions).as(model).hasSize(1);
            }
        }
        assertThat(rerun.models()).allSatisfy(result -> assertThat(result.warning()).isNull());
    }

    @ParameterizedTest
    @MethodSource("points")
    void anExceptionAtAnyPointLosesNothingAndTheRerunCompletes(String point) throws IOException {
        Map<String, List<List<Object>>> expected = uninterrupted();
        Path project = project(dir.resolve("p"));
        events(project, "a.csv", 0, 30);
        run(project);
        Map<String, List<List<Object>>> old = contents(project);
        events(project, "b.csv", 30, 60);
        List<String> reached = java.util.Collections.synchronizedList(new ArrayList<>());
        FaultPoints.arm(point, (model, session) -> {
            reached.add(model);
            throw new SluiceException(ErrorCode.INTERNAL, "fault injected at %s", point);
        });
        RunResult faulted;
        try {
            faulted = Sluice.open(project).run(RunOptions.defaults().withThreads(2));
        } finally {
            FaultPoints.disarm(point);
        }
        assertThat(reached).containsExactlyInAnyOrderElementsOf(point.equals(FaultPoints.LAKE_WRITE) ? LAKE : MODELS);
        Map<String, List<List<Object>>> after = contents(project);
        Sluice sluice = Sluice.open(project);
        for (String model : MODELS) {
            ModelResult result = faulted.model(model).orElseThrow();
            boolean committed = AFTER.contains(point) || !reached.contains(model);
            assertThat(after.get(model)).as(model + " at " + point).isEqualTo(committed ? expected.get(model)
                    : old.get(model));
            if (!reached.contains(model)) {
                assertThat(result.status()).as(model).isEqualTo(ModelStatus.SUCCESS);
            } else if (committed) {
                assertThat(result.status()).as(model).isEqualTo(ModelStatus.SUCCESS);
                assertThat(result.warning()).as(model).startsWith("Cannot finish after publishing model " + model
                        + " (models/" + model + ".sql): fault injected at " + point + "; the published table is "
                        + "complete, ");
            } else {
                assertThat(result.status()).as(model).isEqualTo(ModelStatus.FAILED);
                assertThat(result.error()).as(model).endsWith("(models/" + model + ".sql): fault injected at "
                        + point);
            }
        }
        assertThat(sluice.query("SELECT count(*), count(DISTINCT model) FROM sluice.model_runs WHERE run_id = "
                + faulted.runId()).rows()).containsExactly(List.of(6L, 6L));
        rerunGivesTheUninterruptedRows(project, expected);
    }

    @Test
    void aKillAtEachPointLosesNothingAndTheRerunCompletes() throws Exception {
        Map<String, List<List<Object>>> expected = uninterrupted();
        for (Map.Entry<String, String> kill : FORKED.entrySet()) {
            String point = kill.getKey();
            String paused = kill.getValue();
            Path project = project(dir.resolve(point));
            events(project, "a.csv", 0, 30);
            run(project);
            Map<String, List<List<Object>>> old = contents(project);
            events(project, "b.csv", 30, 60);
            Process run = ForkedLauncher.in(dir).logTo(dir.resolve("forked-" + point + "-" + paused + ".log"))
                    .startPaused(point + ":" + paused, "run", project.toString(), "--threads", "1");
            run.destroyForcibly();
            assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
            Map<String, List<List<Object>>> after = contents(project);
            assertThat(after.get(paused)).as(paused + " killed at " + point).isEqualTo(AFTER.contains(point)
                    ? expected.get(paused) : old.get(paused));
            for (String model : MODELS) {
                assertThat(after.get(model)).as(model).isIn(old.get(model), expected.get(model));
            }
            rerunGivesTheUninterruptedRows(project, expected);
        }
    }

    @Test
    void eachBuildRecordsItsKindAndAnUpToDateModelItsStatus() throws IOException {
        Path project = project(dir.resolve("p"));
        events(project, "a.csv", 0, 30);
        long first = run(project).runId();
        events(project, "b.csv", 30, 60);
        long second = run(project).runId();
        long third = run(project).runId();
        assertThat(Sluice.open(project).query("SELECT run_id, model, status, build_kind FROM sluice.model_runs "
                + "WHERE run_id >= " + first + " AND model IN ('main.tbl', 'main.merged', 'main.hourly', "
                + "'main.lake_merged', 'main.lake_hourly') ORDER BY ALL").rows()).containsExactly(
                        List.of(first, "main.hourly", "success", "full"),
                        List.of(first, "main.lake_hourly", "success", "full"),
                        List.of(first, "main.lake_merged", "success", "full"),
                        List.of(first, "main.merged", "success", "full"),
                        List.of(first, "main.tbl", "success", "full"),
                        List.of(second, "main.hourly", "success", "intervals"),
                        List.of(second, "main.lake_hourly", "success", "intervals"),
                        List.of(second, "main.lake_merged", "success", "incremental"),
                        List.of(second, "main.merged", "success", "incremental"),
                        List.of(second, "main.tbl", "success", "full"),
                        java.util.Arrays.asList(third, "main.hourly", "up_to_date", null),
                        java.util.Arrays.asList(third, "main.lake_hourly", "up_to_date", null),
                        java.util.Arrays.asList(third, "main.lake_merged", "up_to_date", null),
                        java.util.Arrays.asList(third, "main.merged", "up_to_date", null),
                        java.util.Arrays.asList(third, "main.tbl", "up_to_date", null));
    }

    @Test
    void aFailureMidCompactionKeepsTheCurrentVersion() throws IOException {
        Path project = project(dir.resolve("p"));
        model(project, "appended", "materialized: incremental\nstorage: { format: parquet }",
                "SELECT id, k, amount FROM raw.events");
        events(project, "a.csv", 0, 30);
        run(project);
        events(project, "b.csv", 30, 60);
        run(project);
        Sluice sluice = Sluice.open(project);
        String rows = "SELECT * FROM main.appended ORDER BY ALL";
        List<List<Object>> before = sluice.query(rows).rows();
        String current = "SELECT path FROM sluice.lake_versions WHERE model = 'main.appended' AND state = 'current'";
        List<List<Object>> version = sluice.query(current).rows();
        FaultPoints.arm(FaultPoints.COMPACTION, (model, session) -> {
            throw new SluiceException(ErrorCode.INTERNAL, "fault injected at %s in %s", FaultPoints.COMPACTION,
                    model);
        });
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Sluice.open(project).optimizeStorage("appended"))
                    .isInstanceOf(SluiceException.class)
                    .hasMessage("fault injected at compaction in appended");
        } finally {
            FaultPoints.disarm(FaultPoints.COMPACTION);
        }
        assertThat(sluice.query(rows).rows()).isEqualTo(before);
        assertThat(sluice.query(current).rows()).isEqualTo(version);
        try (Stream<Path> versions = Files.list(project.resolve("target/lake/main/appended"))) {
            assertThat(versions).hasSize(1);
        }
        assertThat(Sluice.open(project).optimizeStorage("appended")).singleElement()
                .satisfies(compaction -> assertThat(compaction.rewritten()).isTrue());
        assertThat(sluice.query(rows).rows()).isEqualTo(before);
        assertThat(sluice.query(current).rows()).isNotEqualTo(version);
    }
}
