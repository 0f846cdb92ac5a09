package dev.sluice.exec;

import dev.sluice.SluiceException;
import dev.sluice.SourceResult;
import dev.sluice.catalog.DetectionRecord;
import dev.sluice.connect.SourceSql;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.project.Source;
import dev.sluice.project.SourceSpec;
import dev.sluice.quality.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Loads a table source whose changes are tracked, reading the external table without changing it:
 * <ul>
 *   <li>watermark: rows whose watermark column is above the last high-water mark (minus the overlap for clock
 *       skew); re-read rows are recognised by their hash (and key, when given) and never added twice;</li>
 *   <li>row hash: a hash of every row compared, key by key, with the hash last seen: new, changed and deleted keys.</li>
 * </ul>
 * The new and changed rows are tagged with this run; the rows, the high-water mark and the detection record commit
 * together.
 */
final class TableLoader {
    static final String HASH = "_sluice_hash";
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");


    private final LoadContext context;

    TableLoader(LoadContext context) {
        this.context = context;
    }

    SourceResult load(Source source, List<Rule> rules) {
        long start = System.nanoTime();
        SourceSpec.Table spec = (SourceSpec.Table) source.spec();
        Optional<String> previous = context.catalog().watermark(source.qualifiedName());
        try (Session session = context.engine().session()) {
            SourceSql.setup(source).ifPresent(session::execute);
            session.begin();
            try {
                Tracked.replaceFullTable(session, source);
                List<String> columns = new ArrayList<>();
                session.query("DESCRIBE " + SourceSql.externalTable(source)).values()
                        .forEach(row -> columns.add((String) row.get(0)));
                String hash = "hash(" + String.join(", ", columns.stream().map(Sql::identifier).toList()) + ")";
                String filter = spec.detection() == SourceSpec.TableDetection.WATERMARK && previous.isPresent()
                        && Tracked.exists(session, source)
                        ? " WHERE " + Sql.identifier(spec.watermark()) + " > " + lowerBound(session, source, spec,
                                previous.get()) : "";
                session.execute("CREATE TEMP TABLE sluice_delta AS SELECT *, " + hash + " AS " + HASH + ", CAST("
                        + context.runId() + " AS BIGINT) AS " + Tracked.RUN + " FROM " + SourceSql.externalTable(source) + filter);
                boolean firstLoad = !Tracked.exists(session, source);
                long changed = 0;
                long retracted = 0;
                if (!firstLoad) {
                    // Rows already held with the same content are not news: drop them from the delta.
                    session.execute("DELETE FROM sluice_delta AS d WHERE EXISTS (SELECT 1 FROM " + Tracked.data(source)
                            + " AS t WHERE t." + HASH + " = d." + HASH + keyMatch(spec, "t", "d") + ")");
                    if (!spec.key().isEmpty()) {
                        changed = deleteCount(session, source, "EXISTS (SELECT 1 FROM sluice_delta AS d WHERE "
                                + keyEquals(spec, "t", "d") + ")");
                    }
                    if (spec.detection() == SourceSpec.TableDetection.ROW_HASH) {
                        retracted = deleteCount(session, source, "NOT EXISTS (SELECT 1 FROM "
                                + SourceSql.externalTable(source) + " AS d WHERE " + keyEquals(spec, "t", "d") + ")");
                    }
                }
                long rows = session.query("SELECT count(*) FROM sluice_delta").singleLong();
                Tracked.append(session, source, "sluice_delta");
                session.execute("DROP TABLE sluice_delta");
                String watermark = previous.orElse(null);
                if (spec.detection() == SourceSpec.TableDetection.WATERMARK) {
                    Object max = session.query("SELECT CAST(max(" + Sql.identifier(spec.watermark()) + ") AS VARCHAR) "
                            + "FROM " + Tracked.data(source)).single();
                    watermark = max == null ? null : max.toString();
                    if (watermark != null) {
                        context.catalog().recordWatermark(session, source.qualifiedName(), watermark, context.runId());
                    }
                }
                GateRunner.Checked checked = null;
                if (!rules.isEmpty() && rows > 0) {
                    // Gates check the newly loaded rows before any model reads them.
                    LoadContext.GateCheck gate = context.checkLoaded(session, source, rules, start);
                    if (gate.failure() != null) {
                        return gate.failure();
                    }
                    checked = gate.checked();
                }
                context.catalog().recordDetection(session, new DetectionRecord(context.runId(), source.qualifiedName(), 0, 0, 0, 0,
                        Math.max(0, rows - changed), changed, retracted, previous.orElse(null), watermark,
                        LoadContext.elapsed(start).toMillis(), null));
                SourceResult result = new SourceResult(source.qualifiedName(), true, rows, 0, LoadContext.elapsed(start), null,
                        checked == null ? List.of() : checked.results());
                context.record(session, result);
                session.commit();
                return result;
            } catch (SluiceException e) {
                session.rollback();
                SourceResult result = context.failed(source, start, LoadContext.loadFailure(source, null, e.getMessage()));
                context.record(session, result);
                return result;
            }
        }
    }

    /** The last high-water mark, less the overlap, as a literal of the watermark column's type. */
    private static String lowerBound(Session session, Source source, SourceSpec.Table spec, String previous) {
        String type = (String) session.query("SELECT data_type FROM duckdb_columns() WHERE database_name = "
                + "current_database() AND schema_name = ? AND table_name = ? AND column_name = ?", source.schema(),
                source.table() + Tracked.DATA_SUFFIX, spec.watermark()).single();
        String bound = "CAST(" + Sql.string(previous) + " AS " + type + ")";
        if (spec.overlap() == null) {
            return bound;
        }
        String overlap = spec.overlap().strip();
        return bound + " - " + (NUMBER.matcher(overlap).matches() ? overlap
                : "INTERVAL " + Sql.string(overlap.toLowerCase(Locale.ROOT)));
    }

    private static String keyEquals(SourceSpec.Table spec, String left, String right) {
        return String.join(" AND ", spec.key().stream().map(Sql::identifier)
                .map(k -> left + "." + k + " IS NOT DISTINCT FROM " + right + "." + k).toList());
    }

    private static String keyMatch(SourceSpec.Table spec, String left, String right) {
        return spec.key().isEmpty() ? "" : " AND " + keyEquals(spec, left, right);
    }

    /** Deletes the held rows matching {@code condition} (over alias t); returns how many. */
    private static long deleteCount(Session session, Source source, String condition) {
        long before = session.query("SELECT count(*) FROM " + Tracked.data(source)).singleLong();
        session.execute("DELETE FROM " + Tracked.data(source) + " AS t WHERE " + condition);
        return before - session.query("SELECT count(*) FROM " + Tracked.data(source)).singleLong();
    }

}
