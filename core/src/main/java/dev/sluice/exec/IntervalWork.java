package dev.sluice.exec;

import dev.sluice.connect.Tracked;
import dev.sluice.ModelResult;
import dev.sluice.ModelStatus;
import dev.sluice.QualityResult;
import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.IntervalRecord;
import dev.sluice.catalog.LateRowsRecord;
import dev.sluice.catalog.WindowRunRecord;
import dev.sluice.engine.Dialect;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.plan.PlannedModel;
import dev.sluice.project.Model;
import dev.sluice.project.StorageSpec;
import dev.sluice.project.TimeWindow;
import dev.sluice.quality.Rule;
import dev.sluice.storage.IntervalLake;
import dev.sluice.window.IndexRange;
import dev.sluice.window.IntervalGrid;
import dev.sluice.window.IntervalState;
import dev.sluice.window.IntervalStates;
import dev.sluice.window.IntervalPlan;
import dev.sluice.window.LateRows;
import dev.sluice.window.Lateness;
import dev.sluice.window.RangeSet;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The committer's work for a windowed model: stages the intervals to build (in batches), replaces exactly those
 * intervals' rows in the table (and writes a new lake version from it for a lake model), and records the interval
 * states, late rows and checkpoints with them.
 */
final class IntervalWork implements Committer.Work {
    private final Catalog catalog;
    private final long runId;
    private final Path projectRoot;
    private final ModelBuilder builder;
    private final PlannedModel planned;
    private final Model model;
    private final List<Rule> rules;
    private final List<RunInputs.Input> read;
    private final IntervalGrid grid;
    private final String outputUtc;
    private final List<TimedSource> sources;
    private final boolean full;
    private final Map<TimedSource, Long> checkpoints;
    private final IntervalStates before;
    private final long complete;
    private final RangeSet pending;
    private final RangeSet rebuild;
    private final RangeSet work;
    private final List<LateGroup> late;
    /** The model's late rows recorded before this build that it leaves out; this build's own are added to them. */
    private final List<LateRowsRecord> setAside;
    private final List<String> why;
    private final boolean upToDate;
    private final String reason;
    private final long start;
    /** What the build's transaction does first (the arrival measurements of sources only this model reads). */
    private final Consumer<Session> inTransaction;
    private final String table;
    private final String staging;
    private boolean staged;
    /** The interval states after the publish, counted ({@link #counted}). */
    private IntervalStates after;
    private long written;
    private long rowsRebuilt;

    IntervalWork(Path projectRoot, ModelBuilder builder, PlannedModel planned, List<Rule> rules, List<RunInputs.Input> read,
            IntervalGrid grid, String outputUtc, List<TimedSource> sources, boolean full,
            Map<TimedSource, Long> checkpoints, IntervalStates before, long complete, RangeSet pending,
            RangeSet rebuild, List<LateGroup> late, List<LateRowsRecord> setAside, List<String> why, boolean upToDate,
            String reason, long start, Consumer<Session> inTransaction) {
        this.builder = builder;
        this.catalog = builder.catalog;
        this.runId = builder.runId;
        this.projectRoot = projectRoot;
        this.planned = planned;
        this.model = planned.model();
        this.rules = rules;
        this.read = read;
        this.grid = grid;
        this.outputUtc = outputUtc;
        this.sources = sources;
        this.full = full;
        this.checkpoints = checkpoints;
        this.before = before;
        this.complete = complete;
        this.pending = pending;
        this.rebuild = rebuild;
        this.work = pending.union(rebuild);
        this.late = late;
        this.setAside = setAside;
        this.why = why;
        this.upToDate = upToDate;
        this.reason = reason;
        this.start = start;
        this.inTransaction = inTransaction;
        this.table = Sql.qualified(model.schema(), WindowBuilder.storedName(model));
        this.staging = Sql.qualified(model.schema(), model.name() + ModelBuilder.STAGING_SUFFIX);
    }

    @Override
    public String what() {
        return "windowed model";
    }

    @Override
    public BuildKind kind() {
        return upToDate ? null : full ? BuildKind.FULL : BuildKind.INTERVALS;
    }

    @Override
    public void prepare(Session session) {
        session.execute(session.dialect().useUtc());
    }

    @Override
    public String stage(Session session) {
        TimeWindow window = model.time();
        builder.checkWarehouseSpace(session, model, full);
        inTransaction.accept(session);
        List<LateRowsRecord> lateRecords = lateRecords(model, grid, late, complete);
        // Recorded before building, so that the input filters leave quarantined and dropped rows out.
        catalog.windows().recordLateRows(session, lateRecords);
        List<LateRowsRecord> leftOut = new ArrayList<>(setAside);
        leftOut.addAll(lateRecords);
        // fullReason rebuilds everything when the table is missing: a model built in part has its table
        boolean exists = !full;
        if (full) {
            ModelBuilder.dropExisting(session, model);
            session.execute("DROP TABLE IF EXISTS " + table);
        }
        List<RangeSet> batches = work.chunks(window.batchSize());
        for (int i = 0; i < batches.size(); i++) {
            RangeSet batch = batches.get(i);
            String sql = WindowSql.windowSql(session.dialect(), planned, grid, sources, batch, leftOut);
            setWindow(session, grid.startOf(batch.first()), grid.startOf(batch.end()));
            String select = "SELECT * FROM (" + sql + ") AS sluice_window WHERE "
                    + WindowSql.inRanges(outputUtc, grid, batch, session.dialect());
            // the first batch replaces what a build that did not finish may have left (an engine without transactions)
            session.execute(i == 0 ? session.dialect().createStagedTable(staging, select)
                    : "INSERT INTO " + staging + " " + select);
        }
        if (batches.isEmpty() && !exists) {
            // No complete interval yet: the table exists, empty, for the models that read it.
            String sql = WindowSql.windowSql(session.dialect(), planned, grid, sources, RangeSet.EMPTY, List.of());
            setWindow(session, window.start(), window.start());
            session.execute(session.dialect().createStagedTable(staging, "SELECT * FROM (" + sql + ") WHERE false"));
        }
        staged = !batches.isEmpty() || !exists;
        return staged ? staging : null;
    }

    /**
     * Sets the session variables of the interval bounds a batch builds that the model's SQL reads, as planning found
     * them ({@link PlannedModel#windowBounds}): a statement less per bound it does not read.
     */
    private void setWindow(Session session, LocalDateTime start, LocalDateTime end) {
        for (String bound : planned.windowBounds()) {
            LocalDateTime value = bound.equals("window_start") ? start : end;
            session.execute(session.dialect().setVariable(bound, Sql.literal(value)));
        }
    }

    @Override
    public List<Rule> stagedRules() {
        return rules;
    }

    @Override
    public Committer.Published publish(Session session, Path claimed) {
        if (staged) {
            if (full) {
                session.execute("ALTER TABLE " + staging + " RENAME TO " + Sql.identifier(WindowBuilder.storedName(model)));
            } else {
                WindowSql.checkColumns(session, table, staging);
                session.execute("DELETE FROM " + table + " WHERE " + WindowSql.inRanges(outputUtc, grid, work, session.dialect()));
                session.execute(session.dialect().insertByName(table, "SELECT * FROM " + staging));
                session.execute("DROP TABLE " + staging);
            }
        }
        after = counted(session);
        quarantineLate(session, model, grid, late);
        Path version = null;
        if (WindowBuilder.lake(model)) {
            Path current = builder.lakeVersions().current(session, model);
            if (staged || current == null) {
                version = publishLake(session, model, grid, outputUtc, table, full ? null : work, current,
                        claimed);
            }
        }
        return new Committer.Published(written, version, null);
    }

    @Override
    public Committer.Recorded record(Session session, Committer.Published published,
            List<QualityResult> quality) {
        if (full) {
            catalog.windows().forgetIntervals(session, model.qualifiedName());
        }
        Set<IntervalState> kept = new HashSet<>(after.states());
        Set<IntervalState> was = new HashSet<>(before.states());
        catalog.windows().replaceIntervals(session, model.qualifiedName(), before.states().stream()
                .filter(state -> !kept.contains(state)).map(state -> grid.startOf(state.range().from()))
                .toList(), records(model, grid, after.states().stream()
                        .filter(state -> !was.contains(state)).toList()));
        Map<Lateness.Disposition, Long> byFate = LateRows.byFate(late.stream().map(LateGroup::lateRows).toList());
        long completeUntil = after.completeUntil(0);
        catalog.windows().recordWindowRun(session, new WindowRunRecord(runId, model.qualifiedName(), pending.size(),
                rebuild.size(), written, rowsRebuilt, byFate.getOrDefault(Lateness.Disposition.REBUILT, 0L),
                byFate.getOrDefault(Lateness.Disposition.REPROCESSED, 0L),
                byFate.getOrDefault(Lateness.Disposition.QUARANTINED, 0L),
                byFate.getOrDefault(Lateness.Disposition.DROPPED, 0L),
                byFate.getOrDefault(Lateness.Disposition.REASSIGNED, 0L),
                completeUntil == 0 ? null : grid.startOf(completeUntil), String.join("; ", why)));
        for (TimedSource source : sources) {
            if (source.checkpoint() < 0) {
                catalog.state().recordCheckpoint(session, model.qualifiedName(), source.source().qualifiedName(),
                        checkpoints.get(source), runId);
            } else {
                catalog.state().moveCheckpoint(session, model.qualifiedName(), source.source().qualifiedName(),
                        checkpoints.get(source), runId);
            }
        }
        // Up to date, it shows its table's rows (nothing was written); rebuilt, the rows written.
        ModelResult result = upToDate
                ? builder.result(model, ModelStatus.UP_TO_DATE, session.query("SELECT count(*) FROM " + table)
                        .singleLong(), start, reason, null, quality)
                : builder.result(model, ModelStatus.SUCCESS, written, start, reason, null, quality);
        return new Committer.Recorded(result, inputs(read, sources, grid, work), written,
                planned.executableSql());
    }

    @Override
    public Long afterCommit(Session session, Committer.Published published) {
        if (WindowBuilder.lake(model)) {
            // also when nothing was published: what a failed or killed post-commit left is deleted now
            builder.lakeVersions().cleanUp(model);
        }
        FaultPoints.reach(FaultPoints.POST_COMMIT, model.name(), session);
        return null;
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
        return IntervalLake.publish(session, table, ModelBuilder.relation(model), target, projectRoot, unit, timeSql,
                rewritten, current, options, "model " + model.name() + " (" + model.relativeFile() + ")");
    }

    /**
     * The states after this build, with the rows and greatest event time of every range they record anew (built now,
     * or cut or closed by what was built) counted in the table, which holds the built rows by now: one grouped query,
     * a row per range (not per interval: a rebuild that cuts a year-long range leaves thousands of intervals in its
     * pieces). Sets the rows written and rebuilt.
     */
    private IntervalStates counted(Session session) {
        IntervalStates built = before;
        // this run's ranges are marked with run 0 until counted
        for (IndexRange range : pending.ranges()) {
            built = built.with(new IntervalState(range, IntervalState.State.PROCESSED, 0, 0, null));
        }
        for (IndexRange range : rebuild.ranges()) {
            built = built.with(new IntervalState(range, IntervalState.State.REPROCESSED, 0, 0, null));
        }
        built = LateRows.closed(built, late.stream().map(LateGroup::lateRows).toList(), rebuild);
        Set<IntervalState> was = new HashSet<>(before.states());
        List<Dialect.IndexSpan> spans = built.states().stream().filter(state -> !was.contains(state))
                .map(state -> new Dialect.IndexSpan(state.range().from(), state.range().to())).toList();
        Map<Long, List<Object>> bySpan = new HashMap<>();
        if (!spans.isEmpty()) {
            Dialect dialect = session.dialect();
            for (List<Object> row : session.query("SELECT s.span_from, sum(g.n), max(g.m) FROM (SELECT "
                    + WindowSql.indexSql(grid, outputUtc, dialect) + " AS i, count(*) AS n, max(" + outputUtc
                    + ") AS m FROM " + table + " WHERE " + WindowSql.between(outputUtc, grid.startOf(spans.get(0)
                            .from()), grid.startOf(spans.get(spans.size() - 1).to())) + " GROUP BY ALL) AS g JOIN ("
                    + dialect.spans(spans) + ") AS s ON g.i >= s.span_from AND g.i < s.span_to GROUP BY s.span_from")
                    .values()) {
                bySpan.put(((Number) row.get(0)).longValue(), row);
            }
        }
        List<IntervalState> result = new ArrayList<>();
        for (IntervalState state : built.states()) {
            if (was.contains(state)) {
                result.add(state);
                continue;
            }
            List<Object> row = bySpan.get(state.range().from());
            long rows = row == null ? 0 : ((Number) row.get(1)).longValue();
            if (state.runId() == 0) {
                written += rows;
                rowsRebuilt += state.state() == IntervalState.State.REPROCESSED ? rows : 0;
            }
            result.add(new IntervalState(state.range(), state.state(), state.runId() == 0 ? runId : state.runId(),
                    rows, row == null ? null : (LocalDateTime) row.get(2)));
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
        String target = Sql.qualified(model.schema(), model.name() + WindowBuilder.LATE_SUFFIX);
        for (LateGroup group : late) {
            if (group.disposition() != Lateness.Disposition.QUARANTINED) {
                continue;
            }
            TimedSource source = group.source();
            String select = "SELECT " + Tracked.untagged(session.dialect()) + ", "
                    + Sql.string(source.source().qualifiedName())
                    + " AS _sluice_source, " + Sql.literal(grid.startOf(group.index())) + " AS _sluice_interval_start, "
                    + Sql.literal(grid.endOf(group.index())) + " AS _sluice_interval_end, d." + Tracked.RUN
                    + " AS _sluice_arrival_run, CAST(" + runId + " AS BIGINT) AS _sluice_run_id FROM "
                    + Tracked.data(source.source()) + " AS d WHERE d." + Tracked.RUN + " = " + group.arrivalRun()
                    + " AND " + WindowSql.between(source.utc(), grid.startOf(group.index()), grid.endOf(group.index()));
            session.execute("CREATE TABLE IF NOT EXISTS " + target + " AS " + select + " LIMIT 0");
            Map<String, String> existing = ModelBuilder.columns(session, target);
            // The rows' columns described, not staged in a temporary table: Spark has none (views only).
            ModelBuilder.columns(session, select).forEach((name, type) -> {
                if (existing.keySet().stream().noneMatch(name::equalsIgnoreCase)) {
                    session.execute("ALTER TABLE " + target + " ADD COLUMN " + Sql.identifier(name) + " " + type);
                }
            });
            session.execute(session.dialect().insertByName(target, select));
        }
    }

    /** The inputs of a windowed build as JSON: the intervals built, and per source the slice and filter. */
    private static String inputs(List<RunInputs.Input> read, List<TimedSource> sources, IntervalGrid grid,
            RangeSet work) {
        Map<String, Object> inputs = new LinkedHashMap<>();
        List<List<String>> intervals = new ArrayList<>();
        work.ranges().forEach(r -> intervals.add(List.of(IntervalPlan.text(grid.startOf(r.from())),
                IntervalPlan.text(grid.startOf(r.to())))));
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
