package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Quality gates driven through whole pipelines on real warehouses. */
class QualityIT {
    @TempDir
    Path dir;

    /**
     * The quality_items scenario, raw.items (ids 1..100; every 10th amount is negative, every 25th email null), with
     * the given models ({@code path, sql} pairs).
     */
    private Path project(String... models) {
        ProjectFixture project = ProjectFixture.copy("quality_items", dir);
        for (int i = 0; i < models.length; i += 2) {
            project.write("models/" + models[i], models[i + 1]);
        }
        return project.root();
    }

    private static List<List<Object>> rows(Sluice sluice, String sql) {
        return sluice.query(sql).rows();
    }

    @Test
    void partiallyBadBatchIsPublishedWithItsBadRowsSetAside() {
        Path project = project("clean.sql", """
                /*---
                materialized: table
                quality:
                  - not_null: email
                    severity: quarantine
                  - range: { column: amount, min: 0 }
                    severity: quarantine
                    max_fail_fraction: 0.2
                  - unique: id
                ---*/
                SELECT * FROM stg_items
                """);
        Sluice sluice = Sluice.open(project);
        RunResult result = sluice.run(RunOptions.defaults());
        assertThat(result.succeeded()).isTrue();
        ModelResult clean = result.model("clean").get();
        // 10 negative amounts and 4 null emails, of which id 50 and 100 are both: 12 rows aside.
        assertThat(clean.rows()).isEqualTo(88);
        assertThat(clean.quality()).extracting(QualityResult::rule, QualityResult::rowsFailed, QualityResult::verdict)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("not_null(email)", 4L, "warn"),
                        org.assertj.core.groups.Tuple.tuple("range(amount)", 10L, "warn"),
                        org.assertj.core.groups.Tuple.tuple("unique(id)", 0L, "pass"));
        assertThat(rows(sluice, "SELECT count(*) FROM main.clean WHERE email IS NULL OR amount < 0"))
                .containsExactly(List.of(0L));
        assertThat(rows(sluice, "SELECT id, _sluice_rule, _sluice_run_id FROM main.clean__quarantine "
                + "WHERE id IN (25, 50) ORDER BY id")).containsExactly(
                        List.of(25L, "not_null(email)", result.runId()),
                        List.of(50L, "not_null(email), range(amount)", result.runId()));
        assertThat(rows(sluice, "SELECT count(*) FROM main.clean__quarantine")).containsExactly(List.of(12L));
        assertThat(rows(sluice, "SELECT rule, rows_checked, rows_failed, verdict FROM sluice.quality_results "
                + "WHERE model = 'main.clean' ORDER BY rule")).containsExactly(
                        List.of("not_null(email)", 100L, 4L, "warn"),
                        List.of("range(amount)", 100L, 10L, "warn"),
                        List.of("unique(id)", 100L, 0L, "pass"));
    }

    @Test
    void failingGateKeepsBadDataInvisibleAndSkipsDownstream() {
        Path project = project(
                "strict.sql", """
                        /*---
                        materialized: table
                        quality:
                          - range: { column: amount, min: 0 }
                            max_fail_count: 9
                        ---*/
                        SELECT * FROM stg_items WHERE id <= ${keep}
                        """,
                "report.sql", "SELECT count(*) AS n FROM strict",
                "other.sql", "SELECT count(*) AS n FROM stg_items");
        Sluice sluice = Sluice.open(project);
        RunResult first = sluice.run(RunOptions.defaults().withVar("keep", "90"));
        assertThat(first.succeeded()).isTrue();
        assertThat(first.model("strict").get().quality().get(0).verdict()).isEqualTo("pass");

        RunResult second = sluice.run(RunOptions.defaults());
        ModelResult strict = second.model("strict").get();
        assertThat(strict.status()).isEqualTo(ModelStatus.FAILED);
        assertThat(strict.error()).contains("Cannot publish model strict (models/strict.sql)")
                .contains("quality rule 'range(amount)'").contains("10 of 100 rows fail")
                .contains("threshold: max_fail_count=9").contains("failing rows: [{\"id\":10,\"amount\":-10");
        assertThat(second.model("report").get().reason()).isEqualTo("upstream strict failed");
        assertThat(second.model("other").get().status()).isEqualTo(ModelStatus.SUCCESS);
        assertThat(rows(sluice, "SELECT count(*) FROM main.strict")).containsExactly(List.of(90L));
        assertThat(rows(sluice, "SELECT verdict, sample IS NOT NULL FROM sluice.quality_results "
                + "WHERE run_id = " + second.runId())).containsExactly(List.of("fail", true));
    }

    @Test
    void warningsAreRecordedAndTheRunGoesOn() {
        Path project = project("watched.sql", """
                /*---
                quality:
                  - not_null: [email]
                    severity: warn
                  - accepted_values: { column: email, values: [nobody] }
                    severity: warn
                    warn_fail_fraction: 0.5
                    max_fail_fraction: 1
                ---*/
                SELECT * FROM stg_items
                """);
        RunResult result = Sluice.open(project).run(RunOptions.defaults());
        assertThat(result.succeeded()).isTrue();
        // Severity warn only ever warns: past its limit the rule's verdict is warn, never fail.
        assertThat(result.model("watched").get().quality()).extracting(QualityResult::verdict)
                .containsExactly("warn", "warn");
    }

    @Test
    void conditionalPathFollowsUpstreamQualityBothWays() {
        Path project = project(
                "checked.sql", """
                        /*---
                        materialized: table
                        quality:
                          - not_null: v
                            severity: warn
                        ---*/
                        SELECT id, CASE WHEN id <= ${bad} THEN NULL ELSE id END AS v FROM stg_items
                        """,
                "publish.sql", """
                        /*---
                        when: quality(checked).fail_fraction < 0.05 and rows(checked) > 0
                        otherwise: hold_back
                        ---*/
                        SELECT * FROM checked
                        """,
                "published_count.sql", "SELECT count(*) AS n FROM publish",
                "hold_back.sql", "SELECT count(*) AS held FROM checked");
        Sluice sluice = Sluice.open(project);
        assertThat(sluice.plan(RunOptions.defaults())).filteredOn(step -> step.model().equals("publish"))
                .extracting(PlanStep::reason).singleElement().asString()
                .contains("runs only when quality(checked).fail_fraction < 0.05").contains("otherwise hold_back runs");

        // Whichever branch is taken, the run succeeds: a path not taken is a decision, not a failure.
        RunResult good = sluice.run(RunOptions.defaults());
        assertThat(good.model("publish").get().status()).isEqualTo(ModelStatus.SUCCESS);
        assertThat(good.model("publish").get().reason()).contains("condition true")
                .contains("quality(checked).fail_fraction = 0.02");
        assertThat(good.model("hold_back").get().status()).isEqualTo(ModelStatus.NOT_TAKEN);
        assertThat(good.model("hold_back").get().reason()).startsWith("path not taken");
        assertThat(good.succeeded()).isTrue();

        RunResult bad = sluice.run(RunOptions.defaults().withVar("bad", "10"));
        assertThat(bad.model("publish").get().status()).isEqualTo(ModelStatus.NOT_TAKEN);
        assertThat(bad.model("publish").get().reason()).startsWith("condition false")
                .contains("quality(checked).fail_fraction = 0.1").contains("hold_back runs instead");
        assertThat(bad.model("published_count").get().status()).isEqualTo(ModelStatus.NOT_TAKEN);
        assertThat(bad.model("published_count").get().reason())
                .isEqualTo("path not taken: it reads publish, which was not taken");
        assertThat(bad.model("hold_back").get().status()).isEqualTo(ModelStatus.SUCCESS);
        assertThat(bad.model("hold_back").get().reason()).contains("otherwise path of publish");
        assertThat(bad.succeeded()).isTrue();
        assertThat(rows(sluice, "SELECT model, status FROM sluice.model_runs WHERE run_id = " + bad.runId()
                + " AND status <> 'success' ORDER BY model"))
                .containsExactly(List.of("main.publish", "not_taken"), List.of("main.published_count", "not_taken"));
        assertThat(rows(sluice, "SELECT status FROM sluice.runs WHERE run_id = " + bad.runId()))
                .containsExactly(List.of("success"));

        // --resume retries what failed or was skipped: nothing here.
        RunResult resumed = sluice.run(RunOptions.defaults().withVar("bad", "10").withResume());
        assertThat(resumed.models()).isEmpty();
        assertThat(resumed.succeeded()).isTrue();
    }

    @Test
    void whenWithoutOtherwiseThatIsFalseIsNotTakenAndTheRunSucceeds() {
        Path project = project("guarded.sql", """
                /*---
                when: rows(stg_items) > 1000
                ---*/
                SELECT * FROM stg_items
                """);
        RunResult result = Sluice.open(project).run(RunOptions.defaults());
        assertThat(result.model("guarded").get().status()).isEqualTo(ModelStatus.NOT_TAKEN);
        assertThat(result.model("guarded").get().reason()).isEqualTo("condition false: rows(stg_items) > 1000 is false (rows(stg_items) = 100)");
        assertThat(result.succeeded()).isTrue();
    }

    @Test
    void otherwisePathWhoseConditionIsNotSelectedIsSkippedWithTheFix() {
        Path project = project(
                "publish.sql", """
                        /*---
                        when: rows(stg_items) > 0
                        otherwise: hold_back
                        ---*/
                        SELECT * FROM stg_items
                        """,
                "hold_back.sql", "SELECT count(*) AS held FROM stg_items");
        Sluice sluice = Sluice.open(project);
        assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();
        RunResult alone = sluice.run(RunOptions.defaults().withSelect("hold_back"));
        assertThat(alone.model("hold_back").get().status()).isEqualTo(ModelStatus.SKIPPED);
        assertThat(alone.model("hold_back").get().reason()).isEqualTo("path not decided: it runs only when the when: "
                + "condition of publish is false, and publish was not decided in this run; select it too "
                + "(--select \"publish hold_back\")");
    }

    @Test
    void anomalyIsCaughtAfterAStableHistory() {
        Path project = project("daily.sql", """
                /*---
                materialized: table
                quality:
                  - anomaly: { metric: row_count, k: 3, min_history: 3 }
                ---*/
                SELECT * FROM stg_items WHERE id <= ${keep}
                """);
        Sluice sluice = Sluice.open(project);
        RunResult first = sluice.run(RunOptions.defaults());
        assertThat(first.model("daily").get().quality().get(0).message()).contains("not enough history to judge (0 of 3");
        for (String keep : new String[] {"98", "99", "97"}) {
            assertThat(sluice.run(RunOptions.defaults().withVar("keep", keep)).succeeded()).isTrue();
        }
        RunResult drop = sluice.run(RunOptions.defaults().withVar("keep", "40"));
        ModelResult daily = drop.model("daily").get();
        assertThat(daily.status()).isEqualTo(ModelStatus.FAILED);
        assertThat(daily.error()).contains("row_count is 40, an anomaly").contains("allowed 3 sigma");
        assertThat(rows(sluice, "SELECT count(*) FROM main.daily")).containsExactly(List.of(97L));
    }

    @Test
    void sourceRulesCheckNewDataBeforeAnyModelReadsIt() {
        Path project = ProjectFixture.copyTo("quality_source_rules", dir.resolve("src")).root();
        RunResult result = Sluice.open(project).run(RunOptions.defaults());
        SourceResult events = result.sources().get(0);
        assertThat(events.loaded()).isFalse();
        assertThat(events.error()).contains("Cannot load source raw.events").contains("not_null(kind)");
        assertThat(events.quality()).extracting(QualityResult::verdict).containsExactly("fail", "pass");
        assertThat(result.model("events").get().reason()).isEqualTo("source raw.events failed to load");
    }

    @Test
    void testCommandRunsTheRulesOfSourcesReadByModelsWithoutRules() {
        Path project = ProjectFixture.copyTo("quality_test_command", dir.resolve("srctest")).root();
        Sluice sluice = Sluice.open(project);
        assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();

        RunResult selected = Sluice.open(project).test(RunOptions.defaults().withSelect("events"));
        assertThat(selected.models()).isEmpty();
        assertThat(selected.sources()).singleElement().satisfies(source -> {
            assertThat(source.source()).isEqualTo("raw.events");
            assertThat(source.quality()).extracting(QualityResult::rule, QualityResult::verdict)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("row_count", "pass"));
        });
        // Without a selection, the same: a source no model reads is not loaded by a run, nor tested.
        RunResult all = Sluice.open(project).test(RunOptions.defaults());
        assertThat(all.sources()).extracting(SourceResult::source).containsExactly("raw.events");
        assertThat(all.succeeded()).isTrue();
    }

    @Test
    void testCommandChecksPublishedDataWithoutRebuilding() {
        Path project = project("stable.sql", "/*---\nmaterialized: table\n---*/\nSELECT * FROM stg_items");
        ProjectFixture.at(project).write("tests/no_negative_amounts.sql", """
                /*---
                model: stable
                severity: fail
                max_fail_count: 20
                ---*/
                SELECT * FROM this WHERE amount < 0
                """);
        Sluice sluice = Sluice.open(project);
        RunResult built = sluice.run(RunOptions.defaults());
        assertThat(built.model("stable").get().quality()).extracting(QualityResult::rule)
                .containsExactly("no_negative_amounts");

        RunResult tested = Sluice.open(project).test(RunOptions.defaults().withSelect("stable"));
        assertThat(tested.succeeded()).isTrue();
        assertThat(tested.models()).singleElement().extracting(m -> m.quality().get(0).rowsFailed()).isEqualTo(10L);
        assertThat(rows(sluice, "SELECT count(*) FROM sluice.model_runs WHERE run_id = " + tested.runId()))
                .containsExactly(List.of(0L));
        assertThat(rows(sluice, "SELECT command FROM sluice.runs WHERE run_id = " + tested.runId()))
                .containsExactly(List.of("test"));
        List<QualityCheck> history = sluice.qualityResults("stable", null, 10);
        assertThat(history).extracting(QualityCheck::runId).containsExactly(built.runId(), tested.runId());
        assertThat(sluice.qualityMetrics("stable", 10)).anySatisfy(metric -> {
            assertThat(metric.metric()).isEqualTo("row_count");
            assertThat(metric.value()).isEqualTo(100.0);
        });
        // Both read at once, as sluice quality does, give the same; so do the latest results by name.
        QualityHistory both = sluice.qualityHistory("stable", null, 10);
        assertThat(both.results()).isEqualTo(history);
        assertThat(both.metrics()).isEqualTo(sluice.qualityMetrics("stable", 10));
        assertThat(sluice.latestQuality(List.of("stable", "stg_items"))).containsOnlyKeys("stable")
                .extractingByKey("stable").asList().extracting(check -> ((QualityCheck) check).runId())
                .containsOnly(tested.runId());
        assertThatThrownBy(() -> sluice.latestQuality(List.of("stabel"))).hasMessage("Cannot show the quality of "
                + "'stabel': the project has no such model or source; did you mean 'stable'?; see sluice ls " + project);
    }

    @Test
    void badRulesAreReportedTogetherBeforeAnythingRuns() {
        Path project = project(
                "a.sql", "/*---\nquality:\n  - not_nul: id\n---*/\nSELECT * FROM stg_items",
                "b.sql", "/*---\nquality:\n  - not_null: id\n    severity: quarantine\n---*/\nSELECT * FROM stg_items",
                "c.sql", "/*---\nwhen: quality(nowhere).passed\n---*/\nSELECT * FROM stg_items",
                "d.sql", "/*---\nmaterialized: incremental\nquality:\n  - not_null: id\n    severity: quarantine\n---*/\n"
                        + "SELECT * FROM stg_items");
        Sluice sluice = Sluice.open(project);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sluice.run(RunOptions.defaults()))
                .isInstanceOf(SluiceException.class)
                .satisfies(e -> assertThat(((SluiceException) e).problems()).hasSize(4))
                .hasMessageContaining("models/a.sql:3:5 (quality rule 1 of model a): unknown rule type 'not_nul'")
                .hasMessageContaining("Cannot quarantine rows of model b (models/b.sql): it is a view")
                .hasMessageContaining("reads model 'nowhere', which the project does not have")
                // Where quarantine works is said exactly (README, Quality gates): tables and untracked sources.
                .hasMessageContaining("Cannot quarantine rows of model d (models/d.sql): it is an incremental, and "
                        + "only tables (materialized: table) and untracked sources keep rows aside; set "
                        + "materialized: table, or use severity fail or warn");
    }

    @Test
    void relationshipsTargetsAreLoadedAndBuiltFirst() {
        Path project = ProjectFixture.copyTo("quality_relationships", dir.resolve("rel")).root();
        RunResult result = Sluice.open(project).run(RunOptions.defaults().withThreads(1));
        assertThat(result.succeeded()).isTrue();
        assertThat(result.sources()).extracting(SourceResult::source).contains("raw.customers");
        assertThat(result.models()).extracting(ModelResult::model).containsExactly("z_customers", "a_orders");
        List<QualityResult> quality = result.model("a_orders").get().quality();
        assertThat(quality.get(0).rowsFailed()).isPositive().isLessThan(quality.get(1).rowsFailed());
    }
}
