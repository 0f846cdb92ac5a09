package dev.sluice.window;

import static java.util.Objects.requireNonNull;

import java.time.LocalDateTime;
import java.util.Locale;

/**
 * The state of consecutive intervals of a model that share it: what they are, the run that last built them, the
 * rows they hold and the greatest event time among those rows.
 *
 * @param runId the run that last built these intervals
 * @param rows rows in these intervals of the published table
 * @param maxEventTime the greatest event time in them (UTC), or null when they are empty
 */
public record IntervalState(IndexRange range, State state, long runId, long rows, LocalDateTime maxEventTime) {
    public IntervalState {
        requireNonNull(range, "range");
        requireNonNull(state, "state");
    }

    /** What has become of an interval. Intervals not recorded are pending. */
    public enum State {
        /** Built once. */
        PROCESSED,
        /** Rebuilt after it was first built: late data within lateness, the reprocess policy, or a backfill. */
        REPROCESSED,
        /** Built, then refused late data beyond its lateness (quarantined, dropped or moved to the current interval). */
        LATE_CLOSED;

        /** The word stored in the catalog. */
        public String word() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static State ofWord(String word) {
            return valueOf(word.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    /** The same state over another range (rows and max event time to be recounted by the caller). */
    public IntervalState over(IndexRange other, long otherRows, LocalDateTime otherMax) {
        return new IntervalState(other, state, runId, otherRows, otherMax);
    }
}
