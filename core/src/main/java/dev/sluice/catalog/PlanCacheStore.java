package dev.sluice.catalog;

import dev.sluice.plan.PlanCache;
import java.util.List;

/**
 * The plan cache ({@code plan_cache}): planned models kept between plans, keyed by hashes of their text and inputs.
 * Thread-safe. A catalog older than V20, read without migrating it, reads as holding no rows.
 */
public interface PlanCacheStore {
    /** Every row, as written (the planner checks versions and hashes). */
    List<PlanCache.Entry> read();

    /** Replaces the rows of these models, in one transaction. */
    void write(List<PlanCache.Entry> entries);
}
