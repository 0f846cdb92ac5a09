package dev.sluice.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RangeSetTest {
    private static IndexRange r(long from, long to) {
        return new IndexRange(from, to);
    }

    @Test
    void mergesOverlappingAndAdjacentRanges() {
        RangeSet set = RangeSet.of(r(10, 12), r(0, 3), r(3, 5), r(11, 15), r(20, 21));
        assertThat(set.ranges()).containsExactly(r(0, 5), r(10, 15), r(20, 21));
        assertThat(set.size()).isEqualTo(11);
        assertThat(set.contains(4)).isTrue();
        assertThat(set.contains(5)).isFalse();
        assertThat(set.contains(20)).isTrue();
        assertThat(set.contains(-1)).isFalse();
        assertThat(RangeSet.ofIndexes(List.of(7L, 5L, 6L, 9L)).ranges()).containsExactly(r(5, 8), r(9, 10));
        assertThat(set).isEqualTo(RangeSet.of(r(0, 5), r(10, 15), r(20, 21))).hasSameHashCodeAs(
                RangeSet.of(r(0, 5), r(10, 15), r(20, 21)));
        assertThat(set.toString()).isEqualTo("[[0, 5), [10, 15), [20, 21)]");
        assertThat(RangeSet.EMPTY.isEmpty()).isTrue();
    }

    @Test
    void setOperations() {
        RangeSet a = RangeSet.of(r(0, 10), r(20, 30));
        RangeSet b = RangeSet.of(r(5, 25));
        assertThat(a.minus(b).ranges()).containsExactly(r(0, 5), r(25, 30));
        assertThat(a.intersect(b).ranges()).containsExactly(r(5, 10), r(20, 25));
        assertThat(a.union(b).ranges()).containsExactly(r(0, 30));
        assertThat(a.minus(RangeSet.of(r(2, 3), r(4, 5))).ranges()).containsExactly(r(0, 2), r(3, 4), r(5, 10),
                r(20, 30));
        assertThat(a.widenedBy(0)).isSameAs(a);
        assertThat(a.widenedBy(12).ranges()).containsExactly(r(0, 42));
    }

    @Test
    void cutsIntoChunksOfIntervalsInOrder() {
        RangeSet set = RangeSet.of(r(0, 5), r(10, 12));
        assertThat(set.chunks(2)).containsExactly(RangeSet.of(r(0, 2)), RangeSet.of(r(2, 4)),
                RangeSet.of(r(4, 5), r(10, 11)), RangeSet.of(r(11, 12)));
        assertThat(set.chunks(7)).containsExactly(set);
        assertThat(set.chunks(0)).containsExactly(set);
        assertThat(RangeSet.EMPTY.chunks(0)).isEmpty();
        assertThat(RangeSet.EMPTY.chunks(3)).isEmpty();
        assertThat(set.first()).isZero();
        assertThat(set.end()).isEqualTo(12);
        assertThat(set.widenedBefore(0)).isSameAs(set);
        assertThat(set.widenedBefore(3).ranges()).containsExactly(r(-3, 5), r(7, 12));
    }

    @Test
    void aRangeHoldsAtLeastOneInterval() {
        assertThatThrownBy(() -> r(3, 3)).hasMessage("an index range holds at least one interval: [3, 3)");
        assertThat(r(3, 5).size()).isEqualTo(2);
    }
}
