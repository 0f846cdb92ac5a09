package dev.sluice.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;

class IntervalStatesTest {
    private static final LocalDateTime T1 = LocalDateTime.parse("2024-01-01T01:00");
    private static final LocalDateTime T2 = LocalDateTime.parse("2024-01-01T02:00");

    private static IntervalState s(long from, long to, IntervalState.State state, long run, long rows,
            LocalDateTime max) {
        return new IntervalState(new IndexRange(from, to), state, run, rows, max);
    }

    @Test
    void neighboursWithTheSameStateAndRunMerge() {
        IntervalStates states = IntervalStates.of(List.of(s(5, 8, IntervalState.State.PROCESSED, 1, 4, T2),
                s(0, 5, IntervalState.State.PROCESSED, 1, 3, T1), s(8, 9, IntervalState.State.PROCESSED, 2, 1, null)));
        assertThat(states.states()).containsExactly(s(0, 8, IntervalState.State.PROCESSED, 1, 7, T2),
                s(8, 9, IntervalState.State.PROCESSED, 2, 1, null));
        assertThat(states.done().ranges()).containsExactly(new IndexRange(0, 9));
        assertThat(states.completeUntil(0)).isEqualTo(9);
        assertThat(states.at(8).get().runId()).isEqualTo(2);
        assertThat(states.at(9)).isEmpty();
        assertThat(states.at(-1)).isEmpty();
        assertThat(IntervalStates.NONE.completeUntil(0)).isZero();
    }

    @Test
    void aReplacementCutsWhatItOverlaps() {
        IntervalStates states = IntervalStates.of(List.of(s(0, 10, IntervalState.State.PROCESSED, 1, 10, T2)));
        IntervalStates after = states.with(s(4, 6, IntervalState.State.REPROCESSED, 2, 3, T1));
        assertThat(after.states()).extracting(IntervalState::range, IntervalState::state, IntervalState::runId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(new IndexRange(0, 4), IntervalState.State.PROCESSED, 1L),
                        org.assertj.core.groups.Tuple.tuple(new IndexRange(4, 6), IntervalState.State.REPROCESSED, 2L),
                        org.assertj.core.groups.Tuple.tuple(new IndexRange(6, 10), IntervalState.State.PROCESSED, 1L));
        // A gap stops the complete history.
        IntervalStates gap = after.with(s(12, 13, IntervalState.State.PROCESSED, 3, 0, null));
        assertThat(gap.completeUntil(0)).isEqualTo(10);
        assertThat(gap.done().ranges()).containsExactly(new IndexRange(0, 10), new IndexRange(12, 13));
    }

    @Test
    void statesAreStoredAsWords() {
        assertThat(IntervalState.State.LATE_CLOSED.word()).isEqualTo("late-closed");
        assertThat(IntervalState.State.ofWord("late-closed")).isEqualTo(IntervalState.State.LATE_CLOSED);
        assertThatThrownBy(() -> IntervalStates.of(List.of(s(0, 5, IntervalState.State.PROCESSED, 1, 0, null),
                s(4, 6, IntervalState.State.PROCESSED, 2, 0, null))))
                .hasMessage("interval states overlap: [0, 5) and [4, 6)");
    }
}
