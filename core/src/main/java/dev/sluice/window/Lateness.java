package dev.sluice.window;

import dev.sluice.project.TimeSpan;
import dev.sluice.project.TimeWindow;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Locale;

/** Decides what becomes of records that arrive for an interval already built. */
public final class Lateness {
    /** What becomes of late records. */
    public enum Disposition {
        /** Within the allowed lateness: their interval is rebuilt. */
        REBUILT,
        /** Beyond it, with late_policy reprocess: their interval is rebuilt anyway. */
        REPROCESSED,
        /** Beyond it, with late_policy quarantine: moved to {@code <model>__late}, never read by the model. */
        QUARANTINED,
        /** Beyond it, with late_policy drop: counted, recorded, never read by the model. */
        DROPPED,
        /** Beyond it, with late_policy current: read as if they belonged to the current open interval. */
        REASSIGNED;

        /** The word stored in the catalog. */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** True when the records' interval is rebuilt with them. */
        public boolean rebuilds() {
            return this == REBUILT || this == REPROCESSED;
        }
    }

    private Lateness() {
    }

    /**
     * What becomes of records for interval {@code index} that arrive when the model's clock reads {@code clock}:
     * rebuilt while the clock is at most the interval's end plus the allowed lateness, otherwise as the policy says.
     */
    public static Disposition decide(TimeWindow window, IntervalGrid grid, long index, LocalDateTime clock) {
        if (!clock.isAfter(plus(grid.endOf(index), window.lateness()))) {
            return Disposition.REBUILT;
        }
        return switch (window.latePolicy()) {
            case REPROCESS -> Disposition.REPROCESSED;
            case QUARANTINE -> Disposition.QUARANTINED;
            case DROP -> Disposition.DROPPED;
            case CURRENT -> Disposition.REASSIGNED;
        };
    }

    /** How long after the end of interval {@code index} the clock reads, in seconds (negative before its end). */
    public static double secondsAfterEnd(IntervalGrid grid, long index, LocalDateTime clock) {
        return Duration.between(grid.endOf(index), clock).toNanos() / 1e9;
    }

    /** {@code time + span}. */
    public static LocalDateTime plus(LocalDateTime time, TimeSpan span) {
        return span.calendar() ? time.plusMonths(span.months()) : time.plusSeconds(span.seconds());
    }
}
