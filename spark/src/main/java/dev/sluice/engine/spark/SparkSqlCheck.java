package dev.sluice.engine.spark;

import dev.sluice.engine.Dialect;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.catalyst.analysis.FunctionRegistry;
import org.apache.spark.sql.catalyst.analysis.TableFunctionRegistry;
import org.apache.spark.sql.catalyst.parser.CatalystSqlParser$;

/**
 * Whether Spark SQL can run a model as Calcite prints it, decided without a Spark application (planning needs none):
 * Spark's own parser must read it, and every function it calls must be one of Spark's built-in functions (Calcite
 * knows DuckDB's, such as {@code strftime} or {@code regexp_matches}, which Spark lacks or spells otherwise).
 */
final class SparkSqlCheck {
    /** Words Calcite prints before a parenthesis that are syntax, not functions. */
    private static final Set<String> SYNTAX = Set.of("cast", "try_cast", "extract", "in", "exists", "over", "values",
            "row", "as", "and", "or", "not", "on", "using", "from", "join", "select", "where", "when", "then", "else",
            "case", "any", "all", "some", "filter", "within", "decimal", "numeric", "varchar", "char", "interval",
            "trim", "position", "substring", "overlay", "grouping", "sets", "cube", "rollup", "lateral", "unnest",
            "table", "array", "map", "struct", "like", "ilike", "rlike", "is", "union", "intersect", "except", "with",
            "qualify", "having", "limit", "timestamp", "date", "time", "partition", "by");
    private static final Pattern CALL = Pattern.compile("(?<![A-Za-z0-9_`.])([A-Za-z_][A-Za-z0-9_]*)\\(");
    private static final Set<String> FUNCTIONS = functions();

    private SparkSqlCheck() {
    }

    static Optional<Dialect.Unsupported> unsupported(String sql) {
        try {
            CatalystSqlParser$.MODULE$.parsePlan(SparkStatements.backticks(sql));
        } catch (Exception e) {
            return Optional.of(new Dialect.Unsupported("Spark cannot parse the SQL Calcite prints for it ("
                    + SparkFailures.message(e) + ")", null));
        }
        java.util.List<SparkStatements.Segment> segments = SparkStatements.segments(sql);
        for (int i = 0; i < segments.size(); i++) {
            SparkStatements.Segment segment = segments.get(i);
            String text = segment.text();
            if (segment.quoted()) {
                // Calcite quotes the names of functions it knows only from Sluice's operator table: `strftime`(…)
                boolean called = text.startsWith("`") && i + 1 < segments.size() && !segments.get(i + 1).quoted()
                        && segments.get(i + 1).text().startsWith("(");
                Optional<Dialect.Unsupported> missing = called ? missing(SparkStatements.unquote(text))
                        : Optional.empty();
                if (missing.isPresent()) {
                    return missing;
                }
                continue;
            }
            Matcher call = CALL.matcher(text);
            while (call.find()) {
                Optional<Dialect.Unsupported> missing = missing(call.group(1));
                if (missing.isPresent()) {
                    return missing;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Dialect.Unsupported> missing(String function) {
        String name = function.toLowerCase(Locale.ROOT);
        if (SYNTAX.contains(name) || FUNCTIONS.contains(name)) {
            return Optional.empty();
        }
        return Optional.of(new Dialect.Unsupported("function " + name + " is not a Spark SQL function", name));
    }

    private static Set<String> functions() {
        Set<String> names = new HashSet<>();
        scala.jdk.javaapi.CollectionConverters.asJava(FunctionRegistry.builtin().listFunction())
                .forEach(function -> names.add(function.funcName().toLowerCase(Locale.ROOT)));
        scala.jdk.javaapi.CollectionConverters.asJava(TableFunctionRegistry.builtin().listFunction())
                .forEach(function -> names.add(function.funcName().toLowerCase(Locale.ROOT)));
        return Set.copyOf(names);
    }
}
