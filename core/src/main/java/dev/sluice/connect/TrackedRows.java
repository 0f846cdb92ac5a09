package dev.sluice.connect;

import static java.util.Objects.requireNonNull;

import dev.sluice.SluiceException;
import dev.sluice.SourceChange;
import dev.sluice.SourceResult;
import dev.sluice.catalog.DetectionRecord;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.project.Source;
import dev.sluice.quality.Rule;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Change detection by rows, shared by connectors whose data a session can read as a relation (an attached database's
 * table, a temporary table the connector fills), which is read without being changed:
 * <ul>
 *   <li>watermark: rows whose watermark column is above the last high-water mark (minus the overlap for clock
 *       skew); re-read rows are recognised by their hash (and key, when given) and never added twice;</li>
 *   <li>row hash: a hash of every row compared, key by key, with the hash last seen: new, changed and deleted keys.</li>
 * </ul>
 * The new and changed rows are tagged with the run ({@link Tracked}); the rows, the high-water mark and the
 * detection record commit together.
 */
public final class TrackedRows {
    static final String HASH = "_sluice_hash";
    /**
     * The column of a connector's relation holding a hash of each row computed by the source (hidden with the other
     * tags): row hashes then compare it instead of hashing every column in the warehouse.
     */
    public static final String SOURCE_HASH = "_sluice_source_hash";
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");

    private TrackedRows() {
    }

    /** How changes are found. */
    public enum Detection { WATERMARK, ROW_HASH }

    /**
     * What identifies new rows.
     *
     * @param watermark the monotonic column (required for {@link Detection#WATERMARK})
     * @param overlap how far below the last high-water mark to read again: a duration ({@code 1 hour}) for a time
     *     column, a number for an id column; null for none
     * @param key the columns identifying a row (required for {@link Detection#ROW_HASH}); with a watermark, re-read
     *     rows replace those with their key
     */
    public record Tracking(Detection detection, String watermark, String overlap, List<String> key) {
        public Tracking {
            requireNonNull(detection, "detection");
            key = List.copyOf(key);
            if (detection == Detection.WATERMARK) {
                requireNonNull(watermark, "watermark");
            }
            if (detection == Detection.ROW_HASH && key.isEmpty()) {
                throw new IllegalArgumentException("row hash detection needs a key");
            }
        }
    }

    /**
     * Loads what changed in the relation that {@code open} makes readable on the load's session (before its
     * transaction begins) and returns (quoted, or a parenthesised query).
     */
    public static SourceResult load(Source source, List<Rule> rules, LoadContext context, Tracking spec,
            Function<Session, String> open) {
        long start = System.nanoTime();
        Optional<String> previous = context.catalog().state().watermark(source.qualifiedName());
        try (Session session = context.engine().session()) {
            String external;
            try {
                external = open.apply(session);
            } catch (SluiceException e) {
                SourceResult result = context.failed(source, start, LoadContext.loadFailure(source, "",
                        e.getMessage()));
                context.record(session, result);
                return result;
            }
            session.begin();
            try {
                Tracked.replaceFullTable(session, source);
                List<String> columns = new ArrayList<>();
                session.query("DESCRIBE " + external).values().forEach(row -> columns.add((String) row.get(0)));
                // A hash the source computed itself (a JDBC source's md5 of each row) stands for the row's columns.
                String hash = columns.contains(SOURCE_HASH) ? "hash(" + Sql.identifier(SOURCE_HASH) + ")"
                        : "hash(" + String.join(", ", columns.stream().map(Sql::identifier).toList()) + ")";
                String filter = spec.detection() == Detection.WATERMARK && previous.isPresent()
                        && Tracked.exists(session, source)
                        ? " WHERE " + Sql.identifier(spec.watermark()) + " > " + lowerBound(session, source, spec,
                                previous.get()) : "";
                boolean firstLoad = !Tracked.exists(session, source);
                String read = "SELECT *, " + hash + " AS " + HASH + ", CAST(" + context.runId() + " AS BIGINT) AS "
                        + Tracked.RUN + " FROM " + external + filter;
                // Rows already held with the same content are not news: the delta leaves them out. (A filter of the
                // delta's own query, not a DELETE from it: on Spark the delta is a cached view, which has no DELETE.)
                session.execute("CREATE TEMP TABLE sluice_delta AS " + (firstLoad ? read : "SELECT * FROM (" + read
                        + ") AS d WHERE NOT EXISTS (SELECT 1 FROM " + Tracked.data(source) + " AS t WHERE t." + HASH
                        + " = d." + HASH + keyMatch(spec, "t", "d") + ")"));
                long changed = 0;
                long retracted = 0;
                if (!firstLoad) {
                    if (!spec.key().isEmpty()) {
                        changed = deleteCount(session, source, "EXISTS (SELECT 1 FROM sluice_delta AS d WHERE "
                                + keyEquals(spec, "t", "d") + ")");
                    }
                    if (spec.detection() == Detection.ROW_HASH) {
                        retracted = deleteCount(session, source, "NOT EXISTS (SELECT 1 FROM " + external
                                + " AS d WHERE " + keyEquals(spec, "t", "d") + ")");
                    }
                }
                long rows = session.query("SELECT count(*) FROM sluice_delta").singleLong();
                Tracked.append(session, source, "sluice_delta");
                session.execute("DROP TABLE sluice_delta");
                String watermark = previous.orElse(null);
                if (spec.detection() == Detection.WATERMARK) {
                    Object max = session.query("SELECT CAST(max(" + Sql.identifier(spec.watermark()) + ") AS VARCHAR) "
                            + "FROM " + Tracked.data(source)).single();
                    watermark = max == null ? null : max.toString();
                    if (watermark != null) {
                        context.catalog().state().recordWatermark(session, source.qualifiedName(), watermark,
                                context.runId());
                    }
                }
                SourceGates.Outcome checked = null;
                if (!rules.isEmpty() && rows > 0) {
                    // Gates check the newly loaded rows before any model reads them.
                    LoadContext.GateCheck gate = context.checkLoaded(session, source, rules, start);
                    if (gate.failure() != null) {
                        return gate.failure();
                    }
                    checked = gate.checked();
                }
                context.catalog().state().recordDetection(session, new DetectionRecord(context.runId(),
                        source.qualifiedName(), 0, 0, 0, 0, Math.max(0, rows - changed), changed, retracted, previous.orElse(null), watermark,
                        LoadContext.elapsed(start).toMillis(), null));
                SourceResult result = new SourceResult(source.qualifiedName(), true, rows, 0,
                        LoadContext.elapsed(start), null, checked == null ? List.of() : checked.results());
                context.record(session, result);
                session.commit();
                return result;
            } catch (SluiceException e) {
                session.rollback();
                SourceResult result = context.failed(source, start, LoadContext.loadFailure(source, "",
                        e.getMessage()));
                context.record(session, result);
                return result;
            }
        }
    }

    /** What the next {@link #load} would find, loading nothing: rows above the watermark, or changed row hashes. */
    public static SourceChange detect(Source source, Detector context, Tracking spec,
            Function<Session, String> open) {
        return spec.detection() == Detection.WATERMARK ? watermark(source, context, spec, open)
                : rowHash(source, context, open);
    }

    private static SourceChange watermark(Source source, Detector context, Tracking spec,
            Function<Session, String> open) {
        String previous = context.catalog() == null ? null
                : context.catalog().state().watermark(source.qualifiedName()).orElse(null);
        String column = Sql.identifier(spec.watermark());
        try (Session session = context.engine().session()) {
            String external = open.apply(session);
            String type = (String) session.query("SELECT column_type FROM (DESCRIBE " + external + ") WHERE "
                    + "column_name = ?", spec.watermark()).single();
            String filter = previous == null ? "" : " WHERE " + column + " > CAST(" + Sql.string(previous) + " AS "
                    + type + ")";
            List<Object> row = session.query("SELECT count(*), CAST(min(" + column + ") AS VARCHAR), CAST(max("
                    + column + ") AS VARCHAR) FROM " + external + filter).values().get(0);
            long rows = ((Number) row.get(0)).longValue();
            return new SourceChange(source.qualifiedName(), "watermark", String.format(Locale.ROOT,
                    "%d rows above the watermark %s%s; overlap re-read: %s", rows,
                    previous == null ? "(first load: all rows)" : previous,
                    rows == 0 ? "" : ", " + spec.watermark() + " from " + row.get(1) + " to " + row.get(2),
                    spec.overlap() == null ? "none" : spec.overlap()));
        }
    }

    private static SourceChange rowHash(Source source, Detector context, Function<Session, String> open) {
        try (Session session = context.engine().session()) {
            String external = open.apply(session);
            long rows = session.query("SELECT count(*) FROM " + external).singleLong();
            if (context.catalog() == null || context.engine().relationKind(source.schema(), source.table()
                    + Tracked.DATA_SUFFIX) == Engine.RelationKind.NONE) {
                return new SourceChange(source.qualifiedName(), "row_hash", rows + " rows, all new (first load)");
            }
            List<String> columns = session.query("DESCRIBE " + external).values().stream()
                    .map(row -> Sql.identifier((String) row.get(0))).toList();
            long differing = session.query("SELECT count(*) FROM " + external + " AS d WHERE "
                    + "NOT EXISTS (SELECT 1 FROM " + Tracked.data(source) + " AS t WHERE t." + HASH
                    + " = hash(" + String.join(", ", columns.stream().map(c -> "d." + c).toList()) + "))")
                    .singleLong();
            return new SourceChange(source.qualifiedName(), "row_hash", String.format(Locale.ROOT,
                    "%d rows, %d new or changed; deleted keys are found when it loads", rows, differing));
        }
    }

    /** The last high-water mark, less the overlap, as a literal of the watermark column's type. */
    private static String lowerBound(Session session, Source source, Tracking spec, String previous) {
        String type = (String) session.query("SELECT data_type FROM information_schema.columns WHERE table_catalog = "
                + "current_database() AND table_schema = ? AND table_name = ? AND column_name = ?", source.schema(),
                source.table() + Tracked.DATA_SUFFIX, spec.watermark()).single();
        String bound = "CAST(" + Sql.string(previous) + " AS " + type + ")";
        if (spec.overlap() == null) {
            return bound;
        }
        String overlap = spec.overlap().strip();
        return bound + " - " + (NUMBER.matcher(overlap).matches() ? overlap
                : "INTERVAL " + Sql.string(overlap.toLowerCase(Locale.ROOT)));
    }

    private static String keyEquals(Tracking spec, String left, String right) {
        return String.join(" AND ", spec.key().stream().map(Sql::identifier)
                .map(k -> left + "." + k + " IS NOT DISTINCT FROM " + right + "." + k).toList());
    }

    private static String keyMatch(Tracking spec, String left, String right) {
        return spec.key().isEmpty() ? "" : " AND " + keyEquals(spec, left, right);
    }

    /** Deletes the held rows matching {@code condition} (over alias t); returns how many. */
    private static long deleteCount(Session session, Source source, String condition) {
        long before = session.query("SELECT count(*) FROM " + Tracked.data(source)).singleLong();
        session.execute("DELETE FROM " + Tracked.data(source) + " AS t WHERE " + condition);
        return before - session.query("SELECT count(*) FROM " + Tracked.data(source)).singleLong();
    }
}
