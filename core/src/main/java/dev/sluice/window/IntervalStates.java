package dev.sluice.window;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Every recorded interval of one model as sorted, disjoint ranges; neighbours with the same state and run are kept
 * merged. Immutable: {@link #with} returns new states.
 */
public final class IntervalStates {
    public static final IntervalStates NONE = new IntervalStates(List.of());

    private final List<IntervalState> states;

    private IntervalStates(List<IntervalState> states) {
        this.states = List.copyOf(states);
    }

    /** The states as read back from the catalog (disjoint ranges, in any order). */
    public static IntervalStates of(List<IntervalState> states) {
        List<IntervalState> sorted = new ArrayList<>(states);
        sorted.sort(Comparator.comparingLong(s -> s.range().from()));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).range().from() < sorted.get(i - 1).range().to()) {
                throw new IllegalArgumentException("interval states overlap: " + sorted.get(i - 1).range() + " and "
                        + sorted.get(i).range());
            }
        }
        return new IntervalStates(merge(sorted));
    }

    public List<IntervalState> states() {
        return states;
    }

    /** Every interval that has been built (whatever its state since). */
    public RangeSet done() {
        return RangeSet.of(states.stream().map(IntervalState::range).toList());
    }

    /** The first interval not built, counting from {@code first}: where the contiguous history ends. */
    public long completeUntil(long first) {
        long until = first;
        for (IntervalState state : states) {
            if (state.range().from() > until) {
                break;
            }
            until = Math.max(until, state.range().to());
        }
        return until;
    }

    /** The state of interval {@code index}, if it was built. */
    public Optional<IntervalState> at(long index) {
        int low = 0;
        int high = states.size() - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            IndexRange range = states.get(middle).range();
            if (index < range.from()) {
                high = middle - 1;
            } else if (index >= range.to()) {
                low = middle + 1;
            } else {
                return Optional.of(states.get(middle));
            }
        }
        return Optional.empty();
    }

    /**
     * These states with {@code replacement} over its range: states it overlaps are cut (the parts outside keep their
     * state, with rows to be recounted), then equal neighbours are merged.
     */
    public IntervalStates with(IntervalState replacement) {
        List<IntervalState> result = new ArrayList<>();
        IndexRange cut = replacement.range();
        for (IntervalState state : states) {
            IndexRange range = state.range();
            if (range.to() <= cut.from() || range.from() >= cut.to()) {
                result.add(state);
                continue;
            }
            if (range.from() < cut.from()) {
                result.add(state.over(new IndexRange(range.from(), cut.from()), state.rows(), state.maxEventTime()));
            }
            if (range.to() > cut.to()) {
                result.add(state.over(new IndexRange(cut.to(), range.to()), state.rows(), state.maxEventTime()));
            }
        }
        result.add(replacement);
        result.sort(Comparator.comparingLong(s -> s.range().from()));
        return new IntervalStates(merge(result));
    }

    /** Neighbours with the same state and run become one range (rows added, greatest event time kept). */
    private static List<IntervalState> merge(List<IntervalState> sorted) {
        List<IntervalState> merged = new ArrayList<>();
        for (IntervalState state : sorted) {
            IntervalState last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && last.range().to() == state.range().from() && last.state() == state.state()
                    && last.runId() == state.runId()) {
                merged.set(merged.size() - 1, new IntervalState(new IndexRange(last.range().from(), state.range().to()),
                        last.state(), last.runId(), last.rows() + state.rows(), later(last.maxEventTime(),
                                state.maxEventTime())));
            } else {
                merged.add(state);
            }
        }
        return merged;
    }

    /** The later of two times, either of which may be null. */
    public static java.time.LocalDateTime later(java.time.LocalDateTime a, java.time.LocalDateTime b) {
        if (a == null) {
            return b;
        }
        return b == null || a.isAfter(b) ? a : b;
    }
}
