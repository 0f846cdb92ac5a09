package dev.sluice.exec;

import dev.sluice.connect.Tracked;
import dev.sluice.catalog.ArrivalLatenessRecord;
import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.WindowBuildRecords;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Dialect;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.project.TimeWindow;
import dev.sluice.window.LatenessRecommendation;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.LongFunction;

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
     * What is measured already is read in that transaction, under a lock per source, column and clock. For a source
     * no other windowed model of the run reads, use {@link #measure(Session, List, TimeWindow, WindowBuildRecords)}.
     */
    void measure(List<TimedSource> sources, TimeWindow window) {
        String clock = window.clock().name().toLowerCase(Locale.ROOT);
        for (TimedSource source : sources) {
            if (source.loadsSinceCheckpoint().isEmpty()) {
                // No load since the model last read the source: nothing to measure, no transaction to open.
                continue;
            }
            Object lock = arrivalLocks.computeIfAbsent(source.source().qualifiedName() + "\u0000"
                    + source.column().toLowerCase(Locale.ROOT) + "\u0000" + clock, key -> new Object());
            synchronized (lock) {
                try (Session session = engine.session()) {
                    session.execute(session.dialect().useUtc());
                    session.begin();
                    String name = source.source().qualifiedName();
                    // Loads another model reading the same source and clock already measured are not scanned again.
                    Set<Long> measured = catalog.windows().measuredArrivals(session, name, source.column(), clock);
                    for (ArrivalLatenessRecord record : measureArrivals(session, source, window, measured,
                            run -> catalog.windows().eventFrontier(session, name, source.column(), run).orElse(null))) {
                        catalog.windows().recordArrivalLateness(session, record);
                    }
                    session.commit();
                }
            }
        }
    }

    /**
     * Measures the arrival of the loads the model has not read yet in {@code session}'s transaction (the model's
     * publishing one, whose session is in UTC), knowing from {@code records} (read before the build) which are
     * measured and the event frontier before each: for sources that no other windowed model of the run reads, so that
     * no concurrent build records the same load (their records are appended, without a conflict check). A
     * transaction, its commit and the catalog reads less per build; a failed build measures again on its next run.
     */
    void measure(Session session, List<TimedSource> sources, TimeWindow window, WindowBuildRecords records) {
        String clock = window.clock().name().toLowerCase(Locale.ROOT);
        List<ArrivalLatenessRecord> measured = new ArrayList<>();
        for (TimedSource source : sources) {
            String name = source.source().qualifiedName();
            measured.addAll(measureArrivals(session, source, window, records.measured(name, source.column(), clock),
                    run -> records.frontier(name, source.column(), run)));
        }
        catalog.windows().recordNewArrivals(session, measured);
    }

    /**
     * Measures, per run that loaded rows this model had not read yet and whose arrival is not {@code measured}, the
     * distribution of arrival minus event time of those rows (to record once per source, column and clock);
     * {@code frontier} gives the greatest measured event time before a run, or null.
     */
    private List<ArrivalLatenessRecord> measureArrivals(Session session, TimedSource source, TimeWindow window,
            Set<Long> measured, LongFunction<LocalDateTime> frontier) {
        List<ArrivalLatenessRecord> records = new ArrayList<>();
        String data = Tracked.data(source.source());
        String clock = window.clock().name().toLowerCase(Locale.ROOT);
        StringBuilder histogram = new StringBuilder();
        for (Long bound : LatenessRecommendation.BOUNDS) {
            histogram.append(", count(*) FILTER (WHERE lag <= ").append(bound).append(")");
        }
        for (TimedSource.Load load : source.loadsSinceCheckpoint()) {
            long loadedBy = load.run();
            if (measured.contains(loadedBy)) {
                continue;
            }
            String arrival;
            if (window.clock() == TimeWindow.Clock.PROCESSING) {
                arrival = Sql.literal(startOf(session, loadedBy));
            } else {
                LocalDateTime before = frontier.apply(loadedBy);
                arrival = before != null ? Sql.literal(before) : "(SELECT max(" + source.utc() + ") FROM "
                        + data + " AS d WHERE " + Tracked.RUN + " < " + loadedBy + ")";
            }
            // A row is late when it is behind what was seen before its load; its lag is measured on the clock the
            // run judges lateness by, which on the event clock includes the greatest event time of the same load
            // (a late row loaded with newer ones is that much later), so the advice matches what the run did.
            String newest = Sql.literal(load.maxEvent());
            String judged = window.clock() == TimeWindow.Clock.PROCESSING ? arrival
                    : "greatest(coalesce(" + arrival + ", " + newest + "), " + newest + ")";
            // Only the late rows are aggregated: the load's rows and greatest event time are known from the scan of
            // the new rows (WindowNewRows), so no FILTER per row and aggregate, and no second scan for the newest.
            Dialect dialect = session.dialect();
            List<Object> row = session.query("SELECT count(*), " + dialect.quantile("lag", 0.5) + ", "
                    + dialect.quantile("lag", 0.95) + ", " + dialect.quantile("lag", 0.99) + ", max(lag)" + histogram
                    + " FROM (SELECT " + dialect.microsBetween(source.utc(), judged) + " / 1e6 AS lag, "
                    + dialect.microsBetween(source.utc(), arrival) + " / 1e6 AS behind FROM " + data + " AS d WHERE "
                    + Tracked.RUN + " = " + loadedBy + ") AS rows_of_load WHERE behind > 0").values().get(0);
            StringBuilder json = new StringBuilder("{");
            for (int i = 0; i < LatenessRecommendation.BOUNDS.size(); i++) {
                json.append(i == 0 ? "" : ", ").append('"').append(LatenessRecommendation.BOUNDS.get(i)).append("\": ")
                        .append(((Number) row.get(5 + i)).longValue());
            }
            records.add(new ArrivalLatenessRecord(loadedBy, source.source().qualifiedName(), source.column(), clock,
                    load.rows(), ((Number) row.get(0)).longValue(), number(row.get(1)), number(row.get(2)),
                    number(row.get(3)), number(row.get(4)), json.append('}').toString(), load.maxEvent()));
        }
        return records;
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
