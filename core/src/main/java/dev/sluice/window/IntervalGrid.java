package dev.sluice.window;

import static java.util.Objects.requireNonNull;

import dev.sluice.project.TimeSpan;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/**
 * The intervals of a windowed model: interval {@code i} is {@code [start + i * grain, start + (i + 1) * grain)} in UTC.
 * Fixed grains count seconds; monthly and yearly grains count calendar months from {@code start}, which is then the
 * first of a month at midnight. Immutable.
 */
public record IntervalGrid(LocalDateTime start, TimeSpan grain) {
    public IntervalGrid {
        requireNonNull(start, "start");
        requireNonNull(grain, "grain");
        if (grain.amount() == 0) {
            throw new IllegalArgumentException("a grid needs a grain of at least one unit");
        }
    }

    /** The index of the interval holding {@code time} (negative before the start). */
    public long index(LocalDateTime time) {
        if (grain.calendar()) {
            long months = ChronoUnit.MONTHS.between(start, time);
            // MONTHS.between truncates toward zero; step back to the interval that really holds time
            if (start.plusMonths(months).isAfter(time)) {
                months--;
            }
            return Math.floorDiv(months, grain.months());
        }
        long seconds = time.toEpochSecond(ZoneOffset.UTC) - start.toEpochSecond(ZoneOffset.UTC);
        // the fraction of a second (always positive) never crosses a whole-second interval boundary
        return Math.floorDiv(seconds, grain.seconds());
    }

    /** The start of interval {@code index}. */
    public LocalDateTime startOf(long index) {
        return grain.calendar() ? start.plusMonths(index * grain.months())
                : start.plusSeconds(index * grain.seconds());
    }

    /** The end of interval {@code index} (the start of the next one). */
    public LocalDateTime endOf(long index) {
        return startOf(index + 1);
    }

    /** How many whole intervals a span covers, rounded up (a lookback of 36 hours covers 2 daily intervals). */
    public long intervalsIn(TimeSpan span) {
        if (span.amount() == 0) {
            return 0;
        }
        if (grain.calendar()) {
            long months = span.calendar() ? span.months() : (span.seconds() + 28 * 86_400 - 1) / (28 * 86_400);
            return (months + grain.months() - 1) / grain.months();
        }
        long seconds = span.calendar() ? span.months() * 31 * 86_400 : span.seconds();
        return (seconds + grain.seconds() - 1) / grain.seconds();
    }
}
