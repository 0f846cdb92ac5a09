package dev.sluice.catalog;

import dev.sluice.engine.Appender;
import dev.sluice.engine.Cursor;
import dev.sluice.engine.Dialect;
import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What the stores see of a publish's warehouse session when the catalog is elsewhere: a catalog write becomes a row
 * of the {@link Outbox} in the warehouse session's transaction (its parameters written into it as literals, so that
 * it replays as it is); a read of the catalog reads the catalog, any other read (the CSV reader's rejected lines in
 * the session's temporary tables) the warehouse. Not thread-safe, as the session it wraps.
 */
final class OutboxSession implements Session {
    private final Outbox outbox;
    private final Session warehouse;
    private final String batch = UUID.randomUUID().toString();
    private long seq;

    OutboxSession(Outbox outbox, Session warehouse) {
        this.outbox = outbox;
        this.warehouse = warehouse;
    }

    /** True once this session has handed the outbox a write. */
    boolean wrote() {
        return seq > 0;
    }

    @Override
    public Dialect dialect() {
        return warehouse.dialect();
    }

    @Override
    public void execute(String sql, Object... parameters) {
        warehouse.execute("INSERT INTO " + Outbox.TABLE + " VALUES (?, ?, ?)", batch, ++seq, inlined(sql, parameters));
        outbox.written();
    }

    @Override
    public Rows query(String sql, Object... parameters) {
        if (!readsCatalog(sql)) {
            return warehouse.query(sql, parameters);
        }
        outbox.replayIfPossible();
        try (Session catalog = outbox.catalog().session()) {
            return catalog.query(sql, parameters);
        }
    }

    private static boolean readsCatalog(String sql) {
        return sql.contains("sluice.");
    }

    @Override
    public Cursor stream(String sql, Object... parameters) {
        if (!readsCatalog(sql)) {
            return warehouse.stream(sql, parameters);
        }
        throw new UnsupportedOperationException(getClass().getName() + " streams no catalog reads");
    }

    @Override
    public Appender appender(String schema, String table) {
        throw new UnsupportedOperationException(getClass().getName() + " loads no rows in bulk into " + schema + "."
                + table);
    }

    @Override
    public void begin() {
        throw new UnsupportedOperationException("the publish's transaction is its warehouse session's");
    }

    @Override
    public void commit() {
        throw new UnsupportedOperationException("the publish's transaction is its warehouse session's");
    }

    @Override
    public void rollback() {
        throw new UnsupportedOperationException("the publish's transaction is its warehouse session's");
    }

    @Override
    public void close() {
        // the warehouse session is its owner's to close
    }

    /** The statement with each {@code ?} outside quotes replaced by its parameter as a PostgreSQL literal. */
    static String inlined(String sql, Object... parameters) {
        StringBuilder text = new StringBuilder(sql.length() + 16 * parameters.length);
        int next = 0;
        int i = 0;
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"') {
                int end = Sql.quotedEnd(sql, i);
                text.append(sql, i, end);
                i = end;
            } else if (c == '?') {
                if (next >= parameters.length) {
                    throw new IllegalArgumentException("more placeholders than the " + parameters.length
                            + " parameters in: " + sql);
                }
                text.append(literal(parameters[next++]));
                i++;
            } else {
                text.append(c);
                i++;
            }
        }
        if (next != parameters.length) {
            throw new IllegalArgumentException(parameters.length + " parameters for " + next + " placeholders in: " + sql);
        }
        return text.toString();
    }

    private static String literal(Object value) {
        if (value instanceof Double number && (number.isNaN() || number.isInfinite())) {
            return "CAST(" + Sql.string(number.toString()) + " AS DOUBLE)";
        }
        if (value instanceof BigDecimal || value instanceof Number || value instanceof Boolean || value == null
                || value instanceof LocalDateTime || value instanceof java.time.LocalDate) {
            return Sql.literal(value);
        }
        if (value instanceof java.time.Instant instant) {
            return Sql.literal(LocalDateTime.ofInstant(instant, java.time.ZoneOffset.UTC));
        }
        if (value instanceof List<?> list) {
            return list.stream().map(OutboxSession::literal).collect(Collectors.joining(", ", "ARRAY[", "]"));
        }
        return Sql.string(value.toString());
    }
}
