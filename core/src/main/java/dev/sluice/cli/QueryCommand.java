package dev.sluice.cli;

import dev.sluice.Access;
import dev.sluice.QueryStream;
import dev.sluice.Sluice;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "query", mixinStandardHelpOptions = true,
        description = {"Run one read statement against the warehouse and its catalog (schema sluice).",
                "SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW, SUMMARIZE, EXPLAIN or a read-only PRAGMA; anything that "
                        + "writes, attaches, installs, loads, exports or changes settings is refused (exit 2)."})
final class QueryCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "The pipeline folder.")
    Path dir;

    @Parameters(index = "1", paramLabel = "SQL", description = "One read statement.")
    String sql;

    @Option(names = "--format", paramLabel = "FORMAT", converter = FormatConverter.class,
            description = "text, csv or json (default ${DEFAULT-VALUE}).")
    ResultFormat format = ResultFormat.text;

    @Option(names = "--unmask", description = "Show masked columns (mask: in the project) in clear; through a "
            + "server, the user needs its unmask permission.")
    boolean unmask;

    @Spec
    CommandSpec spec;

    /** Reads --format, accepting the older name {@code table}. */
    static final class FormatConverter implements picocli.CommandLine.ITypeConverter<ResultFormat> {
        @Override
        public ResultFormat convert(String value) {
            try {
                return ResultFormat.named(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    @Override
    public Integer call() {
        // Rows print as the warehouse produces them: a result of any size takes constant memory.
        try (QueryStream rows = Sluice.open(dir).stream(sql, unmask ? Access.UNMASKED : Access.MASKED)) {
            format.write(rows.columns(), rows, spec.commandLine().getOut());
        }
        return 0;
    }
}
