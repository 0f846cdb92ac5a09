package dev.sluice.window;

/**
 * Consecutive intervals of a model's grid, by index: {@code from} included, {@code to} excluded.
 *
 * @param from the first interval
 * @param to the interval after the last
 */
public record IndexRange(long from, long to) {
    public IndexRange {
        if (to <= from) {
            throw new IllegalArgumentException("an index range holds at least one interval: [" + from + ", " + to + ")");
        }
    }

    /** The number of intervals. */
    public long size() {
        return to - from;
    }

    public boolean contains(long index) {
        return index >= from && index < to;
    }

    @Override
    public String toString() {
        return "[" + from + ", " + to + ")";
    }
}
