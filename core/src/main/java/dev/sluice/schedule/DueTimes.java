package dev.sluice.schedule;

import dev.sluice.Schedule;
import java.time.Instant;
import java.util.List;

/** The due times of a schedule in a span of time, as many as the runner considers. */
final class DueTimes {
    /**
     * At most this many due times of one schedule are considered in one span: a schedule every minute over a month
     * long outage would otherwise record (or run) forty thousand of them; the older ones are ignored.
     */
    static final int LIMIT = 1000;

    private DueTimes() {
    }

    /** The due times after {@code after} and at or before {@code until}, oldest first; the latest {@link #LIMIT}. */
    static List<Instant> between(Schedule schedule, Instant after, Instant until) {
        return schedule.dueTimes(after, until, LIMIT);
    }
}
