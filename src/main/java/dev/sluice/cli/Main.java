package dev.sluice.cli;

import dev.sluice.SluiceException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sluice} launcher: thin commands over the public API. */
@Command(name = "sluice", mixinStandardHelpOptions = true, version = "sluice " + dev.sluice.Sluice.VERSION,
        description = "Embedded SQL pipeline engine: plans model folders with Calcite, runs them in DuckDB.",
        subcommands = {RunCommand.class, PlanCommand.class, LsCommand.class, RunsCommand.class, QueryCommand.class,
                TestCommand.class, QualityCommand.class, StateCommand.class, LineageCommand.class, DocsCommand.class,
                StorageCommand.class, OptimizeCommand.class, WindowsCommand.class, BackfillCommand.class,
                InitCommand.class, ServeCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the run failed (a model or a source failed)",
                "2:bad input or configuration", "3:internal error",
                "4:another process holds the warehouse; retry when it has finished",
                "5:the warehouse is damaged, or its catalog is from a newer Sluice"})
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        System.exit(run(out, err, args));
    }

    /** Runs the launcher in-process and returns its exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(out, err, System.getenv(), args);
    }

    /** As {@link #run(PrintWriter, PrintWriter, String...)}, with the environment server credentials come from. */
    static int run(PrintWriter out, PrintWriter err, java.util.Map<String, String> environment, String... args) {
        // While sluice serve holds the warehouse, the read commands and run are its to answer.
        java.util.Optional<Integer> remote = RemoteCommands.forward(environment, out, err, args);
        if (remote.isPresent()) {
            return remote.get();
        }
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setOut(out);
        commandLine.setErr(err);
        // The one place SluiceException becomes a message and an exit code.
        commandLine.setExecutionExceptionHandler((exception, line, parsed) -> {
            if (exception instanceof SluiceException sluice) {
                err.println("error: " + sluice.getMessage());
                err.flush();
                return sluice.code().exitCode();
            }
            err.println("internal error (please report it): " + exception);
            exception.printStackTrace(err);
            err.flush();
            return dev.sluice.ErrorCode.INTERNAL.exitCode();
        });
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
