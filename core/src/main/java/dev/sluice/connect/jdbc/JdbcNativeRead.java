package dev.sluice.connect.jdbc;

import dev.sluice.connect.NativeReads;
import dev.sluice.engine.Session;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code type: jdbc} source's planned read handed to an engine that reads databases itself ({@link NativeReads}):
 * the same queries as {@link JdbcReader} sends (the watermark pushed down, one query per partition range, the
 * conversions of {@link JdbcTypes}), each value written in, and what the engine converts after: a decimal that must
 * not lose a digit travels as its text, an instant as its UTC time, JSON and bytes as text. Stateless.
 */
final class JdbcNativeRead {
    private JdbcNativeRead() {
    }

    /** The engine's JDBC reader of {@code session}, if it has one. */
    static Optional<NativeReads> reader(Session session) {
        return NativeReads.of(session).filter(NativeReads::readsJdbc);
    }

    /** Makes the planned read the temporary view {@code view} of the session, through the engine's reader. */
    static void stage(NativeReads reader, Session session, JdbcSpec spec, boolean postgres, JdbcReader.Plan plan,
            String view) {
        reader.jdbc(session, read(spec, postgres, plan), view);
    }

    static NativeReads.JdbcRead read(JdbcSpec spec, boolean postgres, JdbcReader.Plan plan) {
        List<JdbcColumn> sent = new ArrayList<>();
        List<NativeReads.JdbcColumn> columns = new ArrayList<>();
        String quote = plan.reads().get(0).quote();
        for (JdbcColumn column : plan.columns()) {
            NativeReads.Sent how = sent(column, postgres);
            // PostgreSQL writes a decimal's every digit as text; the engine checks that its type holds them all.
            String select = how == NativeReads.Sent.DECIMAL_TEXT ? "CAST(" + column.select() + " AS text)"
                    : column.select();
            // The engine's reader finds the columns by name: each conversion named after its column.
            sent.add(new JdbcColumn(column.name(), select + " AS " + JdbcQuery.quoted(column.name(), quote),
                    column.read(), column.stageType(), column.finish(), column.type()));
            columns.add(new NativeReads.JdbcColumn(column.name(), how, column.type()));
        }
        if (plan.sourceHash()) {
            columns.add(new NativeReads.JdbcColumn(JdbcQuery.SOURCE_HASH, NativeReads.Sent.VALUE, "VARCHAR"));
        }
        List<String> queries = plan.reads().stream().map(read -> read.copy(sent, plan.sourceHash())).toList();
        Map<String, String> properties = new LinkedHashMap<>();
        if (spec.user() != null) {
            properties.put("user", spec.user());
        }
        if (spec.password() != null && !spec.password().isEmpty()) {
            properties.put("password", spec.password());
        }
        if (spec.driver() != null) {
            properties.put("driver", spec.driver());
        }
        if (postgres) {
            properties.put("ApplicationName", JdbcDatabase.APPLICATION);
        }
        String source = (spec.table() != null ? "table " + spec.table() : "the query") + " on "
                + JdbcDatabase.server(spec);
        return new NativeReads.JdbcRead(source, spec.url(), properties, queries, columns, spec.fetchSize());
    }

    /** What the source's query gives for the column, by the final type {@link JdbcTypes} chose. */
    static NativeReads.Sent sent(JdbcColumn column, boolean postgres) {
        String type = column.type();
        if (column.direct()) {
            return postgres && column.read() == JdbcColumn.Read.DECIMAL_CHECKED ? NativeReads.Sent.DECIMAL_TEXT
                    : NativeReads.Sent.VALUE;
        }
        if (type.equals("TIMESTAMPTZ")) {
            return NativeReads.Sent.UTC_TIMESTAMP;
        }
        if (type.equals("BLOB")) {
            return NativeReads.Sent.HEX_TEXT;
        }
        return NativeReads.Sent.JSON_TEXT;
    }
}
