package dev.sluice.cli;

import dev.sluice.RunListener;
import dev.sluice.RunOptions;
import dev.sluice.RunResult;
import dev.sluice.Sluice;
import dev.sluice.metrics.MeteredRuns;

import dev.sluice.SluiceException;
import dev.sluice.StartupPhases;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code sluice} launcher: thin commands over the public API. */
@Command(name = "sluice", mixinStandardHelpOptions = true, version = "sluice " + dev.sluice.Sluice.VERSION,
        description = "Embedded SQL pipeline engine: plans model folders with Calcite, runs them in DuckDB.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:the run failed (a model or a source failed)",
                "2:bad input or configuration", "3:internal error",
                "4:another process holds the warehouse; retry when it has finished",
                "5:the warehouse is damaged, or its catalog is from a newer Sluice"})
public final class Main {
    /**
     * The subcommands by name, in the order help lists them. Only the one a command line names is built (picocli reads
     * each one's annotations by reflection, a cost every start would pay for all of them); help and unknown names get
     * all. The names are written out rather than read from each class's {@code @Command}: reading the annotations of
     * all eighteen (reflection, annotation proxies) was paid before {@code main} by every command (SubcommandsTest
     * checks that the names agree).
     */
    static final Map<String, Class<?>> SUBCOMMANDS = subcommands("run", RunCommand.class, "plan", PlanCommand.class,
            "ls", LsCommand.class, "runs", RunsCommand.class, "query", QueryCommand.class, "test", TestCommand.class,
            "quality", QualityCommand.class, "state", StateCommand.class, "lineage", LineageCommand.class,
            "docs", DocsCommand.class, "storage", StorageCommand.class, "optimize", OptimizeCommand.class,
            "windows", WindowsCommand.class, "backfill", BackfillCommand.class, "init", InitCommand.class,
            "schedules", SchedulesCommand.class, "serve", ServeCommand.class, "help", CommandLine.HelpCommand.class);

    /** How run events and errors are printed. */
    enum LogFormat { HUMAN, JSON }

    @Option(names = "--log-format", paramLabel = "FORMAT", scope = ScopeType.INHERIT,
            description = "human (default): lines for people on stdout, errors on stderr; json: one JSON object a line "
                    + "on stderr (time, level, run_id, model, event, message) for every progress, warning and error.")
    LogFormat logFormat = LogFormat.HUMAN;

    private final PrintWriter err;
    /** Runs of {@code sluice serve}'s project, when the server runs this command: its /metrics counts them. */
    private final MeteredRuns hostRuns;
    private JsonLog jsonLog;

    private Main(PrintWriter err, MeteredRuns hostRuns) {
        this.err = err;
        this.hostRuns = hostRuns;
    }

    /** Runs {@code options} on {@code sluice}, through the hosting server's metered runs when there is one. */
    RunResult run(Sluice sluice, RunOptions options, RunListener listener) {
        return hostRuns == null ? sluice.run(options, listener) : hostRuns.run(sluice, options, listener);
    }

    /** The JSON log of this command: one, so that its lines carry the run id it learnt. */
    JsonLog jsonLog() {
        if (jsonLog == null) {
            jsonLog = new JsonLog(err, Clock.systemUTC());
        }
        return jsonLog;
    }

    public static void main(String[] args) {
        StartupPhases.mark("jvm");
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = run(out, err, args);
        StartupPhases.mark("command");
        StartupPhases.report(err);
        System.exit(code);
    }

    /** Runs the launcher in-process and returns its exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(out, err, System.getenv(), args);
    }

    /** As {@link #run(PrintWriter, PrintWriter, String...)}, with the environment server credentials come from. */
    static int run(PrintWriter out, PrintWriter err, java.util.Map<String, String> environment, String... args) {
        return run(out, err, environment, null, args);
    }

    /**
     * As {@link #run(PrintWriter, PrintWriter, String...)}, inside {@code sluice serve}: a {@code run} goes through the
     * server's {@code runs}, so the server's metrics count it as they count its scheduled runs.
     */
    public static int run(PrintWriter out, PrintWriter err, MeteredRuns runs, String... args) {
        return run(out, err, System.getenv(), runs, args);
    }

    private static int run(PrintWriter out, PrintWriter err, java.util.Map<String, String> environment,
            MeteredRuns hostRuns, String... args) {
        // While sluice serve holds the warehouse, the read commands and run are its to answer.
        java.util.Optional<Integer> remote = RemoteCommands.forward(environment, out, err, args);
        StartupPhases.mark("remote");
        if (remote.isPresent()) {
            return remote.get();
        }
        Main main = new Main(err, hostRuns);
        CommandLine commandLine = new CommandLine(main);
        addSubcommands(commandLine, args);
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler(new ErrorHandler(main, err));
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /**
     * The one place SluiceException becomes a message and an exit code. A class rather than a lambda: a lambda
     * implementing this picocli interface (a Java 5 class file) makes the class-data-sharing dump link picocli's old
     * classes, which then stay out of the archive ({@code CommandLine} itself among them).
     */
    private record ErrorHandler(Main main, PrintWriter err) implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception exception, CommandLine line, CommandLine.ParseResult parsed) {
            if (main.logFormat == LogFormat.JSON) {
                // The JSON line holds the message only: a stack trace is for the human format's bug reports.
                int code = exception instanceof SluiceException sluice ? sluice.code().exitCode()
                        : dev.sluice.ErrorCode.INTERNAL.exitCode();
                main.jsonLog().error(exception instanceof SluiceException ? "error" : "internal_error",
                        exception instanceof SluiceException ? exception.getMessage()
                                : "internal error (please report it): " + exception, code);
                return code;
            }
            if (exception instanceof SluiceException sluice) {
                err.println("error: " + sluice.getMessage());
                err.flush();
                return sluice.code().exitCode();
            }
            err.println("internal error (please report it): " + exception);
            exception.printStackTrace(err);
            err.flush();
            return dev.sluice.ErrorCode.INTERNAL.exitCode();
        }
    }

    /** Pairs of a name and its command class, in order. */
    private static Map<String, Class<?>> subcommands(Object... pairs) {
        Map<String, Class<?>> subcommands = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            subcommands.put((String) pairs[i], (Class<?>) pairs[i + 1]);
        }
        return subcommands;
    }

    /** The subcommand the arguments name (the first argument that names one), or all of them for help. */
    private static void addSubcommands(CommandLine commandLine, String... args) {
        for (String arg : args) {
            Class<?> named = SUBCOMMANDS.get(arg);
            if (named != null && named != CommandLine.HelpCommand.class) {
                commandLine.addSubcommand(arg, named);
                return;
            }
            if (named != null) {
                break;
            }
        }
        // A loop, not a method reference: a reference to picocli's CommandLine makes the class-data-sharing dump link
        // it, and a linked Java 5 class stays out of the archive.
        for (Map.Entry<String, Class<?>> subcommand : SUBCOMMANDS.entrySet()) {
            commandLine.addSubcommand(subcommand.getKey(), subcommand.getValue());
        }
    }
}
