package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.RunOptions;
import dev.sluice.RunResult;
import dev.sluice.Sluice;
import dev.sluice.TestProjects;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher in-process: commands, output and exit codes. */
class CliIT {
    @TempDir
    Path dir;

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome sluice(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Outcome(code, out.toString(), err.toString());
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
    void theStarterShowsFilesQuarantineIncrementalAndTestsInOneInitAndRun() throws java.io.IOException {
        Path project = dir.resolve("starter");
        assertThat(sluice("init", project.toString()).code()).isZero();
        Outcome run = sluice("run", project.toString());
        assertThat(run.code()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).contains("LOADED   raw.returns").contains("main.returns_log").contains("incremental")
                .contains("not_null(order_id) (quarantine): 1 of 4 rows fail");
        Sluice sluice = Sluice.open(project);
        assertThat(sluice.query("SELECT count(*) FROM main.returned_orders__quarantine").rows())
                .containsExactly(java.util.List.of(1L));
        assertThat(sluice.query("SELECT count(*) FROM main.returned_orders").rows())
                .containsExactly(java.util.List.of(3L));
        Outcome test = sluice("test", project.toString());
        assertThat(test.code()).as(test.out() + test.err()).isZero();
        assertThat(test.out()).contains("returns_have_quantities");

        // A new file in data/returns is all the incremental model reads next.
        TestProjects.write(project, "data/returns/returns-2024-02.csv",
                "order_id,returned_on,quantity,reason\n99,2024-02-03,1,damaged\n");
        RunResult next = sluice.run(RunOptions.defaults());
        assertThat(next.succeeded()).isTrue();
        assertThat(next.model("returns_log").orElseThrow().reason()).contains("incremental: new rows of raw.returns");
        assertThat(next.model("returns_log").orElseThrow().rows()).isEqualTo(1);
    }

    @Test
    void exitCodesSayWhoseFaultItIs() {
        Path project = TestProjects.write(dir.resolve("p"), "sluice.yml", """
                name: p
                sources:
                  raw.items:
                    type: synthetic
                    rows: 10
                    columns: { id: { type: BIGINT, generator: sequence } }
                """).getParent();
        TestProjects.write(project, "models/bad.sql", "/*---\nmaterialized: table\n---*/\nSELECT CAST('x' || id AS INT) AS n FROM raw.items");
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
        Path project = TestProjects.write(dir.resolve("g"), "sluice.yml", """
                name: g
                vars: { cut: 0 }
                sources:
                  raw.items:
                    type: synthetic
                    rows: 20
                    columns: { id: { type: BIGINT, generator: sequence } }
                """).getParent();
        TestProjects.write(project, "models/items.sql", """
                /*---
                materialized: table
                quality:
                  - range: { column: id, min: 1 }
                    severity: warn
                  - row_count: { min: 10 }
                ---*/
                SELECT id - ${cut} AS id FROM raw.items
                """);
        assertThat(sluice("run", project.toString()).code()).isZero();
        Outcome warned = sluice("run", project.toString(), "--var", "cut=5");
        assertThat(warned.code()).isZero();
        assertThat(warned.out()).contains("quality FAIL range(id) (warn): 5 of 20 rows fail (25.0000%)");

        Outcome test = sluice("test", project.toString());
        assertThat(test.code()).isZero();
        assertThat(test.out()).contains("FAIL items").contains("failing rows: [{\"id\":-4}")
                .contains("PASS items                          row_count").contains("passed: 2 rules on 1 models");

        Outcome quality = sluice("quality", project.toString(), "--model", "items", "--last", "5");
        assertThat(quality.code()).isZero();
        assertThat(quality.out()).contains("range(id)").contains("PFF").contains("▁██")
                .contains("row_count").contains("METRIC");
        Outcome json = sluice("quality", project.toString(), "--rule", "row_count", "--format", "json");
        assertThat(json.out()).contains("\"rule\" : \"row_count\"").contains("\"metrics\" : [ ]");
        assertThat(sluice("quality", project.toString(), "--format", "xml").code()).isEqualTo(2);
    }

    @Test
    void storageAndOptimizeCommandsExplainProposeMeasureAndCompact() {
        Path project = TestProjects.write(dir.resolve("s"), "sluice.yml", """
                name: s
                sources:
                  raw.items:
                    type: synthetic
                    rows: 20000
                    columns:
                      id: { type: BIGINT, generator: sequence }
                      kind: { type: VARCHAR, generator: choice, values: [a, b, c] }
                """).getParent();
        TestProjects.write(project, "models/items.sql", "/*---\nmaterialized: table\nstorage: { format: parquet }\n---*/\n"
                + "SELECT id, kind FROM raw.items");
        TestProjects.write(project, "models/kinds.sql", "/*---\nmaterialized: table\n---*/\nSELECT kind, count(*) AS n "
                + "FROM items WHERE id > 10 GROUP BY kind");
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
                .contains("  sort         id, kind\n      why: downstream models filter on id (1)");
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
        Path project = TestProjects.write(dir.resolve("v"), "sluice.yml", "name: v\n").getParent();
        TestProjects.write(project, "models/only_view.sql", "SELECT 1 AS a");
        assertThat(sluice("run", project.toString()).code()).isZero();
        assertThat(sluice("storage", project.toString()).out())
                .isEqualTo("No storage decisions recorded yet; run the pipeline first.\n");
        assertThat(sluice("storage", project.toString(), "--dry-run").out())
                .isEqualTo("No built table to propose a layout for; run the pipeline first.\n");
    }
}
