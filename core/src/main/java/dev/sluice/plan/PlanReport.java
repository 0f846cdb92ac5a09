package dev.sluice.plan;

import java.util.List;

/**
 * What one planning did with the plan cache.
 *
 * @param planned the models parsed, validated and cross-checked now (not in the cache, or a key changed), level by
 *     level (a model after every model it reads)
 * @param reused the models taken from the cache
 * @param written the cache rows for the models planned now, to keep where the catalog can be written
 * @param ignored cache rows left out (written by another Sluice version, or damaged)
 */
public record PlanReport(List<String> planned, List<String> reused, List<PlanCache.Entry> written, int ignored) {
    public static final PlanReport NONE = new PlanReport(List.of(), List.of(), List.of(), 0);

    public PlanReport {
        planned = List.copyOf(planned);
        reused = List.copyOf(reused);
        written = List.copyOf(written);
    }
}
