package dev.sluice.storage;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Keeps every column type of a model exact through its Parquet files, so that the lake view of a model describes
 * and returns what the same model built into the warehouse does. DuckDB writes a few types lossily: HUGEINT and
 * UHUGEINT as DOUBLE (digits lost), INTERVAL with milliseconds only, TIME WITH TIME ZONE normalised to UTC (its
 * offset lost). Those are written in a form that keeps them (DECIMAL(38,0), and their text for the other two), at
 * any depth of LIST, STRUCT and MAP. Other types come back exactly but as another type (TIMESTAMP_S as TIMESTAMP,
 * ENUM as VARCHAR, a fixed-size array as a list, BIT and BIGNUM as text, a UNION as a struct). The view casts every
 * column whose type read from the files differs back to the model's type.
 */
final class ParquetTypes {
    /** The widest exact number Parquet has: HUGEINT and UHUGEINT values are stored as it when they fit. */
    static final String HUGE = "DECIMAL(38,0)";

    /** A column of the model: its name and its DuckDB type as DESCRIBE writes it. */
    record Column(String name, String type) {
        Column {
            java.util.Objects.requireNonNull(name, "name");
            java.util.Objects.requireNonNull(type, "type");
        }

        /** The type the column is written as: its own where Parquet keeps it exactly. */
        String stored() {
            return storedType(type);
        }

        boolean rewritten() {
            return !stored().equals(type);
        }
    }

    private ParquetTypes() {
    }

    /** The columns of a relation of the session, in order. */
    static List<Column> columns(Session session, String relation) {
        List<Column> columns = new ArrayList<>();
        for (List<Object> row : session.query("DESCRIBE " + relation).values()) {
            columns.add(new Column((String) row.get(0), (String) row.get(1)));
        }
        return columns;
    }

    /** The select list that writes the columns in their stored types, keeping their names. */
    static String written(List<Column> columns) {
        List<String> select = new ArrayList<>();
        for (Column column : columns) {
            String name = Sql.identifier(column.name());
            select.add(column.rewritten() ? "CAST(" + name + " AS " + column.stored() + ") AS " + name : name);
        }
        return String.join(", ", select);
    }

    /**
     * The select list of a view over the files of {@code scan}: each column by the name the scan has
     * ({@code scanned}, keyed by the lower-case model name, for columns read from a hive folder), cast to the
     * model's type where the files hold another.
     */
    static String viewed(List<Column> columns, Map<String, Column> scanned) {
        List<String> select = new ArrayList<>();
        for (Column column : columns) {
            Column read = scanned.get(column.name().toLowerCase(Locale.ROOT));
            String name = Sql.identifier(column.name());
            if (read == null || read.type().equals(column.type())) {
                select.add(read == null || read.name().equals(column.name()) ? name
                        : Sql.identifier(read.name()) + " AS " + name);
            } else {
                select.add("CAST(" + Sql.identifier(read.name()) + " AS " + column.type() + ") AS " + name);
            }
        }
        return String.join(", ", select);
    }

    /** The columns a scan returns, keyed by lower-case name (percent-decoded: hive folders encode their names). */
    static Map<String, Column> scanned(Session session, String scan) {
        Map<String, Column> scanned = new HashMap<>();
        for (Column column : columns(session, "SELECT * FROM " + scan)) {
            scanned.put(LakeWriter.percentDecoded(column.name()).toLowerCase(Locale.ROOT), column);
        }
        return scanned;
    }

    /**
     * Refuses, before anything is written, rows whose HUGEINT or UHUGEINT values (at any depth) do not fit
     * {@value #HUGE}, naming the column and {@code what} (the model and its file): the rows of {@code source}, a
     * relation of the session. A value that does not fit comes back from a TRY_CAST and back as something else.
     */
    static void checkFits(Session session, String source, List<Column> columns, String what) {
        List<Column> huge = columns.stream().filter(column -> column.stored().contains(HUGE)).toList();
        if (huge.isEmpty()) {
            return;
        }
        List<String> counts = new ArrayList<>();
        for (Column column : huge) {
            String name = Sql.identifier(column.name());
            counts.add("count(*) FILTER (WHERE CAST(TRY_CAST(" + name + " AS " + column.stored() + ") AS "
                    + column.type() + ") IS DISTINCT FROM " + name + ")");
        }
        List<Object> failing = session.query("SELECT " + String.join(", ", counts) + " FROM " + source).values()
                .get(0);
        for (int i = 0; i < huge.size(); i++) {
            long rows = ((Number) failing.get(i)).longValue();
            if (rows > 0) {
                Column column = huge.get(i);
                throw new SluiceException(ErrorCode.RUN_FAILED, "Cannot write %s to Parquet: column %s (%s) holds "
                        + "values beyond %s in %d row(s); that is the widest exact number Parquet stores, and "
                        + "Sluice never writes a value rounded; cast the column to DECIMAL(38,0) or VARCHAR in the "
                        + "model, or keep the model in the warehouse (storage: { format: warehouse })", what,
                        column.name(), column.type(), HUGE, rows);
            }
        }
    }

    /**
     * A DuckDB type with every HUGEINT and UHUGEINT replaced by {@value #HUGE} and every INTERVAL and TIME WITH TIME
     * ZONE by VARCHAR, at any depth; names of STRUCT and UNION fields and quoted text (ENUM values) stay as they are.
     */
    static String storedType(String type) {
        StringBuilder out = new StringBuilder();
        // per open parenthesis: whether it lists named fields (STRUCT, UNION), whose names are not types
        Deque<Boolean> fields = new ArrayDeque<>();
        boolean expectName = false;
        String previousWord = "";
        int i = 0;
        while (i < type.length()) {
            char c = type.charAt(i);
            if (c == '"' || c == '\'') {
                int end = Sql.quotedEnd(type, i);
                out.append(type, i, end);
                i = end;
                expectName = false;
                previousWord = "";
            } else if (Character.isLetter(c) || c == '_') {
                int end = i;
                while (end < type.length() && (Character.isLetterOrDigit(type.charAt(end)) || type.charAt(end) == '_')) {
                    end++;
                }
                String word = type.substring(i, end);
                String upper = word.toUpperCase(Locale.ROOT);
                if (expectName) {
                    out.append(word);
                    expectName = false;
                } else if (upper.equals("HUGEINT") || upper.equals("UHUGEINT")) {
                    out.append(HUGE);
                } else if (upper.equals("INTERVAL")) {
                    out.append("VARCHAR");
                } else if (upper.equals("TIME") && type.regionMatches(true, end, " WITH TIME ZONE", 0, 15)) {
                    out.append("VARCHAR");
                    end += 15;
                } else if (upper.equals("TIMETZ")) {
                    out.append("VARCHAR");
                } else {
                    out.append(word);
                }
                previousWord = upper;
                i = end;
            } else {
                if (c == '(') {
                    boolean named = previousWord.equals("STRUCT") || previousWord.equals("UNION");
                    fields.push(named);
                    expectName = named;
                } else if (c == ')') {
                    fields.poll();
                    expectName = false;
                } else if (c == ',') {
                    expectName = Boolean.TRUE.equals(fields.peek());
                }
                if (!Character.isWhitespace(c)) {
                    previousWord = "";
                }
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }
}
