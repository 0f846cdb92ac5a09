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
 * @param threads models built at once; 0 = the project's default (or the number of cores)
 * @param failFast stop scheduling models after the first failure
 * @param resume rebuild only the models that failed or were skipped in the last run
 * @param fullRefresh rebuild incremental state from scratch
 * @param openLineage where to send an OpenLineage event per model build (an http(s) URL or a file), or null
 */
public record RunOptions(
        List<String> select,
        List<String> exclude,
        Map<String, String> vars,
        int threads,
        boolean failFast,
        boolean resume,
        boolean fullRefresh,
        String openLineage) {
    public RunOptions {
        select = List.copyOf(select);
        exclude = List.copyOf(exclude);
        vars = Map.copyOf(vars);
        if (threads < 0) {
            throw new SluiceException(ErrorCode.USAGE, "Cannot run with %d threads: use 1 or more, or 0 for the default",
                    threads);
        }
    }

    /** Every model, project defaults, no overrides. */
    public static RunOptions defaults() {
        return new RunOptions(List.of(), List.of(), Map.of(), 0, false, false, false, null);
    }

    public RunOptions withSelect(String... selectors) {
        return new RunOptions(List.of(selectors), exclude, vars, threads, failFast, resume, fullRefresh, openLineage);
    }

    public RunOptions withExclude(String... selectors) {
        return new RunOptions(select, List.of(selectors), vars, threads, failFast, resume, fullRefresh, openLineage);
    }

    public RunOptions withVar(String name, String value) {
        Map<String, String> copy = new LinkedHashMap<>(vars);
        copy.put(name, value);
        return new RunOptions(select, exclude, copy, threads, failFast, resume, fullRefresh, openLineage);
    }

    public RunOptions withThreads(int count) {
        return new RunOptions(select, exclude, vars, count, failFast, resume, fullRefresh, openLineage);
    }

    public RunOptions withFailFast() {
        return new RunOptions(select, exclude, vars, threads, true, resume, fullRefresh, openLineage);
    }

    public RunOptions withResume() {
        return new RunOptions(select, exclude, vars, threads, failFast, true, fullRefresh, openLineage);
    }

    public RunOptions withFullRefresh() {
        return new RunOptions(select, exclude, vars, threads, failFast, resume, true, openLineage);
    }

    /** Sends an OpenLineage run event (START, then COMPLETE or FAIL) per model build to an http(s) URL or a file. */
    public RunOptions withOpenLineage(String target) {
        return new RunOptions(select, exclude, vars, threads, failFast, resume, fullRefresh, target);
    }
}
