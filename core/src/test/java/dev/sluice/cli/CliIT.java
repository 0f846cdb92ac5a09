package dev.sluice.cli;

import static dev.sluice.cli.Launcher.sluice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.Launcher.Outcome;
import dev.sluice.RunOptions;
import dev.sluice.RunResult;
import dev.sluice.Sluice;
import dev.sluice.ProjectFixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher in-process: commands, output and exit codes. */
class CliIT {
    @TempDir
    Path dir;

    @Test
    void listsEachSourceWithTheTypeOfItsConnector() {
        Path project = ProjectFixture.copy("memory_source", dir).root();
        assertThat(sluice("ls", project.toString()).out()).containsPattern("raw\\.events\\s+memory");
    }

    @Test
    void initThenPlanRunAndInspect() {
        String project = dir.resolve("shop").toString();
        Outcome init = sluice("init", project);
        assertThat(init.code()).isZero();
        assertThat(init.out()).contains("Created pipeline").contains("sluice run " + project);

        Outcome plan = sluice("plan", project);
        assertThat(plan.code()).as(plan.err()).isZero();
        assertThat(plan.out()).contains("model(s) would run, in this order:").contains("why: new model: never built");

        Outcome run = sluice("run", project, "--threads", "2");
        assertThat(run.code()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("LOADED   raw.orders").contains("SUCCESS").contains("Run 1 succeeded");

        Outcome ls = sluice("ls", project);
        assertThat(ls.out()).contains("Models (shop):").contains("Sources:").contains("raw.orders");

        Outcome runs = sluice("runs", project);
        assertThat(runs.out()).contains("Run 1  success");

        Outcome csv = sluice("query", project, "SELECT 1 AS one, 'a,b' AS two", "--format", "csv");
        assertThat(csv.out()).isEqualToIgnoringNewLines("one,two1,\"a,b\"");
        Outcome json = sluice("query", project, "SELECT 1 AS one, DATE '2024-01-02' AS day", "--format", "json");
        assertThat(json.out()).contains("\"one\" : 1").contains("\"day\" : \"2024-01-02\"");
        Outcome table = sluice("query", project, "SELECT status FROM sluice.runs");
        assertThat(table.out()).contains("status").contains("success").contains("(1 rows)");
    }

    @Test
    void conditionalPathNotTakenExitsZeroAndSaysSo() {
        Path project = ProjectFixture.copyTo("cli_conditional_path", dir.resolve("w")).root();
        Outcome run = sluice("run", project.toString());
        assertThat(run.code()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).containsPattern("NOT TAKEN +main.big")
                .contains("not taken: condition false: rows(items) > 100 is false (rows(items) = 10); small runs instead")
                .containsPattern("SUCCESS +main.small")
                .contains("Run 1 succeeded").contains("2 succeeded, 1 not taken, 0 failed, 0 skipped");
    }

    @Test
    void labelsSayWhatHappened() throws Exception {
        Path project = ProjectFixture.copyTo("cli_labels", dir.resolve("l")).root();
        Outcome first = sluice("run", project.toString());
        assertThat(first.code()).as(first.out() + first.err()).isZero();
        assertThat(first.out())
                .contains("quality WARN accepted_values(id): 7 of 10 rows fail")
                .contains("[severity warn: recorded, published]")
                .contains("quality WARN small_ids: 2 of 10 rows fail")
                .contains("[severity fail: past its warn level only, published]")
                .doesNotContain("quality FAIL").doesNotContain("(warn)").doesNotContain("(fail)");
        Outcome quality = sluice("quality", project.toString());
        assertThat(quality.out()).containsPattern("items +accepted_values\\(id\\) +W ")
                .containsPattern("items +small_ids +W ");

        Outcome second = sluice("run", project.toString());
        assertThat(second.code()).as(second.out() + second.err()).isZero();
        assertThat(second.out()).containsPattern("UP TO DATE +main.items +table +10 rows")
                .contains("0 succeeded, 1 up to date, 0 failed, 0 skipped");
        assertThat(sluice("docs", project.toString()).code()).isZero();
        assertThat(java.nio.file.Files.readString(project.resolve("target/docs/index.html")))
                .contains("<td class=\"up_to_date\">up to date</td><td>10</td>");
    }

    @Test
    void commandsAgreeOnFlagsFormatsAndUnknownNames() {
        Path project = ProjectFixture.copyTo("cli_flags_and_formats", dir.resolve("c")).root();
        String dirArg = project.toString();
        assertThat(sluice("run", dirArg).code()).isZero();

        // Both lineage directions are flags; asking both is an error.
        assertThat(sluice("lineage", dirArg, "items.doubled", "--upstream").out())
                .contains("Upstream of main.items.doubled").contains("raw.items.id");
        Outcome both = sluice("lineage", dirArg, "items.doubled", "--upstream", "--downstream");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("Cannot show lineage both ways at once: use --upstream or --downstream");

        // -m works on quality and state as on storage; an unknown name is exit 2 everywhere, with a did-you-mean.
        assertThat(sluice("quality", dirArg, "-m", "items").out()).containsPattern("items +not_null\\(id\\) +P ");
        assertThat(sluice("state", dirArg, "-m", "items").code()).isZero();
        for (String[] command : new String[][] {{"quality", dirArg, "--model", "itemz"}, {"state", dirArg, "-m", "itemz"},
                {"storage", dirArg, "-m", "itemz"}}) {
            Outcome unknown = sluice(command);
            assertThat(unknown.code()).as(String.join(" ", command)).isEqualTo(2);
            assertThat(unknown.err()).as(String.join(" ", command)).contains("'itemz'").contains("no such model");
        }
        assertThat(sluice("quality", dirArg, "--model", "itemz").err())
                .contains("Cannot show the quality of 'itemz': the project has no such model or source; did you mean "
                        + "'items'?");
        // state's synopsis shows DIR as required
        assertThat(sluice("state", "--help").out()).contains("sluice state [-hV] [-m=MODEL] DIR")
                .doesNotContain("[DIR]");
        // state reset on a table model is refused: it has no checkpoints
        Outcome reset = sluice("state", "reset", dirArg, "-m", "items", "--yes");
        assertThat(reset.code()).isEqualTo(2);
        assertThat(reset.err()).contains("Cannot reset the state of model items (models/items.sql): it is a table "
                + "model and keeps no checkpoints; rebuild it with sluice run " + dirArg + " --select items "
                + "--full-refresh");

        // One --format vocabulary: text is the readable form everywhere (query still takes table).
        assertThat(sluice("query", dirArg, "SELECT 1 AS one", "--format", "text").out()).contains("one").contains("(1 rows)");
        assertThat(sluice("query", dirArg, "SELECT 1 AS one", "--format", "table").out()).contains("(1 rows)");
        Outcome badFormat = sluice("query", dirArg, "SELECT 1 AS one", "--format", "xml");
        assertThat(badFormat.code()).isEqualTo(2);
        assertThat(badFormat.err()).contains("Cannot print rows as 'xml': use --format text, csv or json");

        // plan --resume shows what run --resume would rerun: nothing failed, so nothing.
        Outcome plan = sluice("plan", dirArg, "--resume");
        assertThat(plan.code()).as(plan.err()).isZero();
        assertThat(plan.out()).contains("0 model(s) would run");

        // An empty selection and a malformed selector are errors, not "every model".
        Outcome empty = sluice("run", dirArg, "--select", "");
        assertThat(empty.code()).isEqualTo(2);
        assertThat(empty.err()).contains("the selection is empty");
        Outcome plusPlus = sluice("plan", dirArg, "--select", "++items");
        assertThat(plusPlus.code()).isEqualTo(2);
        assertThat(plusPlus.err()).contains("selector '++items' is not valid");

        // ls columns line up whatever the length of a name or a materialization.
        List<String> lines = sluice("ls", dirArg).out().lines().toList();
        List<String> rows = lines.subList(1, lines.indexOf("Sources:"));
        assertThat(rows).hasSize(3);
        int column = rows.get(0).indexOf("MATERIALIZED");
        assertThat(rows).allSatisfy(row -> assertThat(row.charAt(column - 1)).isEqualTo(' '))
                .allSatisfy(row -> assertThat(row.charAt(column)).isNotEqualTo(' '));
        int upstream = rows.get(0).indexOf("UPSTREAM");
        assertThat(rows).allSatisfy(row -> assertThat(row.charAt(upstream)).isNotEqualTo(' '));
    }

    @Test
    void theStarterShowsFilesQuarantineIncrementalAndTestsInOneInitAndRun() throws java.io.IOException {
        Path project = dir.resolve("starter");
        assertThat(sluice("init", project.toString()).code()).isZero();
        Outcome run = sluice("run", project.toString());
        assertThat(run.code()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("LOADED   raw.returns").contains("main.returns_log").contains("incremental")
                .contains("quality WARN not_null(order_id): 1 of 4 rows fail")
                .contains("[severity quarantine: failing rows set aside, the rest published]");
        Sluice sluice = Sluice.open(project);
        assertThat(sluice.query("SELECT count(*) FROM main.returned_orders__quarantine").rows())
                .containsExactly(java.util.List.of(1L));
        assertThat(sluice.query("SELECT count(*) FROM main.returned_orders").rows())
                .containsExactly(java.util.List.of(3L));
        Outcome test = sluice("test", project.toString());
        assertThat(test.code()).as(test.out() + test.err()).isZero();
        assertThat(test.out()).contains("returns_have_quantities");

        // A new file in data/returns is all the incremental model reads next.
        ProjectFixture.at(project).write("data/returns/returns-2024-02.csv",
                "order_id,returned_on,quantity,reason\n99,2024-02-03,1,damaged\n");
        RunResult next = sluice.run(RunOptions.defaults());
        assertThat(next.succeeded()).isTrue();
        assertThat(next.model("returns_log").orElseThrow().reason()).contains("incremental: new rows of raw.returns");
        assertThat(next.model("returns_log").orElseThrow().rows()).isEqualTo(1);
    }

    @Test
    void exitCodesSayWhoseFaultItIs() {
        Path project = ProjectFixture.copyTo("cli_exit_codes", dir.resolve("p")).root();
        Outcome failed = sluice("run", project.toString());
        assertThat(failed.code()).isEqualTo(1);
        assertThat(failed.out()).contains("FAILED").contains("Cannot build model bad (models/bad.sql)").contains("Run 1 FAILED");

        Outcome missing = sluice("run", dir.resolve("nowhere").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).startsWith("error: ").contains("sluice init");

        assertThat(sluice("frobnicate").code()).isEqualTo(2);
        Outcome help = sluice("run", "--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("--select").contains("--fail-fast").contains("--resume");
        assertThat(sluice("--help").out()).contains("Exit codes:").contains("plan").contains("query");
    }

    @Test
    void testAndQualityCommandsReportGatesAndTrends() {
        Path project = ProjectFixture.copyTo("cli_test_and_quality", dir.resolve("g")).root();
        assertThat(sluice("run", project.toString()).code()).isZero();
        Outcome warned = sluice("run", project.toString(), "--var", "cut=5");
        assertThat(warned.code()).isZero();
        assertThat(warned.out()).contains("quality WARN range(id): 5 of 20 rows fail (25.0000%)");

        Outcome test = sluice("test", project.toString());
        assertThat(test.code()).isZero();
        assertThat(test.out()).contains("WARN items").contains("failing rows: [{\"id\":-4}")
                .contains("PASS items                          row_count").contains("passed: 2 rules on 1 models");

        Outcome quality = sluice("quality", project.toString(), "--model", "items", "--last", "5");
        assertThat(quality.code()).isZero();
        assertThat(quality.out()).contains("range(id)").contains("PWW").contains("▁██")
                .contains("row_count").contains("METRIC");
        Outcome json = sluice("quality", project.toString(), "--rule", "row_count", "--format", "json");
        assertThat(json.out()).contains("\"rule\" : \"row_count\"").contains("\"metrics\" : [ ]");
        assertThat(sluice("quality", project.toString(), "--format", "xml").code()).isEqualTo(2);
    }

    @Test
    void storageAndOptimizeCommandsExplainProposeMeasureAndCompact() {
        Path project = ProjectFixture.copyTo("cli_storage_commands", dir.resolve("s")).root();
        Outcome none = sluice("storage", project.toString(), "--dry-run");
        assertThat(none.code()).isEqualTo(2);
        assertThat(none.err()).contains("does not exist yet; run the pipeline first");
        // measuring or compacting a project never run says so, and creates no warehouse
        for (String[] command : java.util.List.of(new String[] {"storage", project.toString(), "--measure"},
                new String[] {"optimize", project.toString()})) {
            Outcome nothing = sluice(command);
            assertThat(nothing.code()).as(String.join(" ", command)).isEqualTo(2);
            assertThat(nothing.err()).contains("does not exist yet; run the pipeline first");
        }
        assertThat(project.resolve("target")).doesNotExist();
        assertThat(sluice("run", project.toString()).code()).isZero();

        Outcome explained = sluice("storage", project.toString(), "--model", "items");
        assertThat(explained.code()).as(explained.err()).isZero();
        assertThat(explained.out()).startsWith("main.items (run 1)").contains("  format       parquet  [pinned]")
                // the items come in id order already: sorting by the filtered id gains nothing on the measured sample
                .contains("  sort         none\n      why: the query's order is kept: no candidate order costs less")
                .contains("  candidate    filtered: id, zstd level 3\n      why: not chosen");
        Outcome proposed = sluice("storage", project.toString(), "--dry-run");
        assertThat(proposed.out()).contains("main.items (proposed, nothing written)")
                .contains("main.kinds (proposed, nothing written)");
        Outcome measured = sluice("storage", project.toString(), "--measure", "-m", "items");
        assertThat(measured.code()).isZero();
        assertThat(measured.out()).contains("main.items").contains("csv").contains("parquet_default")
                .contains("chosen").contains("100.0%");
        Outcome optimized = sluice("optimize", project.toString());
        assertThat(optimized.out()).startsWith("KEPT      main.items: 1 file(s)");
        assertThat(sluice("optimize", project.toString(), "--model", "kinds").out())
                .isEqualTo("No lake output (storage format parquet) has been built; nothing to compact.\n");
        Outcome stats = sluice("storage", project.toString(), "--stats", "raw.items");
        assertThat(stats.code()).as(stats.err()).isZero();
        assertThat(stats.out()).contains("column").contains("sortedness").contains("kind").contains("VARCHAR")
                .contains("(2 rows)");
        assertThat(sluice("storage", project.toString(), "--stats", "kinds").out()).contains("(2 rows)");
        Outcome noTable = sluice("storage", project.toString(), "--stats", "raw.nothing");
        assertThat(noTable.code()).isEqualTo(2);
        assertThat(noTable.err()).contains("Cannot measure 'raw.nothing': the warehouse has no such table, view or "
                + "source; name a model, or a table as schema.name");
        Outcome unknown = sluice("storage", project.toString(), "--model", "nope");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).contains("Cannot show the storage of model 'nope': the project has no such model");
    }

    @Test
    void storageSaysWhenNothingIsRecordedYet() {
        Path project = ProjectFixture.copyTo("cli_storage_nothing_recorded", dir.resolve("v")).root();
        assertThat(sluice("run", project.toString()).code()).isZero();
        assertThat(sluice("storage", project.toString()).out())
                .isEqualTo("No storage decisions recorded yet; run the pipeline first.\n");
        assertThat(sluice("storage", project.toString(), "--dry-run").out())
                .isEqualTo("No built table to propose a layout for; run the pipeline first.\n");
    }
}
