package dev.sluice;

import static java.util.Objects.requireNonNull;

import dev.sluice.project.Crons;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A schedule of sluice.yml's {@code schedules:}: when (a Unix cron expression in a time zone) to run which models
 * with which vars, what to do with the runs missed while no server ran, and how many of its runs may be under way
 * at once. Immutable and thread-safe.
 *
 * @param cron a Unix cron expression of five fields (minute hour day-of-month month day-of-week), checked when
 *     sluice.yml was read
 * @param select selectors as {@code --select} takes them; empty = every model
 * @param exclude selectors as {@code --exclude} takes them
 * @param vars {@code --var name=value} overrides, as text
 * @param maxConcurrency how many runs of this schedule may be queued or running at once; a due run beyond it is
 *     skipped (and recorded as skipped)
 */
public record Schedule(String name, String cron, ZoneId zone, List<String> select, List<String> exclude,
        Map<String, String> vars, CatchUp catchUp, int maxConcurrency) {
    /** What a server does, when it starts, with the due times that passed while no server ran. */
    public enum CatchUp {
        /** Runs none of them (they are recorded as missed). */
        NONE,
        /** Runs the latest one; the earlier ones are recorded as missed. */
        LAST,
        /** Runs every one of them, oldest first. */
        ALL
    }

    public Schedule {
        requireNonNull(name, "name");
        requireNonNull(cron, "cron");
        requireNonNull(zone, "zone");
        select = List.copyOf(select);
        exclude = List.copyOf(exclude);
        vars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(vars));
        requireNonNull(catchUp, "catchUp");
        if (maxConcurrency < 1) {
            throw new SluiceException(ErrorCode.USAGE, "Cannot schedule '%s' with max_concurrency %d: use 1 or more",
                    name, maxConcurrency);
        }
        checkCron(cron);
    }

    /**
     * Checks a Unix cron expression.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static void checkCron(String cron) {
        Crons.check(cron);
    }

    /** The first due time strictly after {@code after}, in this schedule's zone; empty if it never comes again. */
    public Optional<ZonedDateTime> nextDue(Instant after) {
        return Crons.next(cron, zone, after);
    }

    /** The latest due time strictly before {@code before}, in this schedule's zone, if there was one. */
    public Optional<ZonedDateTime> previousDue(Instant before) {
        return Crons.previous(cron, zone, before);
    }

    /**
     * The due times after {@code after} and at or before {@code until}, oldest first: the latest {@code limit} of
     * them when there are more. A wall time the zone goes through twice (when clocks go back) is due once, at its
     * first occurrence, as {@link #nextDue} sees it.
     */
    public List<Instant> dueTimes(Instant after, Instant until, int limit) {
        return Crons.dueTimes(cron, zone, after, until, limit);
    }

    /** The options of a run this schedule starts for its due time {@code due}. */
    public RunOptions runOptions(Instant due) {
        RunOptions options = RunOptions.defaults().withScheduled(name, due);
        options = options.withSelect(select.toArray(String[]::new)).withExclude(exclude.toArray(String[]::new));
        for (Map.Entry<String, String> var : vars.entrySet()) {
            options = options.withVar(var.getKey(), var.getValue());
        }
        return options;
    }
}
