package dev.sluice.project;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Due times of Unix cron expressions (cron-utils' Unix definition) in a time zone. Stateless and thread-safe. */
public final class Crons {
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    // ExecutionTime is immutable; parsing it again for each due time would dominate a catch-up over a long outage.
    private static final Map<String, ExecutionTime> TIMES = new ConcurrentHashMap<>();

    private Crons() {
    }

    /**
     * Checks a Unix cron expression.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static void check(String cron) {
        executionTime(cron);
    }

    private static ExecutionTime executionTime(String cron) {
        return TIMES.computeIfAbsent(cron, text -> ExecutionTime.forCron(UNIX.parse(text)));
    }

    /** The first due time strictly after {@code after}, in the zone; empty if it never comes again. */
    public static Optional<ZonedDateTime> next(String cron, ZoneId zone, Instant after) {
        return executionTime(cron).nextExecution(after.atZone(zone));
    }

    /** The latest due time strictly before {@code before}, in the zone, if there was one. */
    public static Optional<ZonedDateTime> previous(String cron, ZoneId zone, Instant before) {
        return executionTime(cron).lastExecution(before.atZone(zone));
    }

    /**
     * The due times after {@code after} and at or before {@code until}, oldest first: the latest {@code limit} of
     * them when there are more. A wall time the zone goes through twice (when clocks go back) is due once, at its
     * first occurrence, as {@link #next} sees it.
     */
    public static List<Instant> dueTimes(String cron, ZoneId zone, Instant after, Instant until, int limit) {
        Deque<Instant> dues = new ArrayDeque<>();
        // Walked back from the end, so that a long span costs limit steps, not one per due time since it began.
        Optional<ZonedDateTime> due = previous(cron, zone, until.plusNanos(1));
        while (due.isPresent() && due.get().toInstant().isAfter(after) && dues.size() < limit) {
            if (!secondOccurrence(due.get())) {
                dues.addFirst(due.get().toInstant());
            }
            due = previous(cron, zone, due.get().toInstant());
        }
        return List.copyOf(dues);
    }

    /** True for a wall time's second occurrence, in the hour clocks go back through. */
    private static boolean secondOccurrence(ZonedDateTime due) {
        return due.withEarlierOffsetAtOverlap().toInstant().isBefore(due.toInstant());
    }
}
