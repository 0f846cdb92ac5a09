package dev.sluice;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a run (or a plan) acts on and how. Immutable; each {@code with…} method returns a refined copy.
 *
 * @param select selectors ({@code name}, {@code name+}, {@code +name}, {@code tag:x}); empty = every model
 * @param exclude selectors removed from the selection
 * @param vars {@code --var name=value} overrides, as typed on the command line
 * @param threads models built at once; 0 = the project's default (or the engine's choice: one on DuckDB, one
 *     per core on Spark)
 * @param failFast stop scheduling models after the first failure
 * @param resume rebuild only the models that failed or were skipped in the last run
 * @param fullRefresh rebuild incremental state from scratch
 * @param openLineage where to send an OpenLineage event per model build (an http(s) URL or a file), or null
 * @param scheduled the schedule and due time that started the run, recorded with it in the catalog; null for a run
 *     started by hand (or by an external scheduler)
 */
public record RunOptions(
        List<String> select,
        List<String> exclude,
        Map<String, String> vars,
        int threads,
        boolean failFast,
        boolean resume,
        boolean fullRefresh,
        String openLineage,
        Scheduled scheduled) {
    /** The schedule of sluice.yml that started a run, and the due time (an instant) it ran for. */
    public record Scheduled(String schedule, java.time.Instant due) {
        public Scheduled {
            java.util.Objects.requireNonNull(schedule, "schedule");
            java.util.Objects.requireNonNull(due, "due");
        }
    }

    public RunOptions {
        select = List.copyOf(select);
        exclude = List.copyOf(exclude);
        vars = Map.copyOf(vars);
        if (threads < 0) {
            throw new SluiceException(ErrorCode.USAGE, "Cannot run with %d threads: use 1 or more, or 0 for the default",
                    threads);
        }
    }

    /** Options of a run no schedule started. */
    public RunOptions(List<String> select, List<String> exclude, Map<String, String> vars, int threads,
            boolean failFast, boolean resume, boolean fullRefresh, String openLineage) {
        this(select, exclude, vars, threads, failFast, resume, fullRefresh, openLineage, null);
    }

    /** Every model, project defaults, no overrides. */
    public static RunOptions defaults() {
        return new RunOptions(List.of(), List.of(), Map.of(), 0, false, false, false, null);
    }

    public RunOptions withSelect(String... selectors) {
        return new RunOptions(List.of(selectors), exclude, vars, threads, failFast, resume, fullRefresh, openLineage, scheduled);
    }

    public RunOptions withExclude(String... selectors) {
        return new RunOptions(select, List.of(selectors), vars, threads, failFast, resume, fullRefresh, openLineage, scheduled);
    }

    public RunOptions withVar(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(vars);
        copy.put(name, value);
        return new RunOptions(select, exclude, copy, threads, failFast, resume, fullRefresh, openLineage, scheduled);
    }

    public RunOptions withThreads(int count) {
        return new RunOptions(select, exclude, vars, count, failFast, resume, fullRefresh, openLineage, scheduled);
    }

    public RunOptions withFailFast() {
        return new RunOptions(select, exclude, vars, threads, true, resume, fullRefresh, openLineage, scheduled);
    }

    public RunOptions withResume() {
        return new RunOptions(select, exclude, vars, threads, failFast, true, fullRefresh, openLineage, scheduled);
    }

    public RunOptions withFullRefresh() {
        return new RunOptions(select, exclude, vars, threads, failFast, resume, true, openLineage, scheduled);
    }

    /** Sends an OpenLineage run event (START, then COMPLETE or FAIL) per model build to an http(s) URL or a file. */
    public RunOptions withOpenLineage(String target) {
        return new RunOptions(select, exclude, vars, threads, failFast, resume, fullRefresh, target, scheduled);
    }

    /** Records the run as started by the schedule {@code schedule} for its due time {@code due}. */
    public RunOptions withScheduled(String schedule, java.time.Instant due) {
        return new RunOptions(select, exclude, vars, threads, failFast, resume, fullRefresh, openLineage,
                new Scheduled(schedule, due));
    }
}
