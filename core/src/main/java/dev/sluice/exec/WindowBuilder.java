package dev.sluice.exec;

import dev.sluice.Backfill;
import dev.sluice.LateRowCounts;
import dev.sluice.ModelResult;
import dev.sluice.ModelStatus;
import dev.sluice.SluiceException;
import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.IntervalRecord;
import dev.sluice.catalog.LateRowsRecord;
import dev.sluice.catalog.WindowBuildRecords;
import dev.sluice.connect.Detector;
import dev.sluice.connect.Tracked;
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
import dev.sluice.project.TimeWindow;
import dev.sluice.quality.Rule;
import dev.sluice.window.IndexRange;
import dev.sluice.window.IntervalGrid;
import dev.sluice.window.IntervalState;
import dev.sluice.window.IntervalStates;
import dev.sluice.window.IntervalPlan;
import dev.sluice.window.LateRows;
import dev.sluice.window.Lateness;
import dev.sluice.window.RangeSet;
import java.time.LocalDateTime;
import dev.sluice.project.StorageSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Builds windowed models interval by interval, as a composition: it reads what the catalog and the engine know (the
 * model's interval states, its timed sources, their late rows, the horizon of complete input), lets
 * {@link dev.sluice.window.IntervalPlan} decide the pending and affected intervals (late rows within lateness, upstream
 * rebuilds, a backfill) and {@link dev.sluice.window.LateRows} account for late rows, measures arrivals
 * ({@link Arrivals}), and hands the build to the run's {@link Committer} as an {@link IntervalWork}, which replaces
 * exactly those intervals' rows together with their states, late-data records and checkpoints in one transaction: a
 * failed or killed build leaves every interval in its old state. Thread-safe (one instance per run).
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
    private final Arrivals arrivals;
    /** Per source, how many windowed models of the plan read it. */
    private final Map<String, Long> windowedReaders = new java.util.concurrent.ConcurrentHashMap<>();

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
        this.arrivals = new Arrivals(engine, catalog, runId, runStart);
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
        WindowBuildRecords records;
        String fullReason;
        boolean full;
        IntervalStates before;
        LocalDateTime horizon;
        List<LateGroup> late = new ArrayList<>();
        // One warehouse session for the build's reads: what the catalog knows for it (in one query), its sources'
        // columns, its table's kind, and per timed source one scan of the new rows (their runs, greatest event time
        // and late rows).
        try (Session session = engine.session()) {
            records = records(session, planned);
            try {
                outputUtc = WindowSql.utc(engine.dialect(), Sql.identifier(outputColumn.get().name()),
                        outputColumn.get().type(), model.name() + "." + window.column());
                List<TimedSource> timed = timedColumns(session, planned, window, records);
                fullReason = fullReason(session, planned, timed, records);
                full = fullReason != null;
                before = full ? IntervalStates.NONE : states(model, grid, records);
                sources = new ArrayList<>();
                for (TimedSource source : timed) {
                    WindowNewRows rows = WindowNewRows.read(session, grid, source, records, !before.states().isEmpty());
                    sources.add(rows.source());
                    late.addAll(rows.lateGroups(window, grid, before, runStart));
                }
            } catch (SluiceException e) {
                return builder.notBuilt(planned, ModelStatus.FAILED, runReason, String.format("Cannot build windowed "
                        + "model %s (%s): %s", model.name(), model.relativeFile(), e.getMessage()));
            }
            horizon = horizon(planned, window, sources, records);
        }
        // A full build folds in every load so far, including those that only retracted rows (they add no row, so
        // the newest row's run would leave the retraction after the checkpoint and rebuild on every run).
        Map<TimedSource, Long> checkpoints = new HashMap<>();
        sources.forEach(source -> checkpoints.put(source, full
                ? Math.max(source.latest(), catalog.state().lastLoad(source.source().qualifiedName()))
                : source.latest()));
        long complete = Math.max(0, grid.index(horizon));
        List<LateRows> lateRows = late.stream().map(LateGroup::lateRows).toList();
        long lookback = grid.intervalsIn(window.lookback());
        boolean backfilled = backfill != null && backfill.model().equalsIgnoreCase(model.name());
        IntervalPlan intervals = IntervalPlan.of(before, complete, lateRows, lookback,
                upstreamChanged(planned, grid, before, lookback, records), backfilled
                        ? IntervalPlan.restated(grid, backfill.from(), backfill.to(), complete) : RangeSet.EMPTY);

        List<String> why = new ArrayList<>();
        if (full) {
            why.add(fullReason);
        }
        why.addAll(intervals.describe(grid, lateRows));
        String unrestated = null;
        if (backfilled && intervals.restated().isEmpty()) {
            unrestated = "no interval of " + model.name() + " from " + backfill.from() + " to " + backfill.to()
                    + " has been built" + (complete == 0 ? "" : " (complete intervals end at " + grid.startOf(complete)
                    + ")");
            why.add("backfill: nothing restated: " + unrestated);
        }
        boolean upToDate = intervals.nothingToDo(lateRows) && !full;
        if (upToDate) {
            why.add(0, Freshness.UP_TO_DATE + "no complete interval pending (complete until "
                    + grid.startOf(before.completeUntil(0)) + ") and no late rows");
        }
        // The reason of a model up to date begins with why nothing was done.
        String reason = upToDate ? String.join("; ", why) + "; " + runReason : runReason + "; " + String.join("; ", why);

        // A source only this model reads is measured in the model's own transaction (one commit less); the others
        // each in a transaction of their own, before it, which concurrent builds reading the source share.
        List<TimedSource> own = sources.stream().filter(this::soleReader).toList();
        arrivals.measure(sources.stream().filter(source -> !own.contains(source)).toList(), window);
        // Read with the build's records, from the catalog wherever it is: the build writes them into its SQL
        // (WindowLateRows).
        List<LateRowsRecord> setAside = sources.isEmpty() ? List.of() : records.setAside();
        IntervalWork work = new IntervalWork(project.root(), builder, planned, rules, read, grid, outputUtc, sources,
                full, checkpoints, before, complete, intervals.pending(), intervals.rebuild(), late, setAside, why,
                upToDate, reason, start, session -> arrivals.measure(session, own, window, records));
        ModelResult result = builder.committer.commit(planned, work, reason, startedAt, start).model();
        // Structured, so that the run summary shows them without reading the reason's words.
        return result.status().ok() ? result.withWindow(counts(lateRows), unrestated) : result;
    }

    /** True when the model building is the only windowed model of the plan reading {@code source}. */
    private boolean soleReader(TimedSource source) {
        return windowedReaders.computeIfAbsent(source.source().qualifiedName(), name -> plan.models().stream()
                .filter(m -> m.model().windowed() && Dependencies.sources(plan, m).contains(name)).count()) == 1;
    }

    /** The late rows by fate, as the API counts them. */
    static LateRowCounts counts(List<LateRows> late) {
        Map<Lateness.Disposition, Long> byFate = LateRows.byFate(late);
        return new LateRowCounts(byFate.getOrDefault(Lateness.Disposition.REBUILT, 0L),
                byFate.getOrDefault(Lateness.Disposition.REPROCESSED, 0L),
                byFate.getOrDefault(Lateness.Disposition.QUARANTINED, 0L),
                byFate.getOrDefault(Lateness.Disposition.DROPPED, 0L),
                byFate.getOrDefault(Lateness.Disposition.REASSIGNED, 0L));
    }

    /** True for a windowed model written to a Parquet lake folder ({@code storage: { format: parquet }}). */
    static boolean lake(Model model) {
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
     * The built intervals of this model whose input an upstream windowed model rebuilt since they were built.
     * Stateless, so a model that failed or was left out of a run catches up on its next one.
     */
    private RangeSet upstreamChanged(PlannedModel planned, IntervalGrid grid, IntervalStates mine, long lookback,
            WindowBuildRecords read) {
        RangeSet changed = RangeSet.EMPTY;
        if (mine.states().isEmpty()) {
            return changed;
        }
        for (String name : Dependencies.models(plan, planned)) {
            Model upstream = plan.model(name).orElseThrow().model();
            if (upstream.windowed()) {
                IntervalGrid theirs = new IntervalGrid(upstream.time().start(), upstream.time().grain());
                changed = changed.union(IntervalPlan.changedUpstream(grid, mine, theirs, states(upstream, theirs, read),
                        lookback));
            }
        }
        return changed;
    }

    /** Why every interval is built anew this run, or null when only pending and affected ones are. */
    private String fullReason(Session session, PlannedModel planned, List<TimedSource> sources,
            WindowBuildRecords records) {
        Model model = planned.model();
        if (fullRefresh) {
            return "full refresh requested: every complete interval rebuilt";
        }
        if (engine.relationKind(session, model.schema(), storedName(model)) != Engine.RelationKind.TABLE) {
            return "first build: every complete interval";
        }
        if (!model.sqlHash().equals(records.lastSqlHash()) || !"incremental".equals(records.lastMaterialized())) {
            return "rebuilt in full: the model changed since its last build";
        }
        // The front matter is part of the model's SQL: a new grain or start is a changed model, rebuilt above.
        for (TimedSource source : sources) {
            if (source.checkpoint() < 0) {
                return "rebuilt in full: no checkpoint for " + source.source().qualifiedName();
            }
            if (records.retracted().contains(source.source().qualifiedName())
                    || records.changed().contains(source.source().qualifiedName())) {
                return "rebuilt in full: rows of " + source.source().qualifiedName() + " were replaced or retracted "
                        + "since run " + source.checkpoint();
            }
        }
        return null;
    }

    /** What the catalog knows for a build of {@code planned} (or its plan preview), in one query. */
    private WindowBuildRecords records(Session session, PlannedModel planned) {
        List<String> upstreams = new ArrayList<>();
        for (String name : Dependencies.models(plan, planned)) {
            Model upstream = plan.model(name).orElseThrow().model();
            if (upstream.windowed()) {
                upstreams.add(upstream.qualifiedName());
            }
        }
        List<String> tracked = project.sources().stream().filter(s -> Dependencies.sources(plan, planned)
                .contains(s.qualifiedName()) && Tracked.isTracked(s)).map(Source::qualifiedName).toList();
        return catalog.windows().buildRecords(session, planned.model().qualifiedName(), upstreams, tracked);
    }

    /** A model's interval states, as {@code records} hold them. */
    private static IntervalStates states(Model model, IntervalGrid grid, WindowBuildRecords records) {
        List<IntervalState> states = new ArrayList<>();
        for (IntervalRecord record : records.intervalsOf(model.qualifiedName())) {
            states.add(new IntervalState(new IndexRange(grid.index(record.start()), grid.index(record.end())),
                    IntervalState.State.ofWord(record.state()), record.runId(), record.rows(), record.maxEventTime()));
        }
        return IntervalStates.of(states);
    }

    /**
     * The tracked sources the model reads that have its time column, with their checkpoints; their new rows not read
     * yet ({@link WindowNewRows}).
     */
    private List<TimedSource> timedColumns(Session session, PlannedModel planned, TimeWindow window,
            WindowBuildRecords records) {
        List<TimedSource> sources = new ArrayList<>();
        for (String name : Dependencies.sources(plan, planned)) {
            Source source = project.sources().stream().filter(s -> s.qualifiedName().equals(name)).findFirst()
                    .orElseThrow();
            if (!Tracked.isTracked(source)) {
                continue;
            }
            // No columns: the source's data table does not exist yet (one metadata query instead of two).
            Optional<Engine.Column> column = engine.columns(session, source.schema(), source.table()
                    + Tracked.DATA_SUFFIX).stream().filter(c -> c.name().equalsIgnoreCase(window.inputColumn()))
                    .findFirst();
            if (column.isEmpty()) {
                continue;
            }
            String utc = WindowSql.utc(engine.dialect(), "d." + Sql.identifier(column.get().name()),
                    column.get().type(), name + "." + column.get().name());
            long checkpoint = records.checkpoints().getOrDefault(name, -1L);
            sources.add(new TimedSource(source, column.get().name(), column.get().type(), utc, checkpoint,
                    Math.max(0, checkpoint), null, List.of()));
        }
        return sources;
    }

    /**
     * The time up to which the model's input is complete: on the event clock the smallest greatest event time of
     * its timed sources, on the processing clock the run's start; never past where an upstream windowed model is
     * complete.
     */
    private LocalDateTime horizon(PlannedModel planned, TimeWindow window, List<TimedSource> sources,
            WindowBuildRecords read) {
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
                LocalDateTime until = grid.startOf(states(model, grid, read).completeUntil(0));
                horizon = horizon == null || until.isBefore(horizon) ? until : horizon;
            }
        }
        return horizon == null ? runStart : horizon;
    }

    /**
     * For plan: what the next run would do with late rows of a windowed model, per interval, counting the rows loaded
     * but not yet read by it and the rows of the files the next load would read; empty when there are none.
     */
    String preview(PlannedModel planned, Detector detector) {
        Model model = planned.model();
        TimeWindow window = model.time();
        IntervalGrid grid = new IntervalGrid(window.start(), window.grain());
        List<WindowNewRows> read = new ArrayList<>();
        IntervalStates states;
        try (Session session = engine.session()) {
            WindowBuildRecords records = records(session, planned);
            states = states(model, grid, records);
            if (states.states().isEmpty()) {
                return "";
            }
            for (TimedSource source : timedColumns(session, planned, window, records)) {
                read.add(WindowNewRows.read(session, grid, source, records, true));
            }
        }
        List<LateGroup> late = new ArrayList<>();
        List<LateGroup> incoming = new ArrayList<>();
        for (WindowNewRows rows : read) {
            TimedSource source = rows.source();
            List<long[]> groups = new ArrayList<>();
            LocalDateTime max = source.maxEvent();
            Optional<String> pending = detector.pendingRows(source.source());
            if (pending.isPresent()) {
                try (Engine scratch = Engines.open(project, EngineOptions.inMemory(project.readableRoots()));
                        Session session = scratch.session()) {
                    for (List<Object> row : session.query("SELECT "
                            + WindowSql.indexSql(grid, source.utc(), session.dialect()) + ", count(*), max("
                            + source.utc() + ") FROM (" + pending.get() + ") AS d WHERE " + source.utc() + " >= "
                            + Sql.literal(grid.startOf(0))
                            + " GROUP BY ALL").values()) {
                        groups.add(new long[] {((Number) row.get(0)).longValue(), ((Number) row.get(1)).longValue()});
                        max = IntervalStates.later(max, (LocalDateTime) row.get(2));
                    }
                }
            }
            TimedSource clocked = new TimedSource(source.source(), source.column(), source.type(), source.utc(),
                    source.checkpoint(), source.latest(), max, source.loads());
            late.addAll(rows.lateGroups(clocked, window, grid, states, runStart));
            LocalDateTime clock = window.clock() == TimeWindow.Clock.PROCESSING || max == null ? runStart : max;
            for (long[] group : groups) {
                if (states.at(group[0]).isPresent()) {
                    incoming.add(new LateGroup(clocked, group[0], Long.MAX_VALUE, group[1],
                            Lateness.secondsAfterEnd(grid, group[0], clock), Lateness.decide(window, grid, group[0],
                                    clock)));
                }
            }
        }
        late.addAll(incoming);
        late.sort(Comparator.comparingLong(LateGroup::index));
        List<String> lines = new ArrayList<>();
        for (LateGroup group : late.subList(0, Math.min(10, late.size()))) {
            lines.add("[" + IntervalPlan.text(grid.startOf(group.index())) + ", " + IntervalPlan.text(grid.endOf(group.index())) + ") "
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

}
