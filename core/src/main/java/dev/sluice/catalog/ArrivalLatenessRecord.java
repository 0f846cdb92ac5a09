package dev.sluice.catalog;

import static java.util.Objects.requireNonNull;

/**
 * One row of {@code sluice.arrival_lateness}: how late one source's rows loaded in a run arrived, in seconds.
 *
 * @param histogram JSON object: upper bound in seconds → late rows whose lag is at most that
 * @param maxEventTime the greatest event time (UTC) among the rows the run loaded; null when they have none
 */
public record ArrivalLatenessRecord(long runId, String source, String column, String clock, long rows, long lateRows,
        Double p50, Double p95, Double p99, Double max, String histogram, java.time.LocalDateTime maxEventTime) {
    public ArrivalLatenessRecord {
        requireNonNull(source, "source");
        requireNonNull(column, "column");
        requireNonNull(clock, "clock");
        requireNonNull(histogram, "histogram");
    }
}
