package dev.sluice.connect;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.engine.Dialect;
import dev.sluice.engine.Sql;
import dev.sluice.project.Source;
import dev.sluice.project.SourceSpec;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The query that reads a source's data. Files are read through the engine's {@link Dialect#readFiles}, with the
 * reader options a files source sets in {@code sluice.yml} (DuckDB's, which its settings name).
 */
public final class SourceSql {
    private SourceSql() {
    }

    /** A query reading every row of the source (without keeping rejected lines). */
    public static String select(Dialect dialect, Source source) {
        return select(dialect, source, null);
    }

    /**
     * A query reading every row of the source; for CSV sources with a non-null {@code rejectsPrefix}, corrupt lines
     * are kept in the connection's temporary tables {@code <prefix>_errors} and {@code <prefix>_scans}.
     */
    public static String select(Dialect dialect, Source source, String rejectsPrefix) {
        if (source.spec() instanceof SourceSpec.Files files) {
            return "SELECT * FROM " + readFiles(dialect, files, Sql.string(files.path()), rejectsPrefix, false);
        }
        if (source.spec() instanceof SourceSpec.Table) {
            return "SELECT * FROM " + externalTable(source);
        }
        return synthetic(source, (SourceSpec.Synthetic) source.spec());
    }

    /** The query generating a synthetic source's rows. */
    static String generate(Source source) {
        return synthetic(source, (SourceSpec.Synthetic) source.spec());
    }

    /** True when reading the source keeps corrupt lines aside: CSV files with declared columns. */
    public static boolean keepsRejects(Source source) {
        return source.spec() instanceof SourceSpec.Files files && files.format() == SourceSpec.FileFormat.CSV
                && !files.csv().columns().isEmpty();
    }

    /**
     * The statement that must run on a session before it reads the source, if any: table sources attach their
     * database read-only (once per database instance; attaching again is a no-op).
     */
    public static java.util.Optional<String> setup(Source source) {
        if (source.spec() instanceof SourceSpec.Table table) {
            return java.util.Optional.of("ATTACH IF NOT EXISTS " + Sql.string(table.database()) + " AS "
                    + Sql.identifier(alias(source)) + " (READ_ONLY)");
        }
        return java.util.Optional.empty();
    }

    /** The external table of a table source, qualified by its attached database. */
    public static String externalTable(Source source) {
        SourceSpec.Table spec = (SourceSpec.Table) source.spec();
        String[] parts = spec.table().split("\\.", 2);
        String schema = parts.length == 2 ? parts[0] : "main";
        String table = parts.length == 2 ? parts[1] : parts[0];
        return Sql.identifier(alias(source)) + "." + Sql.qualified(schema, table);
    }

    /** Attached databases get a name no schema of the project can clash with. */
    private static String alias(Source source) {
        return "sluice_source_" + source.schema() + "_" + source.table();
    }

    /**
     * A query reading the given files of a files source (with their path in a column {@code filename}), keeping
     * corrupt CSV lines aside as {@link #select(Dialect, Source, String)} does.
     */
    public static String selectFiles(Dialect dialect, Source source, List<String> files, String rejectsPrefix) {
        SourceSpec.Files spec = (SourceSpec.Files) source.spec();
        String list = "[" + String.join(", ", files.stream().map(Sql::string).toList()) + "]";
        return "SELECT * FROM " + readFiles(dialect, spec, list, rejectsPrefix, true);
    }

    /**
     * A query reading the given files of a files source, as {@link #select(Dialect, Source, String)} reads all of
     * them.
     */
    public static String selectListed(Dialect dialect, Source source, List<String> files, String rejectsPrefix) {
        String list = "[" + String.join(", ", files.stream().map(Sql::string).toList()) + "]";
        return "SELECT * FROM " + readFiles(dialect, (SourceSpec.Files) source.spec(), list, rejectsPrefix, false);
    }

    private static String readFiles(Dialect dialect, SourceSpec.Files files, String path, String rejectsPrefix,
            boolean filename) {
        List<String> named = filename ? List.of("filename = true") : List.of();
        return switch (files.format()) {
            case PARQUET -> dialect.readFiles(Dialect.FileFormat.PARQUET, path,
                    concat(List.of("union_by_name = true"), named));
            case JSON -> dialect.readFiles(Dialect.FileFormat.JSON, path,
                    concat(List.of("format = 'auto'", "union_by_name = true"), named));
            case CSV -> dialect.readFiles(Dialect.FileFormat.CSV, path,
                    csvOptions(dialect, files, rejectsPrefix, named));
        };
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static List<String> csvOptions(Dialect dialect, SourceSpec.Files files, String rejectsPrefix,
            List<String> named) {
        SourceSpec.CsvOptions csv = files.csv();
        List<String> options = new ArrayList<>(named);
        if (csv.delimiter() != null) {
            options.add("delim = " + Sql.string(csv.delimiter()));
        }
        if (csv.header() != null) {
            options.add("header = " + Sql.literal(csv.header()));
        }
        // RFC 4180 quoting unless the source sets its quote: left to DuckDB's sniffer, a file holding one malformed
        // quote is read without quoting at all (quotes kept in the values, quoted delimiters splitting fields).
        String quote = csv.quote() == null ? "\"" : csv.quote();
        options.add("quote = " + Sql.string(quote));
        options.add("escape = " + Sql.string(quote));
        if (csv.dateFormat() != null) {
            options.add("dateformat = " + Sql.string(csv.dateFormat()));
        }
        // Fixed names from SourceSpec.CsvOptions.READER_OPTIONS, boolean values: nothing of the user's text.
        csv.reader().forEach((option, value) -> options.add(option + " = " + Sql.literal(value)));
        if (csv.columns().isEmpty()) {
            // Files of one source may differ in their columns as it evolves: match them by name. Declaring the
            // columns instead keeps corrupt lines aside in sluice.rejects.
            options.add("union_by_name = true");
        } else {
            List<String> columns = new ArrayList<>();
            for (Map.Entry<String, String> column : csv.columns().entrySet()) {
                columns.add(Sql.string(column.getKey()) + ": " + Sql.string(column.getValue()));
            }
            options.add("columns = {" + String.join(", ", columns) + "}");
        }
        // DuckDB keeps rejected lines only for a fixed set of columns; files matched by name cannot have them.
        if (rejectsPrefix != null && !csv.columns().isEmpty()) {
            options.addAll(dialect.keepCsvRejects(rejectsPrefix + "_errors", rejectsPrefix + "_scans"));
        }
        return options;
    }

    private static String synthetic(Source source, SourceSpec.Synthetic spec) {
        List<String> columns = new ArrayList<>();
        int index = 0;
        for (SourceSpec.SyntheticColumn column : spec.columns()) {
            index++;
            String random = "hash(i, " + spec.seed() + ", " + index + ")";
            String value = "CAST(" + generator(source, column, random) + " AS " + column.type() + ")";
            Object nullFraction = column.options().get("null_fraction");
            if (nullFraction != null) {
                double fraction = number(source, column, "null_fraction", nullFraction).doubleValue();
                value = "CASE WHEN hash(i, " + spec.seed() + ", " + index + ", 'null') % 1000000 < "
                        + Math.round(fraction * 1_000_000) + " THEN NULL ELSE " + value + " END";
            }
            columns.add(value + " AS " + Sql.identifier(column.name()));
        }
        return "SELECT " + String.join(", ", columns) + " FROM range(" + spec.rows() + ") AS generated(i)";
    }

    private static String generator(Source source, SourceSpec.SyntheticColumn column, String random) {
        Map<String, Object> options = column.options();
        String generator = column.generator().toLowerCase(Locale.ROOT);
        return switch (generator) {
            case "sequence" -> "i + " + Sql.literal(options.getOrDefault("start", 1));
            case "uniform", "reference" -> uniform(source, column, random);
            case "choice" -> {
                Object values = options.get("values");
                if (!(values instanceof List<?> list) || list.isEmpty()) {
                    throw invalid(source, column, "generator 'choice' needs a non-empty list 'values'");
                }
                yield "list_extract(" + Sql.literal(list) + ", CAST(" + random + " % " + list.size() + " AS BIGINT) + 1)";
            }
            case "date" -> {
                LocalDate start = LocalDate.parse(text(source, column, "start"));
                LocalDate end = LocalDate.parse(text(source, column, "end"));
                long days = end.toEpochDay() - start.toEpochDay() + 1;
                yield Sql.literal(start) + " + CAST(" + random + " % " + days + " AS INTEGER)";
            }
            case "timestamp" -> {
                LocalDateTime start = LocalDateTime.parse(text(source, column, "start").replace(' ', 'T'));
                LocalDateTime end = LocalDateTime.parse(text(source, column, "end").replace(' ', 'T'));
                long seconds = java.time.Duration.between(start, end).getSeconds() + 1;
                yield Sql.literal(start) + " + to_seconds(CAST(" + random + " % " + seconds + " AS BIGINT))";
            }
            case "text" -> Sql.string(String.valueOf(options.getOrDefault("prefix", column.name() + "_")))
                    + " || CAST(" + random + " % " + number(source, column, "max", options.getOrDefault("max", 1_000_000))
                    + " AS VARCHAR)";
            default -> throw invalid(source, column, "unknown generator '" + column.generator()
                    + "'; use one of sequence, uniform, choice, date, timestamp, text, reference");
        };
    }

    private static String uniform(Source source, SourceSpec.SyntheticColumn column, String random) {
        BigDecimal min = number(source, column, "min", column.options().getOrDefault("min", 1));
        Object maxOption = column.options().get("max");
        if (maxOption == null) {
            throw invalid(source, column, "generator '" + column.generator() + "' needs 'max'");
        }
        BigDecimal max = number(source, column, "max", maxOption);
        if (max.compareTo(min) < 0) {
            throw invalid(source, column, "'max' " + max + " is below 'min' " + min);
        }
        String type = column.type().toUpperCase(Locale.ROOT);
        boolean fractional = type.startsWith("DECIMAL") || type.startsWith("NUMERIC") || type.equals("DOUBLE")
                || type.equals("FLOAT") || type.equals("REAL");
        if (fractional) {
            // Millionths of the range keep the generated values reproducible and spread.
            return min.toPlainString() + " + (" + random + " % 1000001) / 1000000.0 * "
                    + max.subtract(min).toPlainString();
        }
        return min.toPlainString() + " + CAST(" + random + " % " + max.subtract(min).add(BigDecimal.ONE).toPlainString()
                + " AS BIGINT)";
    }

    private static String text(Source source, SourceSpec.SyntheticColumn column, String option) {
        Object value = column.options().get(option);
        if (value == null) {
            throw invalid(source, column, "generator '" + column.generator() + "' needs '" + option + "'");
        }
        return value.toString();
    }

    private static BigDecimal number(Source source, SourceSpec.SyntheticColumn column, String option, Object value) {
        try {
            return new BigDecimal(value.toString());
        } catch (NumberFormatException e) {
            throw invalid(source, column, "'" + option + "' must be a number, not '" + value + "'");
        }
    }

    private static SluiceException invalid(Source source, SourceSpec.SyntheticColumn column, String reason) {
        return new SluiceException(ErrorCode.SOURCE_INVALID, "Cannot generate source %s column '%s' (%s): %s",
                source.qualifiedName(), column.name(), source.location(), reason);
    }
}
