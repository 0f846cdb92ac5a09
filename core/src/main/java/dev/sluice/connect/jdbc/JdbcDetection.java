package dev.sluice.connect.jdbc;

import dev.sluice.SourceChange;
import dev.sluice.connect.Detector;
import dev.sluice.engine.Engine;
import dev.sluice.connect.Tracked;
import dev.sluice.project.Source;
import dev.sluice.project.SourceSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * What the next load of a tracked JDBC source would find, asked of the source itself without staging anything (for
 * {@code sluice plan}): the rows above the watermark, or how many rows a row-hash comparison will look at.
 */
final class JdbcDetection {
    private JdbcDetection() {
    }

    static SourceChange detect(Source source, Detector context) {
        JdbcSpec spec = (JdbcSpec) source.spec();
        boolean loaded = context.catalog() != null && context.engine().relationKind(source.schema(), source.table()
                + Tracked.DATA_SUFFIX) != Engine.RelationKind.NONE;
        String previous = loaded && spec.detection() == SourceSpec.TableDetection.WATERMARK
                ? context.catalog().state().watermark(source.qualifiedName()).orElse(null) : null;
        try (JdbcDatabase database = JdbcDatabase.open(source, 1, UnaryOperator.identity());
                Connection connection = database.connect()) {
            try {
                JdbcQuery query = JdbcQuery.of(spec, connection.getMetaData().getIdentifierQuoteString().strip());
                if (spec.detection() == SourceSpec.TableDetection.ROW_HASH) {
                    long rows = count(connection, query);
                    return new SourceChange(source.qualifiedName(), "row_hash", loaded
                            ? rows + " rows; new, changed and deleted keys are found when it loads"
                            : rows + " rows, all new (first load)");
                }
                String column = query.column(spec.watermark());
                if (previous != null) {
                    query = query.where(column + " > ?", previous);
                }
                try (PreparedStatement statement = prepare(connection, query, "count(*), CAST(min(" + column
                        + ") AS varchar(64)), CAST(max(" + column + ") AS varchar(64))");
                        ResultSet result = statement.executeQuery()) {
                    result.next();
                    long rows = result.getLong(1);
                    return new SourceChange(source.qualifiedName(), "watermark", String.format(Locale.ROOT,
                            "%d rows above the watermark %s%s; overlap re-read: %s", rows,
                            previous == null ? "(first load: all rows)" : previous,
                            rows == 0 ? "" : ", " + spec.watermark() + " from " + result.getString(2) + " to "
                                    + result.getString(3), spec.overlap() == null ? "none" : spec.overlap()));
                }
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            return new SourceChange(source.qualifiedName(), spec.detection().name().toLowerCase(Locale.ROOT),
                    "cannot ask " + JdbcDatabase.server(spec) + ": " + JdbcDatabase.rootMessage(e));
        } catch (dev.sluice.SluiceException e) {
            // Unreachable: plan says so for this source and goes on with the others.
            return new SourceChange(source.qualifiedName(), spec.detection().name().toLowerCase(Locale.ROOT),
                    e.getMessage());
        }
    }

    private static long count(Connection connection, JdbcQuery query) throws SQLException {
        try (PreparedStatement statement = prepare(connection, query, "count(*)");
                ResultSet result = statement.executeQuery()) {
            result.next();
            return result.getLong(1);
        }
    }

    private static PreparedStatement prepare(Connection connection, JdbcQuery query, String list)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(query.select(list));
        JdbcQuery.bind(statement, query.parameters());
        return statement;
    }
}
