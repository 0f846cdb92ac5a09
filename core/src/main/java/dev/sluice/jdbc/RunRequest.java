package dev.sluice.jdbc;

import dev.sluice.RunOptions;
import java.util.List;
import java.util.Map;

/**
 * A run asked for through the driver ({@code CALL sluice_run(...)} or {@code sluice run ...}). Immutable.
 *
 * @param select selectors as {@code sluice run --select} takes them; empty = every model
 * @param exclude selectors left out
 * @param vars {@code var=value} overrides
 * @param fullRefresh rebuild incremental models from scratch
 */
record RunRequest(List<String> select, List<String> exclude, Map<String, String> vars, boolean fullRefresh) {
    RunRequest {
        select = List.copyOf(select);
        exclude = List.copyOf(exclude);
        vars = Map.copyOf(vars);
    }

    RunOptions options() {
        RunOptions options = RunOptions.defaults().withSelect(select.toArray(String[]::new))
                .withExclude(exclude.toArray(String[]::new));
        for (Map.Entry<String, String> var : vars.entrySet()) {
            options = options.withVar(var.getKey(), var.getValue());
        }
        return fullRefresh ? options.withFullRefresh() : options;
    }
}
