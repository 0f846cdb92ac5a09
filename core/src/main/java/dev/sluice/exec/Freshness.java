package dev.sluice.exec;

import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.ModelRunRecord;
import dev.sluice.connect.Tracked;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Session;
import dev.sluice.plan.PlannedModel;
import dev.sluice.plan.ProjectPlan;
import dev.sluice.project.Materialization;
import dev.sluice.project.Model;
import dev.sluice.project.Project;
import dev.sluice.project.Source;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Deque;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds table models that need no rebuild: their SQL is unchanged since their last build and nothing they read
 * changed since, neither a tracked source (no rows loaded, changed or retracted after that build) nor a table
 * model (not rebuilt since). Sources loaded in full on every run always count as changed. Thread-safe.
 */
final class Freshness {
    /** Begins the reason of a model found up to date, for people: its outcome is its status, never this text. */
    static final String UP_TO_DATE = "up to date: ";

    private final Project project;
    private final ProjectPlan plan;
    private final Engine engine;
    private final Catalog catalog;
    private final boolean fullRefresh;
    private final Set<String> rebuilt = ConcurrentHashMap.newKeySet();
    /** Models rebuilt this run only because their SQL changed → their columns computed differently (lower case). */
    private final Map<String, Set<String>> sqlOnly = new ConcurrentHashMap<>();

    Freshness(Project project, ProjectPlan plan, Engine engine, Catalog catalog, boolean fullRefresh) {
        this.project = project;
        this.plan = plan;
        this.engine = engine;
        this.catalog = catalog;
        this.fullRefresh = fullRefresh;
    }

    /** Remembers that a model was (re)built in this run, so what reads it is rebuilt too. */
    void rebuilt(String model) {
        rebuilt.add(model.toLowerCase(Locale.ROOT));
    }

    /** Why the table model needs no rebuild, or empty when it must be built. */
    Optional<String> upToDate(PlannedModel planned) {
        Optional<Long> since = lastBuildOfThisVersion(planned, true);
        if (since.isEmpty()) {
            return Optional.empty();
        }
        List<String> unaffected = new ArrayList<>();
        if (!inputsUnchanged(planned, since.get(), unaffected)) {
            return Optional.empty();
        }
        return Optional.of(UP_TO_DATE + "no input changed since its build in run " + since.get()
                + (unaffected.isEmpty() ? "" : "; " + String.join("; ", unaffected)));
    }

    /**
     * Called for a table model about to be rebuilt: when only its SQL changed (its inputs did not), remembers which of
     * its columns are computed differently, so that consumers reading none of them need no rebuild.
     */
    void noteRebuild(PlannedModel planned) {
        Optional<Long> since = lastBuildOfThisVersion(planned, false);
        if (since.isEmpty() || !inputsUnchanged(planned, since.get(), new ArrayList<>())) {
            return;
        }
        Map<String, String> before = catalog.lineage().expressionsAt(planned.model().qualifiedName(), since.get());
        if (before.isEmpty() || planned.expressions().isEmpty()) {
            return;
        }
        Set<String> changed = new java.util.TreeSet<>();
        before.forEach((column, expression) -> {
            if (!expression.equals(planned.expressions().get(column))) {
                changed.add(column.toLowerCase(Locale.ROOT));
            }
        });
        sqlOnly.put(planned.name().toLowerCase(Locale.ROOT), changed);
    }

    /**
     * The run that last built the model, when it can be compared with this version: a table, published under the
     * same name, and (when {@code sameSql}) with the same SQL; empty otherwise.
     */
    private Optional<Long> lastBuildOfThisVersion(PlannedModel planned, boolean sameSql) {
        Model model = planned.model();
        if (fullRefresh || model.materialized() != Materialization.TABLE
                || engine.relationKind(model.schema(), model.name()) != Engine.RelationKind.TABLE) {
            return Optional.empty();
        }
        Optional<ModelRunRecord> last = catalog.runs().lastSuccess(model.qualifiedName());
        Optional<Long> lastBuild = catalog.runs().lastBuild(model.qualifiedName());
        if (last.isEmpty() || lastBuild.isEmpty() || !last.get().materialized().equals("table")
                || !last.get().relation().equalsIgnoreCase(model.qualifiedName())
                || sameSql != last.get().sqlHash().equals(model.sqlHash())) {
            return Optional.empty();
        }
        return lastBuild;
    }

    /** True when nothing the model reads changed since run {@code since}; notes upstream changes it may ignore. */
    private boolean inputsUnchanged(PlannedModel planned, long since, List<String> unaffected) {
        Set<String> sources = new HashSet<>();
        Set<String> tables = new HashSet<>();
        inputs(planned, sources, tables);
        for (String name : sources) {
            Source source = project.sources().stream().filter(s -> s.qualifiedName().equals(name)).findFirst()
                    .orElseThrow();
            if (!Tracked.isTracked(source) || loadedAfter(source, since)
                    || catalog.state().rowsRetractedSince(name, since)) {
                return false;
            }
        }
        for (String table : tables) {
            Set<String> changed = sqlOnly.get(table.toLowerCase(Locale.ROOT));
            if (changed != null) {
                PlannedModel upstream = plan.model(table).orElseThrow();
                Set<String> read = columnsRead(planned, upstream.model().qualifiedName());
                if (read == null || read.stream().anyMatch(changed::contains)) {
                    return false;
                }
                unaffected.add("reads none of the changed columns of " + upstream.model().qualifiedName()
                        + " (" + String.join(", ", changed) + ")");
                continue;
            }
            if (rebuilt.contains(table.toLowerCase(Locale.ROOT))
                    || catalog.runs().lastBuild(plan.model(table).orElseThrow().model().qualifiedName())
                            .orElse(Long.MAX_VALUE) > since) {
                return false;
            }
        }
        return true;
    }

    /** The columns of {@code relation} the model's lineage reads (lower case), or null when its lineage is unknown. */
    private static Set<String> columnsRead(PlannedModel planned, String relation) {
        if (planned.lineage().isEmpty()) {
            return null;
        }
        Set<String> read = new HashSet<>();
        planned.lineage().values().forEach(origins -> origins.stream()
                .filter(origin -> origin.relation().equalsIgnoreCase(relation))
                .forEach(origin -> read.add(origin.column().toLowerCase(Locale.ROOT))));
        return read;
    }

    /** The sources and table models a model reads, looking through views and ephemeral models. */
    private void inputs(PlannedModel start, Set<String> sources, Set<String> tables) {
        Deque<PlannedModel> pending = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        pending.push(start);
        while (!pending.isEmpty()) {
            PlannedModel model = pending.pop();
            sources.addAll(model.upstreamSources());
            for (String name : model.upstreamModels()) {
                PlannedModel upstream = plan.model(name).orElseThrow();
                Materialization kind = upstream.model().materialized();
                if (kind == Materialization.VIEW || kind == Materialization.EPHEMERAL) {
                    if (seen.add(upstream.name())) {
                        pending.push(upstream);
                    }
                } else {
                    tables.add(upstream.name());
                }
            }
        }
    }

    private boolean loadedAfter(Source source, long run) {
        if (engine.relationKind(source.schema(), source.table() + Tracked.DATA_SUFFIX) == Engine.RelationKind.NONE) {
            return true;
        }
        try (Session session = engine.session()) {
            Object max = session.query("SELECT max(" + Tracked.RUN + ") FROM " + Tracked.data(source)).single();
            return max != null && ((Number) max).longValue() > run;
        }
    }
}
