package dev.sluice.project;

import static java.util.Objects.requireNonNull;

import java.util.Locale;

/**
 * A length of time written as {@code <amount> <unit>} ({@code 1 hour}, {@code 15 minutes}, {@code 2 days},
 * {@code 1 month}): a window's grain, its allowed lateness or its lookback. Months and years are calendar months, so
 * that a monthly grain follows the calendar; every other unit is a fixed number of seconds (UTC has no DST).
 *
 * @param amount how many units; 0 only for a lateness or lookback of nothing
 */
public record TimeSpan(long amount, Unit unit) {
    public TimeSpan {
        requireNonNull(unit, "unit");
        if (amount < 0) {
            throw new IllegalArgumentException("a time span cannot be negative: " + amount);
        }
    }

    /** No time at all. */
    public static final TimeSpan ZERO = new TimeSpan(0, Unit.SECOND);

    /** The units of a span; {@code seconds} is the fixed length of one unit, 0 for calendar months. */
    public enum Unit {
        SECOND(1), MINUTE(60), HOUR(3600), DAY(86_400), WEEK(604_800), MONTH(0), YEAR(0);

        private final long seconds;

        Unit(long seconds) {
            this.seconds = seconds;
        }

        /** The fixed length of one unit in seconds, or 0 for months and years, whose length varies. */
        public long seconds() {
            return seconds;
        }
    }

    /** True for spans counted in calendar months (months and years). */
    public boolean calendar() {
        return unit == Unit.MONTH || unit == Unit.YEAR;
    }

    /** The span in calendar months; only for {@link #calendar()} spans. */
    public long months() {
        return unit == Unit.YEAR ? amount * 12 : amount;
    }

    /** The span in seconds; only for spans that are not {@link #calendar()}. */
    public long seconds() {
        return amount * unit.seconds();
    }

    @Override
    public String toString() {
        return amount + " " + unit.name().toLowerCase(Locale.ROOT) + (amount == 1 ? "" : "s");
    }
}
