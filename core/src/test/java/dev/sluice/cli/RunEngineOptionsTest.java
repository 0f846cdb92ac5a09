package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import dev.sluice.engine.RecordingEngineFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice run --engine/--master} choose the engine of one run over sluice.yml's. */
class RunEngineOptionsTest {
    @TempDir
    Path dir;

    private record Outcome(int code, String out, String err) {
    }

    private static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), java.util.Map.of(), args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void engineChoosesTheEngineOfTheRun() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\n", "models/one.sql", "SELECT 1 AS x\n");

        Outcome outcome = run("run", dir.toString(), "--engine", "recording");

        assertThat(outcome.code()).as(outcome.err()).isZero();
        assertThat(RecordingEngineFactory.opened(dir.resolve("target/shop.duckdb"))).isNotEmpty();
    }

    @Test
    void masterIsRefusedForAnEngineWithoutOne() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\n", "models/one.sql", "SELECT 1 AS x\n");

        Outcome outcome = run("run", dir.toString(), "--master", "local[2]");

        assertThat(outcome.code()).isNotZero();
        assertThat(outcome.err()).contains("Cannot use --master: engine duckdb has no setting master; choose an engine "
                + "that has (--engine spark)");
    }
}
