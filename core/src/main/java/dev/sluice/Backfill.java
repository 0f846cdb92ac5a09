package dev.sluice;

import static java.util.Objects.requireNonNull;

import java.time.LocalDateTime;

/**
 * A restatement of a windowed model's intervals: every built interval overlapping {@code [from, to)} (UTC) is
 * rebuilt from its inputs, and, with {@code cascade}, the intervals of downstream windowed models that read them (and
 * downstream tables). Immutable.
 */
public record Backfill(String model, LocalDateTime from, LocalDateTime to, boolean cascade) {
    public Backfill {
        requireNonNull(model, "model");
        requireNonNull(from, "from");
        requireNonNull(to, "to");
        if (!to.isAfter(from)) {
            throw new SluiceException(ErrorCode.USAGE, "Cannot backfill %s: --to %s is not after --from %s; give a "
                    + "range whose end is after its start", model, to, from);
        }
    }

    /** A restatement of {@code [from, to)} of the model and everything downstream of it. */
    public static Backfill of(String model, LocalDateTime from, LocalDateTime to) {
        return new Backfill(model, from, to, true);
    }

    /**
     * A restatement with its range written as text: {@code 2024-01-01}, {@code 2024-01-01 06:00[:00]} (UTC) or with
     * an offset, {@code 2024-01-01T06:00:00+02:00}.
     */
    public static Backfill parse(String model, String from, String to) {
        return of(model, time(model, "--from", from), time(model, "--to", to));
    }

    private static LocalDateTime time(String model, String option, String text) {
        try {
            return dev.sluice.project.TimeWindow.parseUtc(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new SluiceException(ErrorCode.USAGE, "Cannot backfill %s: %s '%s' is not a date or time; write "
                    + "2024-01-01, '2024-01-01 06:00' (UTC) or 2024-01-01T06:00:00+02:00", model, option, text);
        }
    }

    /** This restatement without its downstream models. */
    public Backfill withoutCascade() {
        return new Backfill(model, from, to, false);
    }
}
