package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.exec.WarehouseLock;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole pipelines driven through the public API, on real DuckDB warehouses. */
class SluiceIT {
    @TempDir
    Path dir;

    /** The synthetic_items scenario (one synthetic source) with the given models ({@code path, sql} pairs). */
    private Path project(String... models) {
        ProjectFixture project = ProjectFixture.copy("synthetic_items", dir);
        for (int i = 0; i < models.length; i += 2) {
            project.write("models/" + models[i], models[i + 1]);
        }
        return project.root();
    }

    private static long count(Sluice sluice, String relation) {
        return ((Number) sluice.query("SELECT count(*) FROM " + relation).rows().get(0).get(0)).longValue();
    }

    @Test
    void retailExampleRunsEndToEnd() {
        Path retail = ProjectFixture.example("retail", dir).root();
        Sluice sluice = Sluice.open(retail);

        List<PlanStep> plan = sluice.plan(RunOptions.defaults());
        assertThat(plan).extracting(PlanStep::model).doesNotContain("int_order_totals")
                .containsSubsequence("stg_orders", "orders", "customers", "customer_lifetime_value");
        assertThat(plan).extracting(PlanStep::reason).containsOnly("new model: never built",
                "new model: never built; runs only when quality(orders).passed and quality(orders).fail_fraction < 0.05");

        RunResult result = sluice.run(RunOptions.defaults());
        assertThat(result.succeeded()).isTrue();
        assertThat(result.models()).hasSize(plan.size()).extracting(ModelResult::status).containsOnly(ModelStatus.SUCCESS);
        assertThat(result.model("orders")).get().extracting(ModelResult::rows).isNotNull();
        assertThat(count(sluice, "marts.orders")).isEqualTo(result.model("orders").get().rows()).isPositive();
        assertThat(sluice.query("SELECT DISTINCT currency FROM marts.orders").rows()).containsExactly(List.of("EUR"));

        SourceResult returns = result.sources().stream().filter(s -> s.source().equals("raw.returns")).findFirst().get();
        assertThat(returns.rows()).isEqualTo(10);
        assertThat(returns.rejected()).isEqualTo(2);
        QueryResult rejects = sluice.query("SELECT line, file FROM sluice.rejects ORDER BY line");
        assertThat(rejects.rows()).extracting(row -> ((Number) row.get(0)).longValue()).containsExactly(5L, 8L);
        // Stored relative to the project folder: a moved project keeps its history meaningful.
        assertThat(rejects.rows().get(0).get(1)).isEqualTo("data/returns.csv");

        RunResult again = sluice.run(RunOptions.defaults());
        assertThat(again.runId()).isGreaterThan(result.runId());
        assertThat(again.model("orders").get().reason()).startsWith("table: rebuilt");
        assertThat(sluice.runs(5)).extracting(Run::status).containsExactly("success", "success");
        assertThat(sluice.modelRuns(again.runId())).hasSize(plan.size());
        // What sluice runs shows, read in one opening: the same runs, each with its models' outcomes.
        List<RunDetails> details = sluice.runDetails(5);
        assertThat(details).extracting(RunDetails::run).isEqualTo(sluice.runs(5));
        assertThat(details.get(0).models()).isEqualTo(sluice.modelRuns(again.runId()));
        assertThat(details.get(1).models()).isEqualTo(sluice.modelRuns(result.runId()));
        assertThat(sluice.runDetails(1)).hasSize(1);
    }

    @Test
    void failedModelSkipsItsDownstreamWhileIndependentModelsFinish() {
        Path project = project(
                "good.sql", "/*---\nmaterialized: table\n---*/\nSELECT id FROM raw.items",
                "bad.sql", "/*---\nmaterialized: table\n---*/\nSELECT CAST(grp AS INTEGER) AS n FROM raw.items",
                "after_bad.sql", "SELECT n FROM bad",
                "after_after.sql", "SELECT n FROM after_bad");
        Sluice sluice = Sluice.open(project);
        RunResult result = sluice.run(RunOptions.defaults().withThreads(1));
        assertThat(result.succeeded()).isFalse();
        assertThat(result.model("good").get().status()).isEqualTo(ModelStatus.SUCCESS);
        assertThat(result.model("bad").get().status()).isEqualTo(ModelStatus.FAILED);
        assertThat(result.model("bad").get().error()).contains("Cannot build model bad (models/bad.sql)")
                .contains("Could not convert");
        assertThat(result.model("after_bad").get())
                .extracting(ModelResult::status, ModelResult::reason)
                .containsExactly(ModelStatus.SKIPPED, "upstream bad failed");
        assertThat(result.model("after_after").get().reason()).isEqualTo("upstream after_bad skipped");
        assertThat(sluice.runs(1)).extracting(Run::status).containsExactly("failed");

        // Fixed, --resume rebuilds only what failed or was skipped.
        ProjectFixture.at(project).write("models/bad.sql", "/*---\nmaterialized: table\n---*/\nSELECT id AS n FROM raw.items");
        RunResult resumed = Sluice.open(project).run(RunOptions.defaults().withResume());
        assertThat(resumed.models()).extracting(ModelResult::model)
                .containsExactlyInAnyOrder("bad", "after_bad", "after_after");
        assertThat(resumed.succeeded()).isTrue();
    }

    @Test
    void failFastSkipsWhatHadNotStarted() {
        Path project = project(
                "a_bad.sql", "/*---\nmaterialized: table\n---*/\nSELECT CAST(grp AS INTEGER) AS n FROM raw.items",
                "b_good.sql", "SELECT id FROM raw.items",
                "c_good.sql", "SELECT id FROM raw.items");
        RunResult result = Sluice.open(project).run(RunOptions.defaults().withThreads(1).withFailFast());
        assertThat(result.count(ModelStatus.FAILED)).isEqualTo(1);
        assertThat(result.models()).filteredOn(m -> m.status() == ModelStatus.SKIPPED)
                .extracting(ModelResult::reason).containsOnly("run stopped after a_bad failed (--fail-fast)");
    }

    @Test
    void failedRebuildLeavesThePublishedTableAsItWas() {
        Path project = project("t.sql", "/*---\nmaterialized: table\n---*/\nSELECT id FROM raw.items WHERE id <= 10");
        Sluice sluice = Sluice.open(project);
        assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();
        ProjectFixture.at(project).write("models/t.sql",
                "/*---\nmaterialized: table\n---*/\nSELECT CAST(grp AS INTEGER) AS id FROM raw.items");
        RunResult failed = Sluice.open(project).run(RunOptions.defaults());
        assertThat(failed.model("t").get().status()).isEqualTo(ModelStatus.FAILED);
        assertThat(count(sluice, "main.t")).isEqualTo(10);
        assertThat(sluice.query("SELECT count(*) FROM information_schema.tables WHERE table_name LIKE '%staging%'")
                .rows().get(0).get(0)).isEqualTo(0L);
    }

    @Test
    void modelsCanChangeMaterializationBetweenRuns() {
        Path project = project("m.sql", "SELECT id FROM raw.items");
        assertThat(Sluice.open(project).run(RunOptions.defaults()).succeeded()).isTrue();
        ProjectFixture.at(project).write("models/m.sql", "/*---\nmaterialized: table\n---*/\nSELECT id FROM raw.items");
        Sluice sluice = Sluice.open(project);
        assertThat(sluice.plan(RunOptions.defaults()).get(0).reason()).isEqualTo("materialization changed: view → table");
        RunResult result = sluice.run(RunOptions.defaults());
        assertThat(result.model("m").get().rows()).isEqualTo(100);
        ProjectFixture.at(project).write("models/m.sql", "SELECT id, grp FROM raw.items");
        assertThat(Sluice.open(project).run(RunOptions.defaults()).succeeded()).isTrue();
        assertThat(sluice.query("SELECT table_type FROM information_schema.tables WHERE table_name = 'm'").rows())
                .containsExactly(List.of("VIEW"));
    }

    @Test
    void parameterValuesNeverBecomeSql() {
        Path project = project("echo.sql", "/*---\nmaterialized: table\n---*/\nSELECT ${label} AS label, id FROM raw.items");
        Sluice sluice = Sluice.open(project);
        RunResult result = sluice.run(RunOptions.defaults().withVar("label", "x'; DROP TABLE raw.items; --"));
        assertThat(result.succeeded()).isTrue();
        assertThat(sluice.query("SELECT DISTINCT label FROM main.echo").rows())
                .containsExactly(List.of("x'; DROP TABLE raw.items; --"));
        assertThat(count(sluice, "raw.items")).isEqualTo(100);
        assertThat(sluice.runs(1).get(0).args()).contains("--var label=");
    }

    @Test
    void selectionBuildsOnlyWhatWasAskedAndNeedsBuiltUpstreams() {
        Path project = project(
                "a.sql", "SELECT id FROM raw.items",
                "b.sql", "SELECT id FROM a",
                "c.sql", "/*---\ntags: [leaf]\n---*/\nSELECT id FROM b");
        Sluice sluice = Sluice.open(project);
        RunResult onlyB = sluice.run(RunOptions.defaults().withSelect("b+"));
        assertThat(onlyB.model("b").get().status()).isEqualTo(ModelStatus.FAILED);
        assertThat(onlyB.model("b").get().error()).contains("it reads main.a, which has never been built")
                .contains("--select +b");
        assertThat(onlyB.model("c").get().status()).isEqualTo(ModelStatus.SKIPPED);

        RunResult upstream = sluice.run(RunOptions.defaults().withSelect("+b").withExclude("tag:leaf"));
        assertThat(upstream.models()).extracting(ModelResult::model).containsExactly("a", "b");
        assertThat(sluice.run(RunOptions.defaults().withSelect("tag:leaf")).succeeded()).isTrue();
        assertThatThrownBy(() -> sluice.run(RunOptions.defaults().withSelect("nope")))
                .isInstanceOf(SluiceException.class).hasMessageContaining("nope");
    }

    @Test
    void aSecondWriterIsRefusedWithTheHolder() {
        Path project = project("a.sql", "SELECT id FROM raw.items");
        Sluice sluice = Sluice.open(project);
        try (WarehouseLock lock = WarehouseLock.acquire(sluice.project().warehouse())) {
            assertThatThrownBy(() -> sluice.run(RunOptions.defaults()))
                    .isInstanceOf(SluiceException.class)
                    .hasMessageContaining("is in use by another run (pid " + ProcessHandle.current().pid());
        }
        assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();
    }

    @Test
    void tooManyCorruptLinesFailTheSourceAndKeepItsTable() {
        Path project = ProjectFixture.copyTo("too_many_corrupt_lines", dir.resolve("csv")).root();
        Sluice sluice = Sluice.open(project);
        assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();

        ProjectFixture.at(project).write("data/b.csv", "id,kind\nthree,z\n4,w\n");
        RunResult result = sluice.run(RunOptions.defaults());
        assertThat(result.succeeded()).isFalse();
        assertThat(result.sources().get(0).error()).contains("Cannot load source raw.events (sluice.yml:3")
                .contains("1 of 4 lines (25.00%) are corrupt").contains("max_rejected_fraction");
        assertThat(result.model("events").get().reason()).isEqualTo("source raw.events failed to load");
        assertThat(count(sluice, "raw.events")).isEqualTo(2);
        assertThat(sluice.query("SELECT csv_line FROM sluice.rejects").rows()).containsExactly(List.of("three,z"));
    }

    @Test
    void queryingBeforeTheFirstRunSaysToRun() {
        Sluice sluice = Sluice.open(project("a.sql", "SELECT id FROM raw.items"));
        assertThatThrownBy(() -> sluice.query("SELECT 1")).hasMessageContaining("run the pipeline first");
        sluice.run(RunOptions.defaults());
        assertThatThrownBy(() -> sluice.query("SELEC 1")).hasMessageContaining("Cannot run query");
        assertThatThrownBy(() -> sluice.run(RunOptions.defaults().withThreads(-1))).hasMessageContaining("-1 threads");
    }

    @Test
    void streamsAQuerysRowsAndRefusesWhatQueryRefuses() {
        Sluice sluice = Sluice.open(project("a.sql", "SELECT id FROM raw.items"));
        sluice.run(RunOptions.defaults());

        List<List<Object>> rows = new java.util.ArrayList<>();
        try (QueryStream stream = sluice.stream("SELECT range AS n FROM range(3) ORDER BY n")) {
            assertThat(stream.columns()).containsExactly("n");
            stream.forEachRemaining(rows::add);
        }
        assertThat(rows).containsExactly(List.of(0L), List.of(1L), List.of(2L));
        assertThatThrownBy(() -> sluice.stream("CREATE TABLE x AS SELECT 1")).isInstanceOf(SluiceException.class)
                .hasMessageContaining("Cannot run query: CREATE statements refused");
        // the stream released the read-only warehouse when closed: a run can write it again
        assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();
    }

    @Test
    void secretValuesNeverReachErrorMessages() {
        String home = System.getenv("HOME");
        Path project = dir.resolve("secret");
        ProjectFixture.at(project).write("sluice.yml", """
                name: secret
                allowed_paths: ["${env:HOME}"]
                sources:
                  raw.events:
                    type: files
                    path: ${env:HOME}/no-such-sluice-folder/*.csv
                """);
        ProjectFixture.at(project).write("models/events.sql", "SELECT * FROM raw.events");
        Sluice sluice = Sluice.open(project);
        assertThat(dev.sluice.project.ProjectReader.read(project, java.util.Map.of()).secrets()).containsExactly(new dev.sluice.project.Secret("HOME", home));
        assertThatThrownBy(() -> sluice.run(RunOptions.defaults()))
                .isInstanceOf(SluiceException.class)
                .hasMessageContaining("Cannot read source raw.events")
                .hasMessageContaining("${env:HOME}/no-such-sluice-folder")
                .hasMessageNotContaining(home + "/no-such-sluice-folder");
    }
}
