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

    /** This restatement without its downstream models. */
    public Backfill withoutCascade() {
        return new Backfill(model, from, to, false);
    }
}
