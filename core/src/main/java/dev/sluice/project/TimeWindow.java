package dev.sluice.project;

import static java.util.Objects.requireNonNull;

import java.time.LocalDateTime;

/**
 * How a windowed model ({@code time:} in its front matter) cuts time into intervals and treats late records. All
 * times are UTC: a naive TIMESTAMP column is read as UTC, a TIMESTAMPTZ column is converted to UTC.
 *
 * @param column the model's event-time column: each interval holds the output rows whose time falls in it
 * @param inputColumn the event-time column of the tracked sources the model reads, which are filtered on it and whose
 *     late rows are found by it (by default {@code column})
 * @param grain the length of one interval
 * @param start the start of the first interval (UTC)
 * @param lateness how long after an interval's end a late record still rebuilds it
 * @param latePolicy what happens to a record later than {@code lateness}
 * @param clock what lateness is measured against
 * @param batchSize intervals built per query; 0 = every pending interval of a contiguous range in one query
 * @param lookback how far before an interval the model reads its input (a 7-day moving average reads 6 days back);
 *     a change to input at time t affects the intervals up to t + lookback
 */
public record TimeWindow(String column, String inputColumn, TimeSpan grain, LocalDateTime start, TimeSpan lateness, LatePolicy latePolicy,
        Clock clock, int batchSize, TimeSpan lookback) {
    /**
     * The parameters the engine gives a windowed model ({@code ${window_start}}, {@code ${window_end}}): the bounds of
     * the intervals a query builds, read from session variables of these names set before each query (so the SQL
     * text, and its hash, is the same for every interval).
     */
    public static final java.util.Set<String> BOUNDS = java.util.Set.of("window_start", "window_end");

    public TimeWindow {
        requireNonNull(column, "column");
        requireNonNull(inputColumn, "inputColumn");
        requireNonNull(grain, "grain");
        requireNonNull(start, "start");
        requireNonNull(lateness, "lateness");
        requireNonNull(latePolicy, "latePolicy");
        requireNonNull(clock, "clock");
        requireNonNull(lookback, "lookback");
        if (grain.amount() == 0) {
            throw new IllegalArgumentException("a grain cannot be empty");
        }
        if (batchSize < 0) {
            throw new IllegalArgumentException("batch size cannot be negative: " + batchSize);
        }
    }

    /** What happens to a record that arrives later than the allowed lateness. */
    public enum LatePolicy {
        /** Its interval is rebuilt anyway. */
        REPROCESS,
        /** The record goes to {@code <model>__late} with its interval and arrival run; the interval stays as it is. */
        QUARANTINE,
        /** The record is counted and recorded, never read. */
        DROP,
        /** The record is read as if its event time were the start of the current open interval. */
        CURRENT
    }

    /** What lateness is measured against. */
    public enum Clock {
        /** The greatest event time the source has delivered (replays and backfills behave as live data did). */
        EVENT,
        /** The wall clock (UTC) at the start of the run. */
        PROCESSING
    }

    /**
     * A moment as users write one, in UTC: {@code 2024-01-01}, {@code 2024-01-01 06:00[:00]} (read as UTC) or with an
     * offset ({@code 2024-01-01T06:00:00+02:00}, converted to UTC).
     *
     * @throws java.time.format.DateTimeParseException when the text is none of these
     */
    public static LocalDateTime parseUtc(String text) {
        String iso = text.strip().replace(' ', 'T');
        if (iso.length() == 10) {
            return java.time.LocalDate.parse(iso).atStartOfDay();
        }
        if (iso.endsWith("Z") || iso.matches(".*[+-]\\d\\d:\\d\\d$")) {
            return java.time.OffsetDateTime.parse(iso).withOffsetSameInstant(java.time.ZoneOffset.UTC)
                    .toLocalDateTime();
        }
        return LocalDateTime.parse(iso);
    }
}
