package dev.sluice.schedule;

import dev.sluice.Schedule;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/** The due times of a schedule in a span of time. */
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
        Deque<Instant> dues = new ArrayDeque<>();
        // Walked back from the end, so that a long span costs LIMIT steps, not one per due time since it began.
        Optional<ZonedDateTime> due = schedule.previousDue(until.plusNanos(1));
        while (due.isPresent() && due.get().toInstant().isAfter(after) && dues.size() < LIMIT) {
            dues.addFirst(due.get().toInstant());
            due = schedule.previousDue(due.get().toInstant());
        }
        return List.copyOf(dues);
    }
}
