package dev.sluice.exec;

import dev.sluice.connect.Tracked;
import dev.sluice.catalog.ArrivalLatenessRecord;
import dev.sluice.catalog.Catalog;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Dialect;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.project.TimeWindow;
import dev.sluice.window.LatenessRecommendation;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Measures how late the rows of each load of a tracked source arrive, per event-time column and clock: what
 * {@code sluice windows --recommend} advises lateness from. Thread-safe: one instance per run.
 */
final class Arrivals {
    private final Engine engine;
    private final Catalog catalog;
    private final long runId;
    private final LocalDateTime runStart;
    /** One lock per source, event-time column and clock, held while a model measures that source's arrivals. */
    private final Map<String, Object> arrivalLocks = new java.util.concurrent.ConcurrentHashMap<>();

    Arrivals(Engine engine, Catalog catalog, long runId, LocalDateTime runStart) {
        this.engine = engine;
        this.catalog = catalog;
        this.runId = runId;
        this.runStart = runStart;
    }

    /**
     * Measures the arrival of the loads the model has not read yet, each in a transaction of its own committed before
     * the model's: they describe a source's loads, not the model, so that models reading one source and built at the
     * same time find each load measured by the first of them, instead of all inserting it and failing to commit.
     * For a source no other windowed model of the run reads, use {@link #measure(Session, List, TimeWindow)}.
     */
    void measure(List<TimedSource> sources, TimeWindow window) {
        String clock = window.clock().name().toLowerCase(Locale.ROOT);
        for (TimedSource source : sources) {
            if (!pending(source)) {
                // No load since the model last read the source: nothing to measure, no transaction to open.
                continue;
            }
            Object lock = arrivalLocks.computeIfAbsent(source.source().qualifiedName() + "\u0000"
                    + source.column().toLowerCase(Locale.ROOT) + "\u0000" + clock, key -> new Object());
            synchronized (lock) {
                try (Session session = engine.session()) {
                    session.execute(session.dialect().useUtc());
                    session.begin();
                    measureArrival(session, source, window);
                    session.commit();
                }
            }
        }
    }

    /**
     * Measures the arrival of the loads the model has not read yet in {@code session}'s transaction (the model's
     * publishing one, whose session is in UTC): for sources that no other windowed model of the run reads, so that no
     * concurrent build records the same load. A transaction and its commit less per build; a failed build measures
     * again on its next run.
     */
    void measure(Session session, List<TimedSource> sources, TimeWindow window) {
        for (TimedSource source : sources) {
            if (pending(source)) {
                measureArrival(session, source, window);
            }
        }
    }

    private static boolean pending(TimedSource source) {
        return source.latest() > Math.max(0, source.checkpoint());
    }

    /**
     * Records, per run that loaded rows this model had not read yet, the distribution of arrival minus event time
     * of those rows (once per source, column and clock).
     */
    private void measureArrival(Session session, TimedSource source, TimeWindow window) {
        String data = Tracked.data(source.source());
        String clock = window.clock().name().toLowerCase(Locale.ROOT);
        // Loads another model reading the same source and clock already measured are not scanned again.
        Set<Long> measured = catalog.windows().measuredArrivals(session, source.source().qualifiedName(),
                source.column(), clock);
        List<Object> runs = session.query("SELECT DISTINCT " + Tracked.RUN + " FROM " + data + " WHERE " + Tracked.RUN
                + " > ? ORDER BY 1", Math.max(0, source.checkpoint())).values().stream().map(r -> r.get(0))
                .filter(run -> !measured.contains(((Number) run).longValue())).toList();
        StringBuilder histogram = new StringBuilder();
        for (Long bound : LatenessRecommendation.BOUNDS) {
            histogram.append(", count(*) FILTER (WHERE behind > 0 AND lag <= ").append(bound).append(")");
        }
        for (Object run : runs) {
            long loadedBy = ((Number) run).longValue();
            String arrival;
            if (window.clock() == TimeWindow.Clock.PROCESSING) {
                arrival = Sql.literal(startOf(session, loadedBy));
            } else {
                Optional<LocalDateTime> frontier = catalog.windows().eventFrontier(session,
                        source.source().qualifiedName(), source.column(), loadedBy);
                arrival = frontier.isPresent() ? Sql.literal(frontier.get()) : "(SELECT max(" + source.utc() + ") FROM "
                        + data + " AS d WHERE " + Tracked.RUN + " < " + loadedBy + ")";
            }
            // A row is late when it is behind what was seen before its load; its lag is measured on the clock the
            // run judges lateness by, which on the event clock includes the greatest event time of the same load
            // (a late row loaded with newer ones is that much later), so the advice matches what the run did.
            String judged = window.clock() == TimeWindow.Clock.PROCESSING ? arrival
                    : "greatest(coalesce(" + arrival + ", m.newest), m.newest)";
            Dialect dialect = session.dialect();
            List<Object> row = session.query("SELECT count(*), count(*) FILTER (WHERE behind > 0), "
                    + dialect.quantile("lag", 0.5) + " FILTER (WHERE behind > 0), " + dialect.quantile("lag", 0.95)
                    + " FILTER (WHERE behind > 0), " + dialect.quantile("lag", 0.99) + " FILTER (WHERE behind > 0), "
                    + "max(lag) FILTER (WHERE behind > 0)" + histogram + ", max(event) FROM (SELECT "
                    + dialect.microsBetween(source.utc(), judged) + " / 1e6 AS lag, "
                    + dialect.microsBetween(source.utc(), arrival) + " / 1e6 AS behind, " + source.utc()
                    + " AS event FROM " + data + " AS d, (SELECT max("
                    + source.utc() + ") AS newest FROM " + data + " AS d WHERE " + Tracked.RUN + " = " + loadedBy
                    + ") AS m WHERE " + Tracked.RUN + " = " + loadedBy + ")").values().get(0);
            StringBuilder json = new StringBuilder("{");
            for (int i = 0; i < LatenessRecommendation.BOUNDS.size(); i++) {
                json.append(i == 0 ? "" : ", ").append('"').append(LatenessRecommendation.BOUNDS.get(i)).append("\": ")
                        .append(((Number) row.get(6 + i)).longValue());
            }
            catalog.windows().recordArrivalLateness(session, new ArrivalLatenessRecord(loadedBy,
                    source.source().qualifiedName(), source.column(), clock, ((Number) row.get(0)).longValue(),
                    ((Number) row.get(1)).longValue(), number(row.get(2)), number(row.get(3)), number(row.get(4)),
                    number(row.get(5)), json.append('}').toString(),
                    (LocalDateTime) row.get(6 + LatenessRecommendation.BOUNDS.size())));
        }
    }

    /** When a run started, in UTC (runs record their start in the local time of the machine). */
    private LocalDateTime startOf(Session session, long run) {
        if (run == runId) {
            return runStart;
        }
        LocalDateTime local = catalog.runs().startedAt(session, run);
        return local.atZone(ZoneId.systemDefault()).withZoneSameInstant(ZoneOffset.UTC)
                .toLocalDateTime();
    }

    private static Double number(Object value) {
        return value == null ? null : ((Number) value).doubleValue();
    }
}
