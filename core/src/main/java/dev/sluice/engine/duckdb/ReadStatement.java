package dev.sluice.engine.duckdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.engine.Session;
import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One read statement a user typed (for {@code sluice query} and drivers), checked before it runs: DuckDB's own parser
 * must find exactly one statement, a query (SELECT, WITH, FROM, VALUES, TABLE, DESCRIBE, SHOW, SUMMARIZE), an
 * EXPLAIN of one, or a PRAGMA that has a read-only table function ({@code PRAGMA table_info('t')}). Everything else
 * (COPY, ATTACH, INSTALL, LOAD, SET, EXPORT, DML, DDL, several statements) is refused without running anything.
 * Stateless.
 */
final class ReadStatement {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Leading blanks and SQL comments, which may hide the first keyword. */
    private static final Pattern LEADING = Pattern.compile("\\A(?:\\s+|--[^\\n]*(?:\\n|\\z)|/\\*.*?\\*/)*",
            Pattern.DOTALL);
    private static final Pattern KEYWORD = Pattern.compile("\\A[A-Za-z_]+");
    private static final Pattern EXPLAIN = Pattern.compile("\\AEXPLAIN\\s+(?:ANALYZE\\s+)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern PRAGMA = Pattern.compile("\\APRAGMA\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*(.*)\\z",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final String ACCEPTED = "sluice query runs one read statement (SELECT, WITH, FROM, VALUES, "
            + "DESCRIBE, SHOW, SUMMARIZE, EXPLAIN or a read-only PRAGMA such as table_info) on the warehouse opened "
            + "read-only";

    private ReadStatement() {
    }

    /** The statement to run for {@code sql}: itself, or the table function a PRAGMA names. */
    static String checked(Session session, String sql) {
        Matcher leading = LEADING.matcher(sql);
        String text = leading.lookingAt() ? sql.substring(leading.end()) : sql;
        JsonNode parsed = parse(session, sql);
        if (!parsed.path("error").asBoolean(false)) {
            return single(parsed, sql);
        }
        if (!"not implemented".equals(parsed.path("error_type").asText())) {
            throw new SluiceException(ErrorCode.USAGE, "Cannot run query: %s; fix the SQL",
                    parsed.path("error_message").asText("DuckDB cannot parse it"));
        }
        // DuckDB serialises only queries: EXPLAIN and PRAGMA are checked through the query they stand for.
        Matcher explain = EXPLAIN.matcher(text);
        if (explain.lookingAt()) {
            checkQuery(session, text.substring(explain.end()), sql);
            return sql;
        }
        Matcher pragma = PRAGMA.matcher(text);
        if (pragma.matches()) {
            String arguments = pragma.group(2).strip();
            if (arguments.startsWith("=")) {
                throw refused("PRAGMA " + pragma.group(1) + " = ...", "it changes a setting");
            }
            String function = "pragma_" + pragma.group(1).toLowerCase(Locale.ROOT);
            if (Boolean.FALSE.equals(session.query("SELECT count(*) > 0 FROM duckdb_functions() WHERE function_name = ? "
                    + "AND function_type = 'table'", function).single())) {
                throw refused("PRAGMA " + pragma.group(1), "it is not a read-only pragma");
            }
            String query = "SELECT * FROM " + function + (arguments.isEmpty() ? "()" : arguments);
            checkQuery(session, query, sql);
            return query;
        }
        Matcher keyword = KEYWORD.matcher(text);
        if (!keyword.lookingAt()) {
            throw refused("this statement", "it is not one query");
        }
        String first = keyword.group().toUpperCase(Locale.ROOT);
        if (first.equals("SELECT") || first.equals("WITH") || first.equals("FROM") || first.equals("VALUES")
                || first.equals("TABLE") || first.equals("DESCRIBE") || first.equals("SHOW")
                || first.equals("SUMMARIZE")) {
            throw refused("a statement after the first one", "only one statement runs");
        }
        throw refused(first + " statements", "they write, attach, install, load, export or change settings");
    }

    private static void checkQuery(Session session, String query, String sql) {
        JsonNode parsed = parse(session, query);
        if (parsed.path("error").asBoolean(false)) {
            throw refused("this statement", "EXPLAIN and PRAGMA must stand for one query; "
                    + parsed.path("error_message").asText());
        }
        single(parsed, sql);
    }

    private static String single(JsonNode parsed, String sql) {
        int statements = parsed.path("statements").size();
        if (statements == 0) {
            throw new SluiceException(ErrorCode.USAGE, "Cannot run query: it holds no statement; pass one, such as "
                    + "\"SELECT * FROM sluice.runs\"");
        }
        if (statements > 1) {
            throw refused(statements + " statements", "only one statement runs");
        }
        return sql;
    }

    /** DuckDB's parse tree of the text as JSON; parsing runs nothing. */
    private static JsonNode parse(Session session, String sql) {
        try {
            return JSON.readTree((String) session.query("SELECT CAST(json_serialize_sql(?) AS VARCHAR)", sql).single());
        } catch (IOException e) {
            throw new SluiceException(ErrorCode.INTERNAL, e, "Cannot check the query: DuckDB returned an unreadable "
                    + "parse tree: %s", e.getMessage());
        }
    }

    private static SluiceException refused(String what, String why) {
        return new SluiceException(ErrorCode.USAGE, "Cannot run query: %s refused (%s); %s; change data with models "
                + "and sluice run", what, why, ACCEPTED);
    }
}
