package dev.sluice.exec;

import dev.sluice.Backfill;
import dev.sluice.ErrorCode;
import dev.sluice.ModelResult;
import dev.sluice.ModelStatus;
import dev.sluice.QualityResult;
import dev.sluice.SluiceException;
import dev.sluice.catalog.ArrivalLatenessRecord;
import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.IntervalRecord;
import dev.sluice.catalog.LateRowsRecord;
import dev.sluice.catalog.ModelRunRecord;
import dev.sluice.catalog.WindowRunRecord;
import dev.sluice.connect.SourceSql;
import dev.sluice.engine.Engine;
import dev.sluice.engine.EngineOptions;
import dev.sluice.engine.Engines;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.plan.ColumnType;
import dev.sluice.plan.PlannedModel;
import dev.sluice.plan.ProjectPlan;
import dev.sluice.project.Model;
import dev.sluice.project.Project;
import dev.sluice.project.Source;
import dev.sluice.project.SourceSpec;
import dev.sluice.project.TimeWindow;
import dev.sluice.quality.Rule;
import dev.sluice.window.IndexRange;
import dev.sluice.window.IntervalGrid;
import dev.sluice.window.IntervalState;
import dev.sluice.window.IntervalStates;
import dev.sluice.window.Lateness;
import dev.sluice.window.LatenessRecommendation;
import dev.sluice.window.RangeSet;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import dev.sluice.project.StorageSpec;
import dev.sluice.storage.IntervalLake;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Builds windowed models interval by interval. Each build finds the complete intervals not yet built (pending), the
 * built intervals that late records, rebuilt upstream intervals or a backfill affect, builds them all (in batches of
 * {@code batch_size} intervals per query) into a staging table, audits it, and replaces exactly those intervals'
 * rows in the published table, together with the interval states, late-data records and checkpoints, in one
 * transaction: a failed or killed build leaves every interval in its old state. Thread-safe (one instance per run).
 */
final class WindowBuilder {
    /** The suffix of the table that holds a lake model's rows beside its view. */
    static final String INTERVALS_SUFFIX = "__sluice_intervals";

    static final String LATE_SUFFIX = "__late";

    private final Project project;
    private final ProjectPlan plan;
    private final Engine engine;
    private final Catalog catalog;
    private final long runId;
    private final boolean fullRefresh;
    private final Backfill backfill;
    private final LocalDateTime runStart;
    /** One lock per source, event-time column and clock, held while a model measures that source's arrivals. */
    private final Map<String, Object> arrivalLocks = new java.util.concurrent.ConcurrentHashMap<>();

    /** {@code backfill} may be null; {@code runStart} is the run's wall-clock start in UTC. */
    WindowBuilder(Project project, ProjectPlan plan, Engine engine, Catalog catalog, long runId, boolean fullRefresh,
            Backfill backfill, LocalDateTime runStart) {
        this.project = project;
        this.plan = plan;
        this.engine = engine;
        this.catalog = catalog;
        this.runId = runId;
        this.fullRefresh = fullRefresh;
        this.backfill = backfill;
        this.runStart = runStart;
    }

    /** A tracked source the model reads whose rows carry the model's time column. */
    private record TimedSource(Source source, String column, String type, String utc, long checkpoint, long latest,
            LocalDateTime maxEvent) {
    }

    /** Late rows of one source for one interval, loaded by one run. */
    private record LateGroup(TimedSource source, long index, long arrivalRun, long rows, double lateness,
            Lateness.Disposition disposition) {
    }

    /** Builds a windowed model; {@code read} is what it reads, for its run lineage. */
    ModelResult build(ModelBuilder builder, PlannedModel planned, List<Rule> rules, String runReason,
            List<RunInputs.Input> read) {
        Model model = planned.model();
        TimeWindow window = model.time();
        IntervalGrid grid = new IntervalGrid(window.start(), window.grain());
        LocalDateTime startedAt = LocalDateTime.now();
        long start = System.nanoTime();
        Optional<ColumnType> outputColumn = planned.columns().stream()
                .filter(c -> c.name().equalsIgnoreCase(window.column())).findFirst();
        if (outputColumn.isEmpty()) {
            return builder.notBuilt(planned, ModelStatus.FAILED, runReason, String.format("Cannot build windowed model "
                    + "%s (%s): its time column '%s' is not among its output columns (%s); select it or name another "
                    + "column in time.column", model.name(), model.relativeFile(), window.column(), String.join(", ",
                    planned.columns().stream().map(ColumnType::name).toList())));
        }
        String outputUtc;
        List<TimedSource> sources;
        try {
            outputUtc = utc(Sql.identifier(outputColumn.get().name()), outputColumn.get().type(), model.name() + "."
                    + window.column());
            sources = timedSources(planned, window);
        } catch (SluiceException e) {
            return builder.notBuilt(planned, ModelStatus.FAILED, runReason, String.format("Cannot build windowed model "
                    + "%s (%s): %s", model.name(), model.relativeFile(), e.getMessage()));
        }

        String fullReason = fullReason(planned, sources);
        boolean full = fullReason != null;
        // A full build folds in every load so far, including those that only retracted rows (they add no row, so
        // the newest row's run would leave the retraction after the checkpoint and rebuild on every run).
        Map<TimedSource, Long> checkpoints = new HashMap<>();
        sources.forEach(source -> checkpoints.put(source, full
                ? Math.max(source.latest(), catalog.lastLoad(source.source().qualifiedName())) : source.latest()));
        IntervalStates before = full ? IntervalStates.NONE : states(model, grid);
        LocalDateTime horizon = horizon(planned, window, sources);
        long complete = Math.max(0, grid.index(horizon));
        RangeSet pending = complete == 0 ? RangeSet.EMPTY
                : RangeSet.of(new IndexRange(0, complete)).minus(before.done());

        List<LateGroup> late = full ? List.of() : lateGroups(window, grid, before, sources);
        long lookback = grid.intervalsIn(window.lookback());
        List<Long> lateIndexes = late.stream().filter(g -> g.disposition().rebuilds()).map(LateGroup::index).toList();
        RangeSet affected = RangeSet.ofIndexes(lateIndexes).widenedBy(lookback)
                .union(upstreamChanged(planned, grid, before, lookback));
        RangeSet restated = restated(model, grid, complete);
        RangeSet rebuild = affected.union(restated).intersect(before.done());
        RangeSet work = pending.union(rebuild);

        List<String> why = new ArrayList<>();
        if (full) {
            why.add(fullReason);
        }
        // Only built intervals are restated: the rest of the range is pending (built above) or not complete yet.
        describe(why, pending, rebuild, late, restated.intersect(before.done()), grid);
        if (backfill != null && backfill.model().equalsIgnoreCase(model.name())
                && restated.intersect(before.done()).isEmpty()) {
            why.add("backfill: nothing restated: no interval of " + model.name() + " from " + backfill.from()
                    + " to " + backfill.to() + " has been built"
                    + (complete == 0 ? "" : " (complete intervals end at " + grid.startOf(complete) + ")"));
        }
        boolean upToDate = work.isEmpty() && late.isEmpty() && !full;
        if (upToDate) {
            why.add(0, Freshness.UP_TO_DATE + "no complete interval pending (complete until "
                    + grid.startOf(before.completeUntil(0)) + ") and no late rows");
        }
        // The reason of a model up to date begins with why nothing was done.
        String reason = upToDate ? String.join("; ", why) + "; " + runReason : runReason + "; " + String.join("; ", why);

        measureArrivals(sources, window);
        // A lake model claims its version folder before the transaction begins (which then sees the claim); a build
        // that does not publish it gives it up.
        Path claimed = null;
        if (lake(model)) {
            try {
                claimed = builder.lakeVersions().claim(model, runId);
            } catch (SluiceException e) {
                return builder.notBuilt(planned, ModelStatus.FAILED, reason, String.format("Cannot build windowed "
                        + "model %s (%s): %s", model.name(), model.relativeFile(), e.getMessage()));
            }
        }
        boolean published = false;
        try (Session session = engine.session()) {
            session.execute("SET TimeZone = 'UTC'");
            session.begin();
            GateRunner.Checked checked = null;
            Path version = null;
            try {
                builder.checkWarehouseSpace(session, model, full);
                String table = Sql.qualified(model.schema(), storedName(model));
                String staging = Sql.qualified(model.schema(), model.name() + ModelBuilder.STAGING_SUFFIX);
                List<LateRowsRecord> lateRecords = lateRecords(model, grid, late, complete);
                // Recorded before building, so that the input filters leave quarantined and dropped rows out.
                catalog.recordLateRows(session, lateRecords);
                session.execute("DROP TABLE IF EXISTS " + staging);
                // fullReason rebuilds everything when the table is missing: a model built in part has its table
                boolean exists = !full;
                if (full) {
                    ModelBuilder.dropExisting(session, model);
                    session.execute("DROP TABLE IF EXISTS " + table);
                }
                List<RangeSet> batches = work.chunks(window.batchSize());
                for (int i = 0; i < batches.size(); i++) {
                    RangeSet batch = batches.get(i);
                    String sql = windowSql(planned, grid, sources, batch);
                    session.execute("SET VARIABLE window_start = " + Sql.literal(grid.startOf(batch.first())));
                    session.execute("SET VARIABLE window_end = " + Sql.literal(grid.startOf(batch.end())));
                    String select = "SELECT * FROM (" + sql + ") AS sluice_window WHERE "
                            + inRanges(outputUtc, grid, batch);
                    session.execute(i == 0 ? "CREATE TABLE " + staging + " AS " + select
                            : "INSERT INTO " + staging + " " + select);
                }
                if (batches.isEmpty() && !exists) {
                    // No complete interval yet: the table exists, empty, for the models that read it.
                    session.execute("SET VARIABLE window_start = " + Sql.literal(window.start()));
                    session.execute("SET VARIABLE window_end = " + Sql.literal(window.start()));
                    session.execute("CREATE TABLE " + staging + " AS SELECT * FROM ("
                            + windowSql(planned, grid, sources, RangeSet.EMPTY) + ") WHERE false");
                }
                boolean staged = !batches.isEmpty() || !exists;
                if (staged && !rules.isEmpty()) {
                    checked = builder.gates.check(session, model, rules, staging);
                    if (!checked.passed()) {
                        session.rollback();
                        return builder.gateFailed(session, planned, checked, start, startedAt, reason);
                    }
                    builder.gates.quarantine(session, checked, model.schema(), model.name(), staging);
                }
                NavigableMap<Long, long[]> counts = new TreeMap<>();
                NavigableMap<Long, LocalDateTime> maxima = new TreeMap<>();
                long written = 0;
                if (staged) {
                    for (List<Object> row : session.query("SELECT " + grid.indexSql(outputUtc) + ", count(*), max("
                            + outputUtc + ") FROM " + staging + " GROUP BY ALL").values()) {
                        long index = ((Number) row.get(0)).longValue();
                        counts.put(index, new long[] {((Number) row.get(1)).longValue()});
                        maxima.put(index, (LocalDateTime) row.get(2));
                        written += ((Number) row.get(1)).longValue();
                    }
                    if (!exists) {
                        session.execute("ALTER TABLE " + staging + " RENAME TO " + Sql.identifier(storedName(model)));
                    } else {
                        checkColumns(session, table, staging);
                        session.execute("DELETE FROM " + table + " WHERE " + inRanges(outputUtc, grid, work));
                        session.execute("INSERT INTO " + table + " BY NAME SELECT * FROM " + staging);
                        session.execute("DROP TABLE " + staging);
                    }
                }
                quarantineLate(session, model, grid, late);
                if (lake(model)) {
                    Path current = builder.lakeVersions().current(session, model);
                    if (staged || current == null) {
                        version = publishLake(session, model, grid, outputUtc, table, full ? null : work, current,
                                claimed);
                        builder.lakeVersions().publish(session, model, runId);
                    }
                }
                IntervalStates after = before;
                for (IndexRange range : pending.ranges()) {
                    after = after.with(state(range, IntervalState.State.PROCESSED, counts, maxima));
                }
                for (IndexRange range : rebuild.ranges()) {
                    after = after.with(state(range, IntervalState.State.REPROCESSED, counts, maxima));
                }
                for (LateGroup group : late) {
                    if (!group.disposition().rebuilds() && !rebuild.contains(group.index())) {
                        IntervalState old = after.at(group.index()).orElseThrow();
                        after = after.with(new IntervalState(new IndexRange(group.index(), group.index() + 1),
                                IntervalState.State.LATE_CLOSED, old.runId(), 0, null));
                    }
                }
                after = recount(session, table, outputUtc, grid, before, after);
                if (full) {
                    catalog.forgetIntervals(session, model.qualifiedName());
                }
                Set<IntervalState> kept = new HashSet<>(after.states());
                Set<IntervalState> was = new HashSet<>(before.states());
                catalog.replaceIntervals(session, model.qualifiedName(), before.states().stream()
                        .filter(state -> !kept.contains(state)).map(state -> grid.startOf(state.range().from()))
                        .toList(), records(model, grid, after.states().stream()
                                .filter(state -> !was.contains(state)).toList()));
                long rowsRebuilt = rebuild.ranges().stream().mapToLong(r -> sum(counts, r)).sum();
                Map<Lateness.Disposition, Long> byFate = new EnumMap<>(Lateness.Disposition.class);
                late.forEach(g -> byFate.merge(g.disposition(), g.rows(), Long::sum));
                long completeUntil = after.completeUntil(0);
                catalog.recordWindowRun(session, new WindowRunRecord(runId, model.qualifiedName(), pending.size(),
                        rebuild.size(), written, rowsRebuilt, byFate.getOrDefault(Lateness.Disposition.REBUILT, 0L),
                        byFate.getOrDefault(Lateness.Disposition.REPROCESSED, 0L),
                        byFate.getOrDefault(Lateness.Disposition.QUARANTINED, 0L),
                        byFate.getOrDefault(Lateness.Disposition.DROPPED, 0L),
                        byFate.getOrDefault(Lateness.Disposition.REASSIGNED, 0L),
                        completeUntil == 0 ? null : grid.startOf(completeUntil), String.join("; ", why)));
                for (TimedSource source : sources) {
                    catalog.recordCheckpoint(session, model.qualifiedName(), source.source().qualifiedName(),
                            checkpoints.get(source), runId);
                }
                List<QualityResult> quality = checked == null ? List.of() : checked.results();
                // Up to date, it shows its table's rows (nothing was written); rebuilt, the rows written.
                ModelResult result = upToDate
                        ? builder.result(model, ModelStatus.UP_TO_DATE, session.query("SELECT count(*) FROM " + table)
                                .singleLong(), start, reason, null, quality)
                        : builder.result(model, ModelStatus.SUCCESS, written, start, reason, null, quality);
                if (checked != null) {
                    builder.gates.record(session, checked, true);
                }
                catalog.recordModelRun(session, builder.record(planned, result, null, startedAt));
                catalog.recordRunLineage(session, runId, model.qualifiedName(), "success", inputs(read, sources, grid,
                        work), written, model.sqlHash(), planned.executableSql(), ModelBuilder.verdicts(quality),
                        engine.version(), builder.parameters);
                FaultPoints.reach(FaultPoints.COMMIT, model.name(), session);
                session.commit();
                published = version != null;
                // Best effort: the published intervals are complete, and nothing here touches them or the record.
                try {
                    FaultPoints.reach(FaultPoints.AFTER_COMMIT, model.name(), session);
                    if (version != null) {
                        builder.lakeVersions().cleanUp(model);
                    }
                } catch (RuntimeException e) {
                    result = builder.warned(model, result, e);
                }
                builder.remember(model, result, checked, true);
                return result;
            } catch (RuntimeException e) {
                // only before the commit: the claimed lake version is given up below
                ModelBuilder.rollback(session, e);
                String error = String.format("Cannot build windowed model %s (%s): %s", model.name(),
                        model.relativeFile(), ModelBuilder.describe(e));
                ModelResult result = builder.recorded(session, planned, builder.result(model, ModelStatus.FAILED, null,
                        start, reason, error, List.of()), startedAt);
                builder.remember(model, result, checked, false);
                return result;
            }
        } finally {
            if (claimed != null && !published) {
                try {
                    builder.lakeVersions().abandon(model, runId, claimed);
                } catch (RuntimeException e) {
                    // the claim stays recorded as a version that is not current: the model's next publish deletes it
                }
            }
        }
    }

    /** True for a windowed model written to a Parquet lake folder ({@code storage: { format: parquet }}). */
    private static boolean lake(Model model) {
        return model.storage().effectiveFormat() == StorageSpec.Format.PARQUET;
    }

    /**
     * The table holding a windowed model's rows: the model's own name, or for a lake model a table beside the view
     * that reads its lake folder (the rows an interval rebuild replaces, and what its partitions are written from).
     */
    static String storedName(Model model) {
        return lake(model) ? model.name() + INTERVALS_SUFFIX : model.name();
    }

    /**
     * Writes a new version of a lake model's folder: the partitions holding the intervals of {@code work} (all of
     * them when null) written from the table, the others linked from the current version; the view reads it.
     */
    private Path publishLake(Session session, Model model, IntervalGrid grid, String timeSql, String table,
            RangeSet work, Path current, Path target) {
        IntervalLake.Unit unit = IntervalLake.unitFor(grid.grain().calendar() ? 0 : grid.grain().seconds());
        java.util.Set<String> rewritten = null;
        if (work != null && current != null) {
            rewritten = new java.util.TreeSet<>();
            for (IndexRange range : work.ranges()) {
                rewritten.addAll(IntervalLake.partitions(unit, grid.startOf(range.from()), grid.startOf(range.to())));
            }
        }
        StorageSpec storage = model.storage();
        String options = "COMPRESSION " + (storage.compression() == null ? "zstd"
                : storage.compression().name().toLowerCase(Locale.ROOT))
                + (storage.compressionLevel() == null ? "" : ", COMPRESSION_LEVEL " + storage.compressionLevel());
        return IntervalLake.publish(session, table, ModelBuilder.relation(model), target, project.root(), unit, timeSql,
                rewritten, current, options, "model " + model.name() + " (" + model.relativeFile() + ")");
    }

    /** Why every interval is built anew this run, or null when only pending and affected ones are. */
    private String fullReason(PlannedModel planned, List<TimedSource> sources) {
        Model model = planned.model();
        if (fullRefresh) {
            return "full refresh requested: every complete interval rebuilt";
        }
        if (engine.relationKind(model.schema(), storedName(model)) != Engine.RelationKind.TABLE) {
            return "first build: every complete interval";
        }
        Optional<ModelRunRecord> last = catalog.lastSuccess(model.qualifiedName());
        if (last.isEmpty() || !last.get().sqlHash().equals(model.sqlHash())
                || !last.get().materialized().equals("incremental")) {
            return "rebuilt in full: the model changed since its last build";
        }
        // The front matter is part of the model's SQL: a new grain or start is a changed model, rebuilt above.
        for (TimedSource source : sources) {
            if (source.checkpoint() < 0) {
                return "rebuilt in full: no checkpoint for " + source.source().qualifiedName();
            }
            if (catalog.rowsRetractedSince(source.source().qualifiedName(), source.checkpoint())
                    || catalog.rowsChangedSince(source.source().qualifiedName(), source.checkpoint())) {
                return "rebuilt in full: rows of " + source.source().qualifiedName() + " were replaced or retracted "
                        + "since run " + source.checkpoint();
            }
        }
        return null;
    }

    private IntervalStates states(Model model, IntervalGrid grid) {
        List<IntervalState> states = new ArrayList<>();
        for (IntervalRecord record : catalog.intervals(model.qualifiedName())) {
            states.add(new IntervalState(new IndexRange(grid.index(record.start()), grid.index(record.end())),
                    IntervalState.State.ofWord(record.state()), record.runId(), record.rows(), record.maxEventTime()));
        }
        return IntervalStates.of(states);
    }

    /** The tracked sources the model reads that have its time column, with their clocks and checkpoints. */
    private List<TimedSource> timedSources(PlannedModel planned, TimeWindow window) {
        Map<String, Long> checkpoints = catalog.checkpoints(planned.model().qualifiedName());
        List<TimedSource> sources = new ArrayList<>();
        for (String name : Dependencies.sources(plan, planned)) {
            Source source = project.sources().stream().filter(s -> s.qualifiedName().equals(name)).findFirst()
                    .orElseThrow();
            if (!Tracked.isTracked(source)
                    || engine.relationKind(source.schema(), source.table() + Tracked.DATA_SUFFIX)
                    == Engine.RelationKind.NONE) {
                continue;
            }
            Optional<Engine.Column> column = engine.columns(source.schema(), source.table() + Tracked.DATA_SUFFIX)
                    .stream().filter(c -> c.name().equalsIgnoreCase(window.inputColumn())).findFirst();
            if (column.isEmpty()) {
                continue;
            }
            String utc = utc("d." + Sql.identifier(column.get().name()), column.get().type(), name + "."
                    + column.get().name());
            long checkpoint = checkpoints.getOrDefault(name, -1L);
            try (Session session = engine.session()) {
                // Only the rows the model has not read yet are scanned: the rest is known from earlier measurements.
                List<Object> row = session.query("SELECT max(" + Tracked.RUN + "), max(" + utc + ") FROM "
                        + Tracked.data(source) + " AS d WHERE " + Tracked.RUN + " > ?", checkpoint).values().get(0);
                LocalDateTime known = checkpoint < 0 ? null
                        : catalog.eventFrontier(session, name, column.get().name(), Long.MAX_VALUE).orElseGet(
                                () -> (LocalDateTime) session.query("SELECT max(" + utc + ") FROM " + Tracked.data(source)
                                        + " AS d").single());
                sources.add(new TimedSource(source, column.get().name(), column.get().type(), utc, checkpoint,
                        row.get(0) == null ? Math.max(0, checkpoint) : ((Number) row.get(0)).longValue(),
                        IntervalStates.later(known, (LocalDateTime) row.get(1))));
            }
        }
        return sources;
    }

    /**
     * The time up to which the model's input is complete: on the event clock the smallest greatest event time of
     * its timed sources, on the processing clock the run's start; never past where an upstream windowed model is
     * complete.
     */
    private LocalDateTime horizon(PlannedModel planned, TimeWindow window, List<TimedSource> sources) {
        LocalDateTime horizon = null;
        if (window.clock() == TimeWindow.Clock.PROCESSING) {
            horizon = runStart;
        } else {
            for (TimedSource source : sources) {
                LocalDateTime max = source.maxEvent() == null ? window.start() : source.maxEvent();
                horizon = horizon == null || max.isBefore(horizon) ? max : horizon;
            }
        }
        for (String upstream : Dependencies.models(plan, planned)) {
            Model model = plan.model(upstream).orElseThrow().model();
            if (model.windowed()) {
                IntervalGrid grid = new IntervalGrid(model.time().start(), model.time().grain());
                LocalDateTime until = grid.startOf(states(model, grid).completeUntil(0));
                horizon = horizon == null || until.isBefore(horizon) ? until : horizon;
            }
        }
        return horizon == null ? runStart : horizon;
    }

    /** The late rows in the new rows of each timed source: rows for an interval built before they were loaded. */
    private List<LateGroup> lateGroups(TimeWindow window, IntervalGrid grid, IntervalStates states,
            List<TimedSource> sources) {
        List<LateGroup> groups = new ArrayList<>();
        if (states.states().isEmpty()) {
            return groups;
        }
        for (TimedSource source : sources) {
            LocalDateTime clock = window.clock() == TimeWindow.Clock.PROCESSING || source.maxEvent() == null
                    ? runStart : source.maxEvent();
            try (Session session = engine.session()) {
                String index = grid.indexSql(source.utc());
                for (List<Object> row : session.query("SELECT " + index + ", " + Tracked.RUN + ", count(*) FROM "
                        + Tracked.data(source.source()) + " AS d WHERE " + Tracked.RUN + " > ? AND " + source.utc()
                        + " >= " + Sql.literal(grid.startOf(0)) + " GROUP BY ALL ORDER BY ALL", source.checkpoint())
                        .values()) {
                    long interval = ((Number) row.get(0)).longValue();
                    long arrival = ((Number) row.get(1)).longValue();
                    Optional<IntervalState> state = states.at(interval);
                    if (state.isPresent() && arrival > state.get().runId()) {
                        groups.add(new LateGroup(source, interval, arrival, ((Number) row.get(2)).longValue(),
                                Lateness.secondsAfterEnd(grid, interval, clock),
                                Lateness.decide(window, grid, interval, clock)));
                    }
                }
            }
        }
        return groups;
    }

    /**
     * For plan: what the next run would do with late rows of a windowed model, per interval, counting the rows loaded
     * but not yet read by it and the rows of the files the next load would read; empty when there are none.
     */
    String preview(PlannedModel planned, Detector detector) {
        Model model = planned.model();
        TimeWindow window = model.time();
        IntervalGrid grid = new IntervalGrid(window.start(), window.grain());
        IntervalStates states = states(model, grid);
        if (states.states().isEmpty()) {
            return "";
        }
        List<TimedSource> sources = timedSources(planned, window);
        Map<String, List<long[]>> incoming = new LinkedHashMap<>();
        List<TimedSource> clocked = new ArrayList<>();
        for (TimedSource source : sources) {
            List<long[]> groups = new ArrayList<>();
            LocalDateTime max = source.maxEvent();
            List<String> files = source.source().spec() instanceof SourceSpec.Files
                    ? detector.filesToRead(source.source()) : List.of();
            if (!files.isEmpty()) {
                try (Engine scratch = Engines.open(project, EngineOptions.inMemory(project.readableRoots()));
                        Session session = scratch.session()) {
                    for (List<Object> row : session.query("SELECT " + grid.indexSql(source.utc()) + ", count(*), max("
                            + source.utc() + ") FROM (" + SourceSql.selectFiles(source.source(),
                                    files, null) + ") AS d WHERE " + source.utc() + " >= " + Sql.literal(grid.startOf(0))
                            + " GROUP BY ALL").values()) {
                        groups.add(new long[] {((Number) row.get(0)).longValue(), ((Number) row.get(1)).longValue()});
                        max = IntervalStates.later(max, (LocalDateTime) row.get(2));
                    }
                }
            }
            incoming.put(source.source().qualifiedName(), groups);
            clocked.add(new TimedSource(source.source(), source.column(), source.type(), source.utc(),
                    source.checkpoint(), source.latest(), max));
        }
        List<LateGroup> late = new ArrayList<>(lateGroups(window, grid, states, clocked));
        for (TimedSource source : clocked) {
            LocalDateTime clock = window.clock() == TimeWindow.Clock.PROCESSING || source.maxEvent() == null
                    ? runStart : source.maxEvent();
            for (long[] group : incoming.get(source.source().qualifiedName())) {
                if (states.at(group[0]).isPresent()) {
                    late.add(new LateGroup(source, group[0], Long.MAX_VALUE, group[1],
                            Lateness.secondsAfterEnd(grid, group[0], clock), Lateness.decide(window, grid, group[0],
                                    clock)));
                }
            }
        }
        late.sort(Comparator.comparingLong(LateGroup::index));
        List<String> lines = new ArrayList<>();
        for (LateGroup group : late.subList(0, Math.min(10, late.size()))) {
            lines.add("[" + text(grid.startOf(group.index())) + ", " + text(grid.endOf(group.index())) + ") "
                    + group.rows() + " of " + group.source().source().qualifiedName() + " " + switch (group.disposition()) {
                        case REBUILT -> "within lateness: rebuilt";
                        case REPROCESSED -> "beyond lateness: reprocessed";
                        case QUARANTINED -> "beyond lateness: quarantined to " + model.name() + LATE_SUFFIX;
                        case DROPPED -> "beyond lateness: dropped";
                        case REASSIGNED -> "beyond lateness: moved to the current interval";
                    });
        }
        return late.isEmpty() ? "" : "late rows: " + String.join(", ", lines)
                + (late.size() > 10 ? " and " + (late.size() - 10) + " more interval(s)" : "");
    }

    /**
     * The built intervals of this model whose input an upstream windowed model rebuilt since they were built: an
     * upstream interval built by a later run than an interval of this model that reads it (up to the lookback after
     * it). Stateless, so a model that failed or was left out of a run catches up on its next one.
     */
    private RangeSet upstreamChanged(PlannedModel planned, IntervalGrid grid, IntervalStates mine, long lookback) {
        List<IndexRange> ranges = new ArrayList<>();
        if (mine.states().isEmpty()) {
            return RangeSet.EMPTY;
        }
        for (String name : Dependencies.models(plan, planned)) {
            Model upstream = plan.model(name).orElseThrow().model();
            if (!upstream.windowed()) {
                continue;
            }
            IntervalGrid theirs = new IntervalGrid(upstream.time().start(), upstream.time().grain());
            for (IntervalState state : states(upstream, theirs).states()) {
                long from = Math.max(0, grid.index(theirs.startOf(state.range().from())));
                long to = grid.index(theirs.startOf(state.range().to()).minusNanos(1000)) + 1 + lookback;
                for (IntervalState own : mine.states()) {
                    long start = Math.max(from, own.range().from());
                    long end = Math.min(to, own.range().to());
                    if (start < end && own.runId() < state.runId()) {
                        ranges.add(new IndexRange(start, end));
                    }
                }
            }
        }
        return RangeSet.of(ranges);
    }

    /** The intervals a backfill restates in this model, within the complete ones. */
    private RangeSet restated(Model model, IntervalGrid grid, long complete) {
        if (backfill == null || !backfill.model().equalsIgnoreCase(model.name())) {
            return RangeSet.EMPTY;
        }
        long from = Math.max(0, grid.index(backfill.from()));
        long to = Math.min(complete, grid.index(backfill.to().minusNanos(1000)) + 1);
        return to > from ? RangeSet.of(new IndexRange(from, to)) : RangeSet.EMPTY;
    }

    private static void describe(List<String> why, RangeSet pending, RangeSet rebuild, List<LateGroup> late,
            RangeSet restated, IntervalGrid grid) {
        if (!pending.isEmpty()) {
            why.add(pending.size() + " pending interval(s) built " + times(grid, pending));
        }
        if (!restated.isEmpty()) {
            why.add("backfill: restated " + times(grid, restated));
        }
        if (!rebuild.isEmpty()) {
            why.add(rebuild.size() + " built interval(s) rebuilt " + times(grid, rebuild));
        }
        Map<Lateness.Disposition, long[]> byFate = new EnumMap<>(Lateness.Disposition.class);
        late.forEach(g -> byFate.computeIfAbsent(g.disposition(), d -> new long[2])[0] += g.rows());
        if (!late.isEmpty()) {
            List<String> fates = new ArrayList<>();
            byFate.forEach((fate, rows) -> fates.add(rows[0] + " " + switch (fate) {
                case REBUILT -> "within lateness (rebuilt)";
                case REPROCESSED -> "beyond lateness, reprocessed";
                case QUARANTINED -> "beyond lateness, quarantined";
                case DROPPED -> "beyond lateness, dropped";
                case REASSIGNED -> "beyond lateness, moved to the current interval";
            }));
            why.add("late rows: " + String.join(", ", fates));
        }
    }

    private static String times(IntervalGrid grid, RangeSet set) {
        List<String> ranges = new ArrayList<>();
        for (IndexRange range : set.ranges().subList(0, Math.min(5, set.ranges().size()))) {
            ranges.add("[" + text(grid.startOf(range.from())) + ", " + text(grid.startOf(range.to())) + ")");
        }
        return String.join(", ", ranges) + (set.ranges().size() > 5 ? " and " + (set.ranges().size() - 5)
                + " more range(s)" : "");
    }

    private static String text(LocalDateTime time) {
        return time.toString().replace('T', ' ');
    }

    /**
     * The model's SQL building the intervals of {@code batch}: each timed source read only in those intervals, each
     * widened back by the lookback, without the rows quarantined or dropped as too late for this model.
     */
    private String windowSql(PlannedModel planned, IntervalGrid grid, List<TimedSource> sources, RangeSet batch) {
        Map<String, TimedSource> byName = new LinkedHashMap<>();
        sources.forEach(s -> byName.put(s.source().qualifiedName(), s));
        RangeSet read = batch.widenedBefore(grid.intervalsIn(planned.model().time().lookback()));
        return planned.executableSql(name -> {
            TimedSource source = byName.get(name);
            if (source == null) {
                return PlannedModel.QUOTED_SOURCES.apply(name);
            }
            String own = "l.model = " + Sql.string(planned.model().qualifiedName()) + " AND l.source = " + Sql.string(name)
                    + " AND l.arrival_run = d." + Tracked.RUN + " AND " + source.utc() + " >= l.interval_start AND "
                    + source.utc() + " < l.interval_end";
            String rows = "SELECT " + Tracked.UNTAGGED + " FROM " + Tracked.data(source.source()) + " AS d WHERE "
                    + inRanges(source.utc(), grid, read) + " AND NOT EXISTS (SELECT 1 FROM sluice.late_rows AS l WHERE "
                    + own + " AND l.disposition IN ('quarantined', 'dropped', 'reassigned'))";
            if (planned.model().time().latePolicy() != TimeWindow.LatePolicy.CURRENT) {
                return "(" + rows + ")";
            }
            // Rows moved to a later interval are read with the start of that interval as their event time.
            String column = Sql.identifier(source.column());
            String moved = "SELECT " + Tracked.UNTAGGED + " FROM (SELECT d.* REPLACE (CAST(l.assigned_to AS "
                    + source.type() + ") AS " + column + ") FROM " + Tracked.data(source.source()) + " AS d JOIN "
                    + "sluice.late_rows AS l ON " + own + " AND l.disposition = 'reassigned' WHERE "
                    + inRanges("l.assigned_to", grid, read) + ")";
            return "(" + rows + " UNION ALL BY NAME " + moved + ")";
        });
    }

    private static String between(String utc, LocalDateTime from, LocalDateTime to) {
        return utc + " >= " + Sql.literal(from) + " AND " + utc + " < " + Sql.literal(to);
    }

    /**
     * A condition holding for times in the set's intervals: a time range for one range; for several, the range
     * around them all (which zone maps prune on) and the interval index in the set's indexes.
     */
    static String inRanges(String utc, IntervalGrid grid, RangeSet set) {
        if (set.isEmpty()) {
            return "false";
        }
        String hull = "(" + between(utc, grid.startOf(set.first()), grid.startOf(set.end())) + ")";
        if (set.ranges().size() == 1) {
            return hull;
        }
        // A semi-join on the interval index: a hash lookup per row, where a long IN list or OR chain is slow.
        List<String> pairs = new ArrayList<>();
        for (IndexRange range : set.ranges()) {
            pairs.add("[" + range.from() + ", " + range.to() + "]");
        }
        return "(" + hull + " AND " + grid.indexSql(utc) + " IN (SELECT unnest(range(r[1], r[2])) FROM (SELECT unnest(["
                + String.join(", ", pairs) + "]) AS r)))";
    }

    /** A UTC TIMESTAMP expression for a time column of the given DuckDB type. */
    static String utc(String column, String type, String what) {
        String upper = type.toUpperCase(Locale.ROOT);
        if (upper.equals("TIMESTAMP WITH TIME ZONE")) {
            return "timezone('UTC', " + column + ")";
        }
        if (upper.equals("TIMESTAMP") || upper.equals("DATETIME")) {
            return column;
        }
        if (upper.startsWith("TIMESTAMP")) {
            return "CAST(" + column + " AS TIMESTAMP)";
        }
        if (upper.equals("DATE")) {
            return "CAST(" + column + " AS TIMESTAMP)";
        }
        throw new SluiceException(ErrorCode.MODEL_INVALID, "the time column %s is %s, not a TIMESTAMP, TIMESTAMPTZ or "
                + "DATE; cast it (CAST(x AS TIMESTAMP)) or declare the source column's type", what, type);
    }

    private static void checkColumns(Session session, String table, String staging) {
        Map<String, String> existing = ModelBuilder.columns(session, table);
        Map<String, String> staged = ModelBuilder.columns(session, staging);
        if (!existing.equals(staged)) {
            throw new SluiceException(ErrorCode.RUN_FAILED, "its columns changed (%s became %s); rebuild it with "
                    + "--full-refresh", existing, staged);
        }
    }

    private static IntervalState state(IndexRange range, IntervalState.State state,
            NavigableMap<Long, long[]> counts, NavigableMap<Long, LocalDateTime> maxima) {
        LocalDateTime max = null;
        for (LocalDateTime time : maxima.subMap(range.from(), range.to()).values()) {
            max = IntervalStates.later(max, time);
        }
        return new IntervalState(range, state, 0, sum(counts, range), max);
    }

    private static long sum(NavigableMap<Long, long[]> counts, IndexRange range) {
        long rows = 0;
        for (long[] count : counts.subMap(range.from(), range.to()).values()) {
            rows += count[0];
        }
        return rows;
    }

    /**
     * The states with this run's id on what it built, and rows and greatest event time recounted from the table
     * for every range whose bounds changed.
     */
    private IntervalStates recount(Session session, String table, String utc, IntervalGrid grid, IntervalStates before,
            IntervalStates after) {
        Set<IntervalState> was = new HashSet<>(before.states());
        Set<IntervalState> changed = new LinkedHashSet<>(after.states().stream()
                .filter(state -> state.runId() != 0 && !was.contains(state)).toList());
        NavigableMap<Long, long[]> counts = new TreeMap<>();
        NavigableMap<Long, LocalDateTime> maxima = new TreeMap<>();
        if (!changed.isEmpty()) {
            // One grouped query for every range whose bounds changed (a rebuild cut it), by interval.
            RangeSet ranges = RangeSet.of(changed.stream().map(IntervalState::range).toList());
            for (List<Object> row : session.query("SELECT " + grid.indexSql(utc) + ", count(*), max(" + utc + ") FROM "
                    + table + " WHERE " + inRanges(utc, grid, ranges) + " GROUP BY ALL").values()) {
                counts.put(((Number) row.get(0)).longValue(), new long[] {((Number) row.get(1)).longValue()});
                maxima.put(((Number) row.get(0)).longValue(), (LocalDateTime) row.get(2));
            }
        }
        List<IntervalState> result = new ArrayList<>();
        for (IntervalState state : after.states()) {
            if (state.runId() == 0) {
                result.add(new IntervalState(state.range(), state.state(), runId, state.rows(), state.maxEventTime()));
            } else if (changed.contains(state)) {
                IntervalState counted = state(state.range(), state.state(), counts, maxima);
                result.add(new IntervalState(state.range(), state.state(), state.runId(), counted.rows(),
                        counted.maxEventTime()));
            } else {
                result.add(state);
            }
        }
        return IntervalStates.of(result);
    }

    private static List<IntervalRecord> records(Model model, IntervalGrid grid, List<IntervalState> states) {
        List<IntervalRecord> records = new ArrayList<>();
        for (IntervalState state : states) {
            records.add(new IntervalRecord(model.qualifiedName(), grid.startOf(state.range().from()),
                    grid.startOf(state.range().to()), state.range().size(), grid.grain().toString(),
                    state.state().word(), state.runId(), state.rows(), state.maxEventTime()));
        }
        return records;
    }

    /** The records of late rows; reassigned rows count in interval {@code open}, the first one not complete. */
    private List<LateRowsRecord> lateRecords(Model model, IntervalGrid grid, List<LateGroup> late, long open) {
        List<LateRowsRecord> records = new ArrayList<>();
        for (LateGroup group : late) {
            records.add(new LateRowsRecord(runId, model.qualifiedName(), group.source().source().qualifiedName(),
                    grid.startOf(group.index()), grid.endOf(group.index()), group.arrivalRun(),
                    group.disposition().word(), group.rows(), group.lateness(),
                    group.disposition() == Lateness.Disposition.REASSIGNED ? grid.startOf(open) : null));
        }
        return records;
    }

    /** Copies quarantined late rows to {@code <model>__late} with their source, interval and arrival run. */
    private void quarantineLate(Session session, Model model, IntervalGrid grid, List<LateGroup> late) {
        String target = Sql.qualified(model.schema(), model.name() + LATE_SUFFIX);
        for (LateGroup group : late) {
            if (group.disposition() != Lateness.Disposition.QUARANTINED) {
                continue;
            }
            TimedSource source = group.source();
            String select = "SELECT " + Tracked.UNTAGGED + ", " + Sql.string(source.source().qualifiedName())
                    + " AS _sluice_source, " + Sql.literal(grid.startOf(group.index())) + " AS _sluice_interval_start, "
                    + Sql.literal(grid.endOf(group.index())) + " AS _sluice_interval_end, d." + Tracked.RUN
                    + " AS _sluice_arrival_run, CAST(" + runId + " AS BIGINT) AS _sluice_run_id FROM "
                    + Tracked.data(source.source()) + " AS d WHERE d." + Tracked.RUN + " = " + group.arrivalRun()
                    + " AND " + between(source.utc(), grid.startOf(group.index()), grid.endOf(group.index()));
            session.execute("CREATE TABLE IF NOT EXISTS " + target + " AS " + select + " LIMIT 0");
            Map<String, String> existing = ModelBuilder.columns(session, target);
            session.execute("CREATE OR REPLACE TEMP TABLE sluice_late AS " + select);
            ModelBuilder.columns(session, "sluice_late").forEach((name, type) -> {
                if (existing.keySet().stream().noneMatch(name::equalsIgnoreCase)) {
                    session.execute("ALTER TABLE " + target + " ADD COLUMN " + Sql.identifier(name) + " " + type);
                }
            });
            session.execute("INSERT INTO " + target + " BY NAME SELECT * FROM sluice_late");
            session.execute("DROP TABLE sluice_late");
        }
    }

    /**
     * Measures the arrival of the loads the model has not read yet, each in a transaction of its own committed before
     * the model's: they describe a source's loads, not the model, so that models reading one source and built at the
     * same time find each load measured by the first of them, instead of all inserting it and failing to commit.
     */
    private void measureArrivals(List<TimedSource> sources, TimeWindow window) {
        String clock = window.clock().name().toLowerCase(Locale.ROOT);
        for (TimedSource source : sources) {
            Object lock = arrivalLocks.computeIfAbsent(source.source().qualifiedName() + "\u0000"
                    + source.column().toLowerCase(Locale.ROOT) + "\u0000" + clock, key -> new Object());
            synchronized (lock) {
                try (Session session = engine.session()) {
                    session.execute("SET TimeZone = 'UTC'");
                    session.begin();
                    measureArrival(session, source, window);
                    session.commit();
                }
            }
        }
    }

    /**
     * Records, per run that loaded rows this model had not read yet, the distribution of arrival minus event time
     * of those rows (once per source, column and clock).
     */
    private void measureArrival(Session session, TimedSource source, TimeWindow window) {
        String data = Tracked.data(source.source());
        String clock = window.clock().name().toLowerCase(Locale.ROOT);
        // Loads another model reading the same source and clock already measured are not scanned again.
        List<Object> runs = session.query("SELECT DISTINCT " + Tracked.RUN + " FROM " + data + " WHERE " + Tracked.RUN
                + " > ? AND " + Tracked.RUN + " NOT IN (SELECT run_id FROM sluice.arrival_lateness WHERE source = ? "
                + "AND column_name = ? AND clock = ?) ORDER BY 1", Math.max(0, source.checkpoint()),
                source.source().qualifiedName(), source.column(), clock).values().stream().map(r -> r.get(0)).toList();
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
                Optional<LocalDateTime> frontier = catalog.eventFrontier(session, source.source().qualifiedName(),
                        source.column(), loadedBy);
                arrival = frontier.isPresent() ? Sql.literal(frontier.get()) : "(SELECT max(" + source.utc() + ") FROM "
                        + data + " AS d WHERE " + Tracked.RUN + " < " + loadedBy + ")";
            }
            // A row is late when it is behind what was seen before its load; its lag is measured on the clock the
            // run judges lateness by, which on the event clock includes the greatest event time of the same load
            // (a late row loaded with newer ones is that much later), so the advice matches what the run did.
            String judged = window.clock() == TimeWindow.Clock.PROCESSING ? arrival
                    : "greatest(coalesce(" + arrival + ", m.newest), m.newest)";
            List<Object> row = session.query("SELECT count(*), count(*) FILTER (WHERE behind > 0), "
                    + "quantile_cont(lag, 0.5) FILTER (WHERE behind > 0), quantile_cont(lag, 0.95) FILTER (WHERE "
                    + "behind > 0), quantile_cont(lag, 0.99) FILTER (WHERE behind > 0), max(lag) FILTER (WHERE behind "
                    + "> 0)" + histogram + ", max(event) FROM (SELECT (epoch_us(" + judged + ") - epoch_us("
                    + source.utc() + ")) / 1e6 AS lag, (epoch_us(" + arrival + ") - epoch_us(" + source.utc()
                    + ")) / 1e6 AS behind, " + source.utc() + " AS event FROM " + data + " AS d, (SELECT max("
                    + source.utc() + ") AS newest FROM " + data + " AS d WHERE " + Tracked.RUN + " = " + loadedBy
                    + ") AS m WHERE " + Tracked.RUN + " = " + loadedBy + ")").values().get(0);
            StringBuilder json = new StringBuilder("{");
            for (int i = 0; i < LatenessRecommendation.BOUNDS.size(); i++) {
                json.append(i == 0 ? "" : ", ").append('"').append(LatenessRecommendation.BOUNDS.get(i)).append("\": ")
                        .append(((Number) row.get(6 + i)).longValue());
            }
            catalog.recordArrivalLateness(session, new ArrivalLatenessRecord(loadedBy,
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
        LocalDateTime local = (LocalDateTime) session.query("SELECT started_at FROM sluice.runs WHERE run_id = ?", run)
                .single();
        return local.atZone(ZoneId.systemDefault()).withZoneSameInstant(ZoneOffset.UTC)
                .toLocalDateTime();
    }

    private static Double number(Object value) {
        return value == null ? null : ((Number) value).doubleValue();
    }

    /** The inputs of a windowed build as JSON: the intervals built, and per source the slice and filter. */
    private static String inputs(List<RunInputs.Input> read, List<TimedSource> sources, IntervalGrid grid,
            RangeSet work) {
        Map<String, Object> inputs = new LinkedHashMap<>();
        List<List<String>> intervals = new ArrayList<>();
        work.ranges().forEach(r -> intervals.add(List.of(text(grid.startOf(r.from())), text(grid.startOf(r.to())))));
        inputs.put("intervals", intervals);
        List<Map<String, Object>> described = new ArrayList<>();
        for (RunInputs.Input input : read) {
            Map<String, Object> json = input.json();
            // a tracked source with an event-time column is read only in the intervals built
            sources.stream().filter(s -> s.source().qualifiedName().equals(input.name())).findFirst().ifPresent(s -> {
                json.put("read", "intervals");
                json.put("filtered_on", s.column());
                json.put("loaded_up_to_run", s.latest());
            });
            described.add(json);
        }
        inputs.put("inputs", described);
        return ModelBuilder.json(inputs);
    }
}
