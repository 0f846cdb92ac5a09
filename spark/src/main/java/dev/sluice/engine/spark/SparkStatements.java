package dev.sluice.engine.spark;

import dev.sluice.engine.Sql;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text of statements on their way to Spark: Sluice's own statements that the Spark session runs itself (names
 * below), {@code ?} parameters bound as literals, several statements split, and the few DuckDB spellings of plain SQL
 * that Spark reads otherwise ({@code VARCHAR} without a length, the {@code range} column of {@code range(n)}). Quoted
 * text (strings, identifiers) and comments are never rewritten. Stateless.
 */
final class SparkStatements {
    /** A table expression reading files with reader options: {@code sluice_read_files('<json>')}. */
    static final String FILES = "sluice_read_files";
    /** A statement copying a query's rows to files: {@code SLUICE COPY '<json>' AS <query>}. */
    static final String COPY = "SLUICE COPY";
    /** The bytes of a table's data files: {@code SELECT sluice_table_bytes('<table>')}. */
    static final String TABLE_BYTES = "sluice_table_bytes";
    /** (column, codecs) of a table: {@code SELECT * FROM sluice_column_codecs('<table>')}. */
    static final String COLUMN_CODECS = "sluice_column_codecs";
    /** (column, codecs, compressed, uncompressed bytes) of Parquet files. */
    static final String PARQUET_CODECS = "sluice_parquet_codecs";
    /** (min, max) per row group of a column of Parquet files. */
    static final String PARQUET_BOUNDS = "sluice_parquet_bounds";
    /** The warehouse folder: {@code SELECT sluice_warehouse()}. */
    static final String WAREHOUSE = "sluice_warehouse";

    private static final Pattern FUNCTION = Pattern.compile(
            "\\A\\s*SELECT\\s+(?:\\*\\s+FROM\\s+)?(sluice_[a-z_]+)\\((.*)\\)\\s*\\z", Pattern.DOTALL);
    private static final Pattern FILES_CALL = Pattern.compile(FILES + "\\('((?:[^']|'')*)'\\)");
    private static final Pattern COPY_STATEMENT = Pattern.compile("\\A\\s*" + COPY + " '((?:[^']|'')*)' AS (.*)\\z",
            Pattern.DOTALL);
    private static final Pattern VARCHAR = Pattern.compile("(?i)\\b(?:VARCHAR|TEXT)\\b(?!\\s*\\()");
    private static final Pattern BLOB = Pattern.compile("(?i)\\bBLOB\\b");
    private static final Pattern EXCLUDE = Pattern.compile("(?i)\\*\\s+EXCLUDE\\s*\\(([^()]*)\\)");
    private static final Pattern SLICE = Pattern.compile("(\\b[A-Za-z_][A-Za-z0-9_.]*)\\[(\\d+):\\]");
    private static final Pattern MATERIALIZED = Pattern.compile("(?i)\\bAS\\s+(?:NOT\\s+)?MATERIALIZED\\s*\\(");
    /** DuckDB functions of Sluice's own statistics and gate SQL, and Spark's names for them. */
    private static final String[][] FUNCTIONS = {{"strlen", "length"}, {"epoch", "unix_timestamp"},
        {"quantile_cont", "percentile"}, {"ends_with", "endswith"}, {"list", "collect_list"}};
    private static final Pattern STARTS_WITH = Pattern.compile("(?i)\\bstarts_with\\s*\\(");
    private static final Pattern RANGE = Pattern.compile("(?i)\\b(FROM|JOIN)\\s+range\\s*\\(");
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

    private SparkStatements() {
    }

    /** A call of one of Sluice's functions a query is: its name and string arguments; null for any other query. */
    static Call call(String sql) {
        Matcher matcher = FUNCTION.matcher(sql);
        if (!matcher.matches()) {
            return null;
        }
        return new Call(matcher.group(1), strings(matcher.group(2)));
    }

    /** The copy {@code sql} is: its JSON and query; null for any other statement. */
    static String[] copy(String sql) {
        Matcher matcher = COPY_STATEMENT.matcher(sql);
        return matcher.matches() ? new String[] {matcher.group(1).replace("''", "'"), matcher.group(2)} : null;
    }

    /** The JSON specifications of the file reads in {@code sql}, in order, replaced by {@code views}. */
    static String replaceFiles(String sql, java.util.function.Function<String, String> view) {
        Matcher matcher = FILES_CALL.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(view.apply(matcher.group(1).replace("''", "'"))));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** The paths an SQL string literal or list of them ({@code ['a', 'b']}) names. */
    static List<String> paths(String files) {
        List<String> paths = strings(files.strip().replaceFirst("\\A\\[", "").replaceFirst("]\\z", ""));
        if (paths.isEmpty()) {
            throw new IllegalArgumentException("the Spark engine reads files named by string literals, not " + files);
        }
        return paths;
    }

    /** The string literals of a comma-separated list ({@code 'a', 'b'}), unescaped. */
    static List<String> strings(String text) {
        List<String> values = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            if (text.charAt(i) == '\'') {
                int end = Sql.quotedEnd(text, i);
                values.add(text.substring(i + 1, end - 1).replace("''", "'"));
                i = end;
            } else {
                i++;
            }
        }
        return values;
    }

    /** {@code schema.name} quoted for Spark's DataFrame API, which reads backticks only. */
    static String backticked(String schema, String name) {
        return "`" + schema.replace("`", "``") + "`.`" + name.replace("`", "``") + "`";
    }

    /** {@code sql} with its double-quoted identifiers written in backticks, for a parser that reads only those. */
    static String backticks(String sql) {
        StringBuilder out = new StringBuilder();
        for (Segment segment : segments(sql)) {
            String text = segment.text();
            if (segment.quoted() && text.startsWith("\"")) {
                out.append('`').append(unquote(text).replace("`", "``")).append('`');
            } else {
                out.append(text);
            }
        }
        return out.toString();
    }

    /** A quoted identifier's name ({@code "a""b"} is {@code a"b}); a plain one as it is. */
    static String unquote(String identifier) {
        String name = identifier.strip();
        if (name.length() >= 2 && (name.charAt(0) == '"' || name.charAt(0) == '`')) {
            String quote = String.valueOf(name.charAt(0));
            return name.substring(1, name.length() - 1).replace(quote + quote, quote);
        }
        return name;
    }

    /** {@code sql} with each {@code ?} outside quoted text and comments replaced by its parameter as a literal. */
    static String bind(String sql, Object... parameters) {
        if (parameters.length == 0) {
            return sql;
        }
        StringBuilder out = new StringBuilder();
        int next = 0;
        for (Segment segment : segments(sql)) {
            if (segment.quoted()) {
                out.append(segment.text());
                continue;
            }
            String text = segment.text();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (c == '?') {
                    if (next >= parameters.length) {
                        throw new IllegalArgumentException("more ? than parameters in " + sql);
                    }
                    out.append(literal(parameters[next++]));
                } else {
                    out.append(c);
                }
            }
        }
        if (next != parameters.length) {
            throw new IllegalArgumentException(parameters.length + " parameters for " + next + " ? in " + sql);
        }
        return out.toString();
    }

    /** Spark's literal for a Java value: as {@link Sql#literal}, with timestamps to the microsecond and arrays. */
    static String literal(Object value) {
        if (value instanceof LocalDateTime timestamp) {
            return "TIMESTAMP " + Sql.string(TIMESTAMP.format(timestamp));
        }
        if (value instanceof List<?> list) {
            return "array(" + String.join(", ", list.stream().map(SparkStatements::literal).toList()) + ")";
        }
        return Sql.literal(value);
    }

    /** {@code sql} split into statements at semicolons outside quoted text; blank statements dropped. */
    static List<String> split(String sql) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (Segment segment : segments(sql)) {
            if (segment.quoted()) {
                current.append(segment.text());
                continue;
            }
            for (char c : segment.text().toCharArray()) {
                if (c == ';') {
                    statements.add(current.toString());
                    current.setLength(0);
                } else {
                    current.append(c);
                }
            }
        }
        statements.add(current.toString());
        return statements.stream().filter(s -> !s.isBlank()).toList();
    }

    /**
     * {@code sql} with DuckDB's spellings Spark reads otherwise rewritten outside quoted text: {@code VARCHAR} and
     * {@code TEXT} without a length are {@code STRING}, {@code BLOB} is {@code BINARY}, and {@code range(n)} read in
     * a FROM names its column {@code range} as DuckDB's does (Spark's is {@code id}).
     */
    static String portable(String sql) {
        StringBuilder out = new StringBuilder();
        for (Segment segment : segments(sql)) {
            if (segment.quoted()) {
                out.append(segment.text());
                continue;
            }
            String text = VARCHAR.matcher(segment.text()).replaceAll("STRING");
            text = BLOB.matcher(text).replaceAll("BINARY");
            text = SLICE.matcher(text).replaceAll("substring($1, $2)");
            text = STARTS_WITH.matcher(text).replaceAll("startswith(");
            for (String[] function : FUNCTIONS) {
                text = text.replaceAll("(?i)\\b" + function[0] + "\\s*\\(", function[1] + "(");
            }
            text = MATERIALIZED.matcher(text).replaceAll("AS (");
            out.append(text);
        }
        return range(exclude(out.toString()));
    }

    /**
     * DuckDB's {@code * EXCLUDE (a, b)} as Spark's quoted regex column {@code `(?!(?:a|b)$).+`} (the session reads it
     * with {@code spark.sql.parser.quotedRegexColumnNames} on).
     */
    private static String exclude(String sql) {
        Matcher matcher = EXCLUDE.matcher(sql);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            List<String> names = new ArrayList<>();
            for (String name : matcher.group(1).split(",")) {
                names.add(Pattern.quote(unquote(name.strip())));
            }
            matcher.appendReplacement(out, Matcher.quoteReplacement("`(?!(?:" + String.join("|", names)
                    + ")$).+`"));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String range(String sql) {
        Matcher matcher = RANGE.matcher(sql);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (matcher.find(last)) {
            int open = matcher.end() - 1;
            int close = closing(sql, open);
            if (close < 0) {
                break;
            }
            out.append(sql, last, matcher.start()).append(matcher.group(1))
                    .append(" (SELECT id AS range FROM range").append(sql, open, close + 1).append(")");
            last = close + 1;
        }
        out.append(sql.substring(last));
        return out.toString();
    }

    private static int closing(String sql, int open) {
        int depth = 0;
        for (int i = open; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                i = Sql.quotedEnd(sql, i) - 1;
            } else if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** {@code sql} cut into quoted text (strings, identifiers, comments) and the rest. */
    static List<Segment> segments(String sql) {
        List<Segment> segments = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            int end = -1;
            if (c == '\'' || c == '"' || c == '`') {
                end = Sql.quotedEnd(sql, i);
            } else if (c == '-' && sql.startsWith("--", i)) {
                int line = sql.indexOf('\n', i);
                end = line < 0 ? sql.length() : line;
            } else if (c == '/' && sql.startsWith("/*", i)) {
                int close = sql.indexOf("*/", i + 2);
                end = close < 0 ? sql.length() : close + 2;
            }
            if (end < 0) {
                i++;
                continue;
            }
            if (i > start) {
                segments.add(new Segment(sql.substring(start, i), false));
            }
            segments.add(new Segment(sql.substring(i, end), true));
            start = end;
            i = end;
        }
        if (start < sql.length()) {
            segments.add(new Segment(sql.substring(start), false));
        }
        return segments;
    }

    /** A piece of statement text: quoted (left as it is) or not. */
    record Segment(String text, boolean quoted) {
    }

    /** A call of one of Sluice's functions: its name and string arguments. */
    record Call(String function, List<String> arguments) {
    }
}
