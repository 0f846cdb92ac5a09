package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Incremental sources and models driven through whole pipelines; each result is compared with a full rebuild. */
class IncrementalIT {
    @TempDir
    Path dir;

    /** The incremental_orders scenario with its source's on_delete and its incremental model's settings. */
    private Path project(String onDelete, String strategy) {
        ProjectFixture project = ProjectFixture.copy("incremental_orders", dir);
        project.replace("sluice.yml", "on_delete: ignore", "on_delete: " + onDelete);
        project.replace("models/orders_inc.sql", "incremental: { strategy: append }", "incremental: " + strategy);
        return project.root();
    }

    private static void file(Path project, String name, String rows) throws Exception {
        Path file = ProjectFixture.at(project).write("data/" + name, "order_id,customer,amount\n" + rows);
        // A new modification time even within the file system's time resolution.
        Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(Files.size(file))));
    }

    private static long count(Sluice sluice, String sql) {
        return ((Number) sluice.query(sql).rows().get(0).get(0)).longValue();
    }

    /** The incremental table holds exactly the rows a full rebuild gives. */
    private static void assertSameAsFullRebuild(Sluice sluice) {
        assertThat(count(sluice, "SELECT count(*) FROM (SELECT * FROM main.orders_inc EXCEPT ALL "
                + "SELECT * FROM main.orders_full)")).isZero();
        assertThat(count(sluice, "SELECT count(*) FROM (SELECT * FROM main.orders_full EXCEPT ALL "
                + "SELECT * FROM main.orders_inc)")).isZero();
    }

    @Test
    void appendReadsOnlyNewFilesAndMatchesAFullRebuild() throws Exception {
        Path project = project("ignore", "{ strategy: append }");
        file(project, "a.csv", "1,ann,10\n2,bob,20\n");
        Sluice sluice = Sluice.open(project);
        RunResult first = sluice.run(RunOptions.defaults());
        assertThat(first.succeeded()).isTrue();
        assertThat(first.model("orders_inc").get().reason()).contains("first build: all rows");
        assertThat(first.sources()).singleElement().extracting(SourceResult::rows).isEqualTo(2L);

        file(project, "b.csv", "3,cid,30\n");
        assertThat(sluice.pendingChanges(RunOptions.defaults())).singleElement()
                .satisfies(change -> assertThat(change.summary()).startsWith("2 files seen: 1 new, 0 modified"));
        java.io.StringWriter out = new java.io.StringWriter();
        dev.sluice.cli.Main.run(new java.io.PrintWriter(out), new java.io.PrintWriter(out), "plan", project.toString());
        assertThat(out.toString()).contains("Tracked sources:").contains("raw.orders").contains("1 new");
        RunResult second = sluice.run(RunOptions.defaults());
        assertThat(second.sources()).singleElement().extracting(SourceResult::rows).isEqualTo(1L);
        ModelResult increment = second.model("orders_inc").get();
        assertThat(increment.reason()).contains("incremental: new rows of raw.orders after run " + first.runId());
        assertThat(increment.rows()).isEqualTo(1);
        // The run's lineage keeps the exact slice read and the SQL that read it.
        List<Object> lineage = sluice.query("SELECT inputs, sql_text LIKE '%_sluice_run > " + first.runId() + "%' FROM "
                + "sluice.lineage_runs WHERE run_id = " + second.runId() + " AND model = 'main.orders_inc'").rows().get(0);
        assertThat((String) lineage.get(0)).startsWith("[{\"source\":\"raw.orders\",\"read\":\"slice\",\"loaded_after_run\":"
                + first.runId() + ",\"loaded_up_to_run\":" + second.runId() + ",\"file_count\":1,\"file_bytes\":34,"
                + "\"files\":[{\"path\":\"data/b.csv\",\"size\":34,");
        assertThat(lineage.get(1)).isEqualTo(true);
        assertSameAsFullRebuild(sluice);

        RunResult third = sluice.run(RunOptions.defaults());
        // Up to date is its own status, with the table's real row count and a reason that begins with why.
        assertThat(third.model("orders_inc").get().status()).isEqualTo(ModelStatus.UP_TO_DATE);
        assertThat(third.model("orders_inc").get().rows()).isEqualTo(3L);
        assertThat(third.model("orders_inc").get().reason()).startsWith("up to date: no new rows in raw.orders");
        // A table model whose inputs did not change is not rebuilt either, nor is what reads it.
        assertThat(second.model("orders_full").get().reason()).doesNotContain("up to date");
        assertThat(second.model("orders_full").get().status()).isEqualTo(ModelStatus.SUCCESS);
        assertThat(third.model("orders_full").get().status()).isEqualTo(ModelStatus.UP_TO_DATE);
        assertThat(third.model("orders_full").get().rows()).isEqualTo(3L);
        assertThat(third.model("orders_full").get().reason())
                .startsWith("up to date: no input changed since its build in run " + second.runId())
                .doesNotContain("rebuilt from its inputs");
        assertThat(third.succeeded()).isTrue();
        assertThat(sluice.query("SELECT model, status, rows FROM sluice.model_runs WHERE run_id = " + third.runId()
                + " ORDER BY model").rows()).containsExactly(List.of("main.orders_full", "up_to_date", 3L),
                        List.of("main.orders_inc", "up_to_date", 3L));
        assertThat(count(sluice, "SELECT count(*) FROM main.orders_full")).isEqualTo(3);
        assertThat(third.sources().get(0).rows()).isZero();
        assertSameAsFullRebuild(sluice);
        assertThat(sluice.query("SELECT new_files, modified_files, deleted_files FROM sluice.detections ORDER BY run_id")
                .rows()).containsExactly(List.of(1L, 0L, 0L), List.of(1L, 0L, 0L), List.of(0L, 0L, 0L));
    }

    @Test
    void modifiedFileReplacesItsRowsForMergeAndRebuildsAppend() throws Exception {
        Path project = project("ignore", "{ strategy: merge, unique_key: order_id }");
        file(project, "a.csv", "1,ann,10\n2,bob,20\n");
        file(project, "b.csv", "3,cid,30\n");
        Sluice sluice = Sluice.open(project);
        sluice.run(RunOptions.defaults());

        file(project, "a.csv", "1,ann,11\n2,bob,20\n4,dan,40\n");
        RunResult merged = sluice.run(RunOptions.defaults());
        assertThat(merged.model("orders_inc").get().reason()).contains("incremental");
        assertThat(merged.model("orders_inc").get().rows()).isEqualTo(3);
        assertThat(count(sluice, "SELECT count(*) FROM raw.orders")).isEqualTo(4);
        assertThat(count(sluice, "SELECT doubled FROM main.orders_inc WHERE order_id = 1")).isEqualTo(22);
        assertSameAsFullRebuild(sluice);
        assertThat(count(sluice, "SELECT row_count FROM sluice.file_manifest WHERE path LIKE '%a.csv'")).isEqualTo(3);

        Path append = dir.resolve("append");
        Files.createDirectories(append);
        ProjectFixture.at(project).write("models/orders_inc.sql", Files.readString(project.resolve("models/orders_inc.sql"))
                .replace("{ strategy: merge, unique_key: order_id }", "{ strategy: append }"));
        Sluice appendSluice = Sluice.open(project);
        appendSluice.run(RunOptions.defaults());
        file(project, "b.csv", "3,cid,33\n");
        RunResult rebuilt = appendSluice.run(RunOptions.defaults());
        assertThat(rebuilt.model("orders_inc").get().reason())
                .contains("rows of raw.orders changed since run").contains("would duplicate them");
        assertSameAsFullRebuild(appendSluice);
    }

    @Test
    void deletedFilesAreReportedOrRetracted() throws Exception {
        Path project = project("retract", "{ strategy: delete_insert, unique_key: [order_id] }");
        file(project, "a.csv", "1,ann,10\n");
        file(project, "b.csv", "2,bob,20\n");
        Sluice sluice = Sluice.open(project);
        sluice.run(RunOptions.defaults());
        Files.delete(project.resolve("data/b.csv"));
        RunResult result = sluice.run(RunOptions.defaults());
        assertThat(count(sluice, "SELECT count(*) FROM raw.orders")).isEqualTo(1);
        assertThat(result.model("orders_inc").get().reason()).contains("rows of raw.orders were retracted");
        assertSameAsFullRebuild(sluice);
        assertThat(sluice.query("SELECT deleted_files, retracted_rows FROM sluice.detections WHERE run_id = "
                + result.runId()).rows()).containsExactly(List.of(1L, 1L));
        assertThat(count(sluice, "SELECT count(*) FROM sluice.file_manifest")).isEqualTo(1);

        // The retraction is handled once: the next runs are up to date, then fold in new files as a slice.
        RunResult next = sluice.run(RunOptions.defaults());
        assertThat(next.model("orders_inc").get().reason()).contains("up to date: no new rows in raw.orders");
        assertThat(sluice.run(RunOptions.defaults()).model("orders_inc").get().reason())
                .contains("up to date: no new rows in raw.orders");
        file(project, "c.csv", "3,cid,30\n");
        RunResult added = sluice.run(RunOptions.defaults());
        assertThat(added.model("orders_inc").get().reason()).contains("incremental: new rows of raw.orders after run "
                + result.runId());
        assertThat(added.model("orders_inc").get().rows()).isEqualTo(1);
        assertSameAsFullRebuild(sluice);
    }

    @Test
    void ignoredDeletionKeepsRowsAndIsReported() throws Exception {
        Path project = project("ignore", "{ strategy: append }");
        file(project, "a.csv", "1,ann,10\n");
        file(project, "b.csv", "2,bob,20\n");
        Sluice sluice = Sluice.open(project);
        sluice.run(RunOptions.defaults());
        Files.delete(project.resolve("data/b.csv"));
        RunResult result = sluice.run(RunOptions.defaults());
        assertThat(count(sluice, "SELECT count(*) FROM raw.orders")).isEqualTo(2);
        assertThat(count(sluice, "SELECT deleted_files FROM sluice.detections WHERE run_id = " + result.runId()))
                .isEqualTo(1);
        assertThat(result.model("orders_inc").get().reason()).contains("up to date");
    }

    @Test
    void schemaChangesFollowThePolicy() throws Exception {
        Path project = project("ignore", "{ strategy: append }");
        file(project, "a.csv", "1,ann,10\n");
        Sluice sluice = Sluice.open(project);
        sluice.run(RunOptions.defaults());

        ProjectFixture.at(project).write("models/orders_inc.sql", """
                /*---
                materialized: incremental
                incremental: { strategy: append, on_schema_change: fail }
                ---*/
                SELECT order_id, upper(customer) AS customer, amount * 2 AS doubled, amount > 15 AS big FROM raw.orders
                """);
        // A changed model is rebuilt in full once; the next new rows meet the new column.
        assertThat(Sluice.open(project).run(RunOptions.defaults()).succeeded()).isTrue();
        assertThat(count(sluice, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'orders_inc' "
                + "AND column_name = 'big'")).isEqualTo(1);
    }

    @Test
    void fullRefreshRebuildsFromAllRows() throws Exception {
        Path project = project("ignore", "{ strategy: append }");
        file(project, "a.csv", "1,ann,10\n");
        Sluice sluice = Sluice.open(project);
        sluice.run(RunOptions.defaults());
        file(project, "b.csv", "2,bob,20\n");
        RunResult refreshed = sluice.run(RunOptions.defaults().withFullRefresh());
        assertThat(refreshed.model("orders_inc").get().reason()).contains("full refresh requested");
        assertThat(refreshed.model("orders_inc").get().rows()).isEqualTo(2);
        assertSameAsFullRebuild(sluice);
    }

    @Test
    void stateShowsManifestsAndCheckpointsAndResetRebuilds() throws Exception {
        Path project = project("ignore", "{ strategy: append }");
        file(project, "a.csv", "1,ann,10\n");
        Sluice sluice = Sluice.open(project);
        RunResult first = sluice.run(RunOptions.defaults());
        State state = sluice.state("orders_inc");
        assertThat(state.sources().rows()).singleElement().satisfies(row -> {
            assertThat(row.get(0)).isEqualTo("raw.orders");
            assertThat(row.get(1)).isEqualTo(1L);
        });
        assertThat(state.checkpoints().rows()).containsExactly(List.of("main.orders_inc", "raw.orders", first.runId(),
                first.runId(), state.checkpoints().rows().get(0).get(4)));

        java.io.StringWriter out = new java.io.StringWriter();
        int refused = dev.sluice.cli.Main.run(new java.io.PrintWriter(out), new java.io.PrintWriter(out), "state",
                "reset", project.toString(), "--model", "orders_inc");
        assertThat(refused).isEqualTo(2);
        assertThat(out.toString()).contains("Add --yes");
        assertThat(sluice.state(null).checkpoints().rows()).hasSize(1);
        int reset = dev.sluice.cli.Main.run(new java.io.PrintWriter(out), new java.io.PrintWriter(out), "state",
                "reset", project.toString(), "--model", "orders_inc", "--yes");
        assertThat(reset).isZero();
        assertThat(out.toString()).contains("Forgot 1 checkpoint(s) of model orders_inc");
        assertThat(sluice.run(RunOptions.defaults()).model("orders_inc").get().reason())
                .contains("no checkpoint for raw.orders");
        int shown = dev.sluice.cli.Main.run(new java.io.PrintWriter(out), new java.io.PrintWriter(out), "state",
                project.toString());
        assertThat(shown).isZero();
        assertThat(out.toString()).contains("Sources tracked by a manifest:").contains("Checkpoints of incremental models:")
                .contains("Latest detections:");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> sluice.resetState("nope"))
                .hasMessageContaining("no such model");
    }

    /** A project whose source columns come from its files, read by an incremental SELECT * model. */
    private Path evolving(String policy) throws Exception {
        return evolving(policy, "evolve-" + policy);
    }

    private Path evolving(String policy, String folder) throws Exception {
        ProjectFixture fixture = ProjectFixture.copy("evolving_events", dir.resolve(folder));
        fixture.replace("models/events_inc.sql", "on_schema_change: fail", "on_schema_change: " + policy);
        Path project = fixture.root();
        RunResult first = Sluice.open(project).run(RunOptions.defaults());
        assertThat(first.succeeded()).isTrue();
        return project;
    }

    private static List<List<Object>> columns(Sluice sluice) {
        return sluice.query("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = "
                + "'events_inc' ORDER BY ordinal_position").rows();
    }

    @Test
    void addedColumnFailsOrIsAppendedOrIgnoredByPolicy() throws Exception {
        Path failing = evolving("fail");
        ProjectFixture.at(failing).write("data/b.csv", "id,kind,amount,channel\n3,z,30,web\n");
        RunResult refused = Sluice.open(failing).run(RunOptions.defaults());
        assertThat(refused.model("events_inc").get().error()).contains("its columns changed (added channel VARCHAR)")
                .contains("set incremental.on_schema_change to append_new_columns");
        assertThat(count(Sluice.open(failing), "SELECT count(*) FROM main.events_inc")).isEqualTo(2);

        Path appending = evolving("append_new_columns");
        ProjectFixture.at(appending).write("data/b.csv", "id,kind,amount,channel\n3,z,30,web\n");
        Sluice sluice = Sluice.open(appending);
        assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();
        assertThat(sluice.query("SELECT id, channel FROM main.events_inc ORDER BY id").rows())
                .containsExactly(java.util.Arrays.asList(1L, null), java.util.Arrays.asList(2L, null), List.of(3L, "web"));

        Path ignoring = evolving("ignore");
        ProjectFixture.at(ignoring).write("data/b.csv", "id,kind,amount,channel\n3,z,30,web\n");
        Sluice ignored = Sluice.open(ignoring);
        assertThat(ignored.run(RunOptions.defaults()).succeeded()).isTrue();
        assertThat(columns(ignored)).extracting(row -> row.get(0)).containsExactly("id", "kind", "amount");
        assertThat(count(ignored, "SELECT count(*) FROM main.events_inc")).isEqualTo(3);
    }

    @Test
    void retypedAndRemovedColumnsFollowSyncAllColumns() throws Exception {
        Path project = evolving("sync_all_columns");
        // amount turns into text in the new file; kind disappears from it
        ProjectFixture.at(project).write("data/b.csv", "id,amount\n3,thirty\n");
        Sluice sluice = Sluice.open(project);
        RunResult synced = sluice.run(RunOptions.defaults());
        assertThat(synced.succeeded()).isTrue();
        assertThat(columns(sluice)).containsExactly(List.of("id", "BIGINT"), List.of("kind", "VARCHAR"),
                List.of("amount", "VARCHAR"));
        assertThat(sluice.query("SELECT amount FROM main.events_inc ORDER BY id").rows())
                .containsExactly(List.of("10"), List.of("20"), List.of("thirty"));

        Path appending = evolving("append_new_columns");
        ProjectFixture.at(appending).write("data/b.csv", "id,amount\n3,thirty\n");
        RunResult refused = Sluice.open(appending).run(RunOptions.defaults());
        assertThat(refused.model("events_inc").get().error()).contains("retyped amount to VARCHAR")
                .contains("use sync_all_columns or --full-refresh");
    }

    @Test
    void ignoreKeepsTheTableTypesAndSaysSoWhenANewValueDoesNotFit() throws Exception {
        Path misfit = evolving("ignore");
        ProjectFixture.at(misfit).write("data/b.csv", "id,kind,amount\n3,z,thirty\n");
        RunResult refused = Sluice.open(misfit).run(RunOptions.defaults());
        assertThat(refused.model("events_inc").get().error()).isEqualTo("Cannot build model events_inc"
                + " (models/events_inc.sql): column amount changed type from BIGINT to"
                + " VARCHAR, and 1 new rows hold values that are no BIGINT (such as 'thirty'), while"
                + " on_schema_change: ignore keeps the table's types; fix the input, set"
                + " incremental.on_schema_change to sync_all_columns to retype the column, or rebuild it with"
                + " --full-refresh");
        assertThat(count(Sluice.open(misfit), "SELECT count(*) FROM main.events_inc")).isEqualTo(2);

        Path fitting = evolving("ignore", "evolve-ignore-fitting");
        ProjectFixture.at(fitting).write("data/b.csv", "id,kind,amount\n3,z,30.0\n4,w,\n");
        Sluice sluice = Sluice.open(fitting);
        assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();
        assertThat(columns(sluice)).contains(List.of("amount", "BIGINT"));
        assertThat(count(sluice, "SELECT sum(amount) FROM main.events_inc")).isEqualTo(60);
    }

    @Test
    void planSaysWhatEachPolicyWillDoWithAChangeOfColumns() throws Exception {
        Map<String, String> expected = Map.of(
                "fail", "on_schema_change fail will fail it; set incremental.on_schema_change to append_new_columns,"
                        + " sync_all_columns or ignore, or rebuild it with --full-refresh",
                "append_new_columns", "append_new_columns adds the new columns (earlier rows get NULL) and fills"
                        + " removed ones with NULL",
                "sync_all_columns", "sync_all_columns adds, drops and retypes the table's columns to match",
                "ignore", "ignore keeps the table's columns and types: new columns are not stored, removed ones are"
                        + " filled with NULL, and a value that does not fit a kept type fails the run");
        for (Map.Entry<String, String> policy : expected.entrySet()) {
            Path project = evolving(policy.getKey());
            Sluice sluice = Sluice.open(project);
            assertThat(sluice.plan(RunOptions.defaults()).get(0).reason()).as(policy.getKey())
                    .doesNotContain("columns change");
            ProjectFixture.at(project).write("data/b.csv", "id,kind,amount,channel\n3,z,30,web\n");
            assertThat(Sluice.open(project).plan(RunOptions.defaults()).get(0).reason()).as(policy.getKey())
                    .endsWith("; its columns change (added channel VARCHAR): " + policy.getValue());
        }
        Path retyping = evolving("append_new_columns", "evolve-plan-retype");
        ProjectFixture.at(retyping).write("data/b.csv", "id,kind,amount\n3,z,thirty\n");
        assertThat(Sluice.open(retyping).plan(RunOptions.defaults()).get(0).reason()).endsWith("; its columns"
                + " change (retyped amount to VARCHAR): append_new_columns will fail it, as it does not retype"
                + " columns; use sync_all_columns or --full-refresh");
    }

    @Test
    void gatesCheckTheNewSliceUnlessScopedToTheTable() throws Exception {
        Path project = project("ignore", """
                { strategy: append }
                quality:
                  - range: { column: doubled, min: 0 }
                  - row_count: { max: 2 }
                    scope: table
                """);
        file(project, "a.csv", "1,ann,10\n");
        Sluice sluice = Sluice.open(project);
        assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();
        file(project, "b.csv", "2,bob,20\n");
        RunResult second = sluice.run(RunOptions.defaults());
        // The slice rule read only the one new row; the table rule the whole table.
        assertThat(second.model("orders_inc").get().quality())
                .extracting(QualityResult::rule, QualityResult::rowsChecked, QualityResult::verdict)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("range(doubled)", 1L, "pass"),
                        org.assertj.core.groups.Tuple.tuple("row_count", 1L, "pass"));
        assertThat(second.model("orders_inc").get().quality().get(1).message()).isEqualTo(
                "row_count is 2; expected within [, 2]");

        file(project, "c.csv", "3,cid,-30\n");
        RunResult third = sluice.run(RunOptions.defaults());
        ModelResult failed = third.model("orders_inc").get();
        assertThat(failed.status()).isEqualTo(ModelStatus.FAILED);
        assertThat(failed.error()).contains("range(doubled)").contains("1 of 1 rows fail");
        assertThat(count(sluice, "SELECT count(*) FROM main.orders_inc")).isEqualTo(2);
    }

    @Test
    void aFirstLoadLargerThanARowGroupIsReadCorrectly() throws Exception {
        Path project = project("ignore", "{ strategy: merge, unique_key: order_id }");
        Path file = project.resolve("data/big.csv");
        Files.createDirectories(file.getParent());
        try (dev.sluice.engine.duckdb.DuckDbEngine engine = dev.sluice.engine.duckdb.DuckDbEngine.inMemory();
                dev.sluice.engine.Session session = engine.session()) {
            session.execute("COPY (SELECT range AS order_id, 'c' || range % 7 AS customer, range % 100 AS amount "
                    + "FROM range(300000)) TO '" + file + "' (HEADER, DELIMITER ',')");
        }
        Sluice sluice = Sluice.open(project);
        assertThat(sluice.run(RunOptions.defaults()).succeeded()).isTrue();
        // DuckDB 2.0 loses column statistics of a table created empty and filled in one transaction: max() was NULL.
        assertThat(count(sluice, "SELECT max(order_id) FROM raw.orders")).isEqualTo(299_999);
        assertThat(count(sluice, "SELECT count(*) FROM main.orders_inc")).isEqualTo(300_000);
        assertThat(count(sluice, "SELECT count(*) FROM main.orders_inc i JOIN raw.orders o USING (order_id)"))
                .isEqualTo(300_000);
        // bytes on disk (whole blocks), not DuckDB's row estimate
        assertThat(count(sluice, "SELECT bytes FROM sluice.model_runs WHERE model = 'main.orders_full'"))
                .isPositive().isNotEqualTo(300_000).isEqualTo(count(sluice, "SELECT bytes FROM sluice.model_runs "
                        + "WHERE model = 'main.orders_full'") / 262_144 * 262_144);
    }

    @Test
    void trackedSourceGatesCheckOnlyTheNewRowsAndKeepBadFilesOut() throws Exception {
        Path project = project("ignore", "{ strategy: append }");
        ProjectFixture.at(project).write("sluice.yml", Files.readString(project.resolve("sluice.yml"))
                + "    quality:\n      - range: { column: amount, min: 0 }\n");
        file(project, "a.csv", "1,ann,10\n");
        Sluice sluice = Sluice.open(project);
        RunResult first = sluice.run(RunOptions.defaults());
        assertThat(first.sources().get(0).quality()).singleElement()
                .satisfies(result -> assertThat(result.rowsChecked()).isEqualTo(1));

        file(project, "b.csv", "2,bob,-20\n3,cid,30\n");
        RunResult refused = sluice.run(RunOptions.defaults());
        assertThat(refused.sources().get(0).loaded()).isFalse();
        assertThat(refused.sources().get(0).error()).contains("Cannot load source raw.orders")
                .contains("1 of 2 rows fail");
        assertThat(refused.model("orders_inc").get().status()).isEqualTo(ModelStatus.SKIPPED);
        assertThat(count(sluice, "SELECT count(*) FROM raw.orders")).isEqualTo(1);
        assertThat(count(sluice, "SELECT count(*) FROM sluice.file_manifest")).isEqualTo(1);
    }
}
