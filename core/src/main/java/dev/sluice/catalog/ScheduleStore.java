package dev.sluice.catalog;

import java.util.List;

/**
 * What the schedules of sluice.yml did at their due times ({@code schedule_runs}). Thread-safe; each method works in
 * its own transaction. A catalog older than V18, read without migrating it, reads as holding no schedule runs.
 */
public interface ScheduleStore {
    /**
     * Records what a schedule did at a due time. A {@code started} record replaces an earlier one of the same due
     * time; any other is ignored when the due time already has a record (a run that started and failed stays
     * linked to its run).
     */
    void record(ScheduleRunRecord record);

    /**
     * The {@code limit} latest records (by due time) of a schedule, or of every schedule when {@code schedule} is
     * null, newest first, with the status of the run each started.
     */
    List<ScheduleRunRecord> recent(String schedule, int limit);

    /** Each schedule's latest record (by due time), by schedule name. */
    List<ScheduleRunRecord> latest();
}
