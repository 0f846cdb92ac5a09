package dev.sluice.window;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * A set of interval indexes kept as sorted, disjoint, non-adjacent ranges, so that a long history at a fine grain
 * stays a handful of ranges. Immutable: every operation returns a new set.
 */
public final class RangeSet {
    public static final RangeSet EMPTY = new RangeSet(List.of());

    private final List<IndexRange> ranges;

    private RangeSet(List<IndexRange> ranges) {
        this.ranges = List.copyOf(ranges);
    }

    /** The union of the given ranges, merged. */
    public static RangeSet of(Collection<IndexRange> ranges) {
        List<IndexRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(IndexRange::from));
        List<IndexRange> merged = new ArrayList<>();
        for (IndexRange range : sorted) {
            IndexRange last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && range.from() <= last.to()) {
                merged.set(merged.size() - 1, new IndexRange(last.from(), Math.max(last.to(), range.to())));
            } else {
                merged.add(range);
            }
        }
        return new RangeSet(merged);
    }

    public static RangeSet of(IndexRange... ranges) {
        return of(List.of(ranges));
    }

    /** The set of the given single indexes. */
    public static RangeSet ofIndexes(Collection<Long> indexes) {
        return of(indexes.stream().map(index -> new IndexRange(index, index + 1)).toList());
    }

    public List<IndexRange> ranges() {
        return ranges;
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** The number of intervals in the set. */
    public long size() {
        return ranges.stream().mapToLong(IndexRange::size).sum();
    }

    public boolean contains(long index) {
        int low = 0;
        int high = ranges.size() - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            IndexRange range = ranges.get(middle);
            if (index < range.from()) {
                high = middle - 1;
            } else if (index >= range.to()) {
                low = middle + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    public RangeSet union(RangeSet other) {
        List<IndexRange> all = new ArrayList<>(ranges);
        all.addAll(other.ranges);
        return of(all);
    }

    /** The indexes of this set that are not in {@code other}. */
    public RangeSet minus(RangeSet other) {
        List<IndexRange> result = new ArrayList<>();
        for (IndexRange range : ranges) {
            long from = range.from();
            for (IndexRange cut : other.ranges) {
                if (cut.to() <= from || cut.from() >= range.to()) {
                    continue;
                }
                if (cut.from() > from) {
                    result.add(new IndexRange(from, cut.from()));
                }
                from = Math.max(from, cut.to());
            }
            if (from < range.to()) {
                result.add(new IndexRange(from, range.to()));
            }
        }
        return new RangeSet(result);
    }

    public RangeSet intersect(RangeSet other) {
        return minus(minus(other));
    }

    /** Every range widened by {@code after} intervals at its end (what a lookback of that many intervals affects). */
    public RangeSet widenedBy(long after) {
        return after == 0 ? this : of(ranges.stream().map(r -> new IndexRange(r.from(), r.to() + after)).toList());
    }

    /** Every range widened by {@code before} intervals at its start (the input a lookback of that many reads). */
    public RangeSet widenedBefore(long before) {
        return before == 0 ? this : of(ranges.stream().map(r -> new IndexRange(r.from() - before, r.to())).toList());
    }

    /** The first interval of the set; the set must not be empty. */
    public long first() {
        return ranges.get(0).from();
    }

    /** The interval after the last of the set; the set must not be empty. */
    public long end() {
        return ranges.get(ranges.size() - 1).to();
    }

    /** The set cut, in order, into sets of at most {@code size} intervals each; 0 keeps it whole. */
    public List<RangeSet> chunks(int size) {
        if (size == 0 || isEmpty()) {
            return isEmpty() ? List.of() : List.of(this);
        }
        List<RangeSet> chunks = new ArrayList<>();
        List<IndexRange> chunk = new ArrayList<>();
        long room = size;
        for (IndexRange range : ranges) {
            long from = range.from();
            while (from < range.to()) {
                long to = Math.min(range.to(), from + room);
                chunk.add(new IndexRange(from, to));
                room -= to - from;
                from = to;
                if (room == 0) {
                    chunks.add(of(chunk));
                    chunk = new ArrayList<>();
                    room = size;
                }
            }
        }
        if (!chunk.isEmpty()) {
            chunks.add(of(chunk));
        }
        return chunks;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RangeSet set && set.ranges.equals(ranges);
    }

    @Override
    public int hashCode() {
        return ranges.hashCode();
    }

    @Override
    public String toString() {
        return ranges.toString();
    }
}
