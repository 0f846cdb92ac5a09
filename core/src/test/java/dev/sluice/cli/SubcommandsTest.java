package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** Main builds only the subcommand a command line names; help still sees them all. */
class SubcommandsTest {
    private record Outcome(int code, String out, String err) {
    }

    private static Outcome run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), java.util.Map.of(), args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void eachSubcommandIsListedUnderTheNameItsCommandAnnotationGives() {
        Main.SUBCOMMANDS.forEach((name, command) -> assertThat(
                command.getAnnotation(picocli.CommandLine.Command.class).name()).as(command.getName()).isEqualTo(name));
        assertThat(Main.SUBCOMMANDS).hasSize(18);
    }

    @Test
    void helpListsEverySubcommand() {
        Outcome help = run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("run", "plan", "ls", "runs", "query", "quality", "state", "lineage", "docs",
                "storage", "optimize", "windows", "backfill", "init", "schedules", "serve", "help");
    }

    @Test
    void theHelpCommandShowsAnotherSubcommandsUsage() {
        Outcome help = run("help", "runs");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Usage: sluice runs", "Show recent runs");
    }

    @Test
    void anInheritedOptionBeforeTheSubcommandStillReachesIt() {
        Outcome json = run("--log-format", "json", "runs", "no-such-folder-here");
        assertThat(json.code()).isEqualTo(2);
        assertThat(json.err()).startsWith("{").contains("Cannot read project");
    }

    @Test
    void anUnknownSubcommandIsRefusedWithEverySubcommandListed() {
        Outcome unknown = run("rnus", "x");
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("Unmatched arguments from index 0: 'rnus', 'x'")
                .contains("Commands:", "  runs ", "  query ", "  serve ");
    }
}
