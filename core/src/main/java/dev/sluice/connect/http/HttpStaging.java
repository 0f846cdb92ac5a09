package dev.sluice.connect.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.connect.http.HttpSpec.Column;
import dev.sluice.connect.http.HttpSpec.ExtraFields;
import dev.sluice.engine.Appender;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Flattens an API's records to the declared columns and stages them in a temporary table of the load's session,
 * page by page through the engine's bulk appender: the JVM holds one page at a time, whatever the number of pages.
 * Values are staged as text with the page and record they came from, checked against the declared types (a value of
 * the wrong type is reported with its page and record), then read by the load through one casting query.
 */
final class HttpStaging {
    /** The staged text. */
    static final String TEXT = "sluice_http_text";
    private static final String PAGE = "_sluice_page";
    private static final String RECORD = "_sluice_record";

    private final HttpSpec spec;
    private final Session session;
    /** The record's top-level fields the columns read. */
    private final Set<String> read = new HashSet<>();
    /** Open from the first page to the last: the session runs nothing else meanwhile. */
    private Appender appender;
    private long rows;

    HttpStaging(HttpSpec spec, Session session) {
        this.spec = spec;
        this.session = session;
        spec.columns().forEach(column -> read.add(column.path().first()));
    }

    /** The columns of a load, with their types: the declared ones, and {@code _extra} when extra fields are kept. */
    static List<String> definitions(HttpSpec spec) {
        List<String> columns = new ArrayList<>();
        spec.columns().forEach(c -> columns.add(Sql.identifier(c.name()) + " " + c.type()));
        if (spec.extraFields() == ExtraFields.KEEP) {
            columns.add(Sql.identifier(HttpSpec.EXTRA) + " JSON");
        }
        return columns;
    }

    /** Creates the (empty) staging table; temporary, so nothing of it outlives the session. */
    void create() {
        List<String> columns = new ArrayList<>();
        columns.add(PAGE + " INTEGER");
        columns.add(RECORD + " INTEGER");
        spec.columns().forEach(c -> columns.add(Sql.identifier(c.name()) + " VARCHAR"));
        if (spec.extraFields() == ExtraFields.KEEP) {
            columns.add(Sql.identifier(HttpSpec.EXTRA) + " VARCHAR");
        }
        session.execute("CREATE OR REPLACE TEMP TABLE " + TEXT + " (" + String.join(", ", columns) + ")");
    }

    /** Appends one page's records. */
    void append(HttpPages.Page page) {
        if (appender == null) {
            // Temporary tables are found by the schema name main when no table of main has their name.
            appender = session.appender("main", TEXT);
        }
        int index = 0;
        for (JsonNode record : page.records()) {
            index++;
            appender.append(row(page, index, record));
        }
        rows += index;
    }

    /** Closes the appender after a failed read, so that the session can be closed; what it held is dropped with it. */
    void abandon() {
        if (appender != null) {
            Appender open = appender;
            appender = null;
            try {
                open.close();
            } catch (RuntimeException e) {
                // The read failed already: that failure is the one to report.
            }
        }
    }

    long rows() {
        return rows;
    }

    private List<Object> row(HttpPages.Page page, int index, JsonNode record) {
        if (!record.isObject()) {
            throw new SluiceException(ErrorCode.RUN_FAILED, "GET %s (page %d): record %d is %s, not an object; set "
                    + "records: to the JSON path of the array of records", page.url(), page.number(), index,
                    record.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        List<Object> row = new ArrayList<>(spec.columns().size() + 3);
        row.add(page.number());
        row.add(index);
        for (Column column : spec.columns()) {
            row.add(text(column.path().in(record)));
        }
        if (spec.extraFields() != ExtraFields.IGNORE) {
            ObjectNode extra = null;
            for (Iterator<Map.Entry<String, JsonNode>> fields = record.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (read.contains(field.getKey())) {
                    continue;
                }
                if (spec.extraFields() == ExtraFields.REFUSE) {
                    throw new SluiceException(ErrorCode.RUN_FAILED, "GET %s (page %d): record %d has field '%s', "
                            + "which no column reads (extra_fields: refuse); declare it in columns:, or set "
                            + "extra_fields: keep or ignore", page.url(), page.number(), index, field.getKey());
                }
                extra = extra == null ? ((ObjectNode) record).objectNode() : extra;
                extra.set(field.getKey(), field.getValue());
            }
            if (spec.extraFields() == ExtraFields.KEEP) {
                row.add(extra == null ? null : extra.toString());
            }
        }
        return row;
    }

    /** A value as SQL casts it from text: strings as they are, numbers in plain notation, objects and arrays as JSON. */
    private static String text(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue();
        }
        if (value.isFloatingPointNumber()) {
            return value.decimalValue().toPlainString();
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    /**
     * The staged text cast to the declared types, as a parenthesised query the load reads once (no second copy of
     * the records); checked first, so that a value that does not cast fails here with its column, page and record.
     */
    String finish() {
        if (appender != null) {
            appender.close();
            appender = null;
        }
        List<String> casts = new ArrayList<>();
        for (Column column : spec.columns()) {
            casts.add("CAST(" + Sql.identifier(column.name()) + " AS " + column.type() + ") AS "
                    + Sql.identifier(column.name()));
        }
        if (spec.extraFields() == ExtraFields.KEEP) {
            casts.add("CAST(" + Sql.identifier(HttpSpec.EXTRA) + " AS JSON) AS " + Sql.identifier(HttpSpec.EXTRA));
        }
        SluiceException bad = badValue();
        if (bad != null) {
            throw bad;
        }
        return "(SELECT " + String.join(", ", casts) + " FROM " + TEXT + ")";
    }

    /** The first value, by page and record, that does not cast to its column's type; null when all do. */
    private SluiceException badValue() {
        List<String> fails = new ArrayList<>();
        for (Column column : spec.columns()) {
            String name = Sql.identifier(column.name());
            fails.add("CASE WHEN " + name + " IS NOT NULL AND TRY_CAST(" + name + " AS " + column.type()
                    + ") IS NULL THEN " + Sql.string(column.name()) + " END");
        }
        List<List<Object>> found = session.query("SELECT " + PAGE + ", " + RECORD + ", column_name FROM (SELECT "
                + PAGE + ", " + RECORD + ", coalesce(" + String.join(", ", fails) + ") AS column_name FROM " + TEXT
                + ") WHERE column_name IS NOT NULL ORDER BY 1, 2 LIMIT 1").values();
        if (found.isEmpty()) {
            return null;
        }
        List<Object> row = found.get(0);
        Column column = spec.columns().stream().filter(c -> c.name().equals(row.get(2))).findFirst().orElseThrow();
        Object value = session.query("SELECT " + Sql.identifier(column.name()) + " FROM " + TEXT + " WHERE " + PAGE
                + " = ? AND " + RECORD + " = ?", row.get(0), row.get(1)).single();
        return new SluiceException(ErrorCode.RUN_FAILED, "page %s, record %s: column %s cannot hold '%s' (%s); fix "
                + "its type in columns:", row.get(0), row.get(1), column.name(), value, column.type());
    }
}
