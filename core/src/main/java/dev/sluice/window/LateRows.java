package dev.sluice.window;

import static java.util.Objects.requireNonNull;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Late rows of one source for one built interval, loaded by one run, with what the model's lateness policy does with
 * them: the unit of late-row accounting. Pure; immutable.
 *
 * @param source the source's qualified name
 * @param index the interval's index on the model's grid
 * @param arrivalRun the run that loaded them
 * @param rows how many
 * @param lateness seconds after the interval's end, on the model's clock
 * @param disposition their fate
 */
public record LateRows(String source, long index, long arrivalRun, long rows, double lateness,
        Lateness.Disposition disposition) {
    public LateRows {
        requireNonNull(source, "source");
        requireNonNull(disposition, "disposition");
    }

    /** The rows of {@code late} by fate, only the fates that occur, in the order of the fates. */
    public static Map<Lateness.Disposition, Long> byFate(List<LateRows> late) {
        Map<Lateness.Disposition, Long> byFate = new EnumMap<>(Lateness.Disposition.class);
        late.forEach(group -> byFate.merge(group.disposition(), group.rows(), Long::sum));
        return byFate;
    }

    /** The indexes of the intervals whose late rows rebuild them. */
    public static List<Long> rebuilding(List<LateRows> late) {
        return late.stream().filter(group -> group.disposition().rebuilds()).map(LateRows::index).toList();
    }

    /**
     * The states after a build: each interval whose late rows did not rebuild it (quarantined, dropped, reassigned)
     * and that is not rebuilt anyway becomes {@code late-closed}, keeping the run that built it.
     */
    public static IntervalStates closed(IntervalStates states, List<LateRows> late, RangeSet rebuild) {
        IntervalStates after = states;
        for (LateRows group : late) {
            if (!group.disposition().rebuilds() && !rebuild.contains(group.index())) {
                IntervalState old = after.at(group.index()).orElseThrow();
                after = after.with(new IntervalState(new IndexRange(group.index(), group.index() + 1),
                        IntervalState.State.LATE_CLOSED, old.runId(), 0, null));
            }
        }
        return after;
    }

    /** The late rows in words, by fate: {@code late rows: 3 within lateness (rebuilt), 1 beyond lateness, dropped}. */
    public static String describe(List<LateRows> late) {
        List<String> fates = new java.util.ArrayList<>();
        byFate(late).forEach((fate, rows) -> fates.add(rows + " " + switch (fate) {
            case REBUILT -> "within lateness (rebuilt)";
            case REPROCESSED -> "beyond lateness, reprocessed";
            case QUARANTINED -> "beyond lateness, quarantined";
            case DROPPED -> "beyond lateness, dropped";
            case REASSIGNED -> "beyond lateness, moved to the current interval";
        }));
        return "late rows: " + String.join(", ", fates);
    }
}
