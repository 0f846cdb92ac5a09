package dev.sluice.storage;

/**
 * The time one build spent on its storage: statistics (the sample, the plain aggregates, what the writer did per
 * column after the commit) and layout (candidate trials, a sorted rewrite, an index), recorded in {@code
 * sluice.model_runs}. Confined to the thread of its build.
 */
public final class BuildCosts {
    private long statisticsNanos;
    private long layoutNanos;

    /** Runs {@code work} and counts its time as statistics. */
    public <T> T statistics(java.util.function.Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            statisticsNanos += System.nanoTime() - start;
        }
    }

    /** Runs {@code work} and counts its time as layout. */
    public <T> T layout(java.util.function.Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            layoutNanos += System.nanoTime() - start;
        }
    }

    /** Whole milliseconds spent on statistics so far. */
    public long statisticsMs() {
        return statisticsNanos / 1_000_000;
    }

    /** Whole milliseconds spent on layout so far. */
    public long layoutMs() {
        return layoutNanos / 1_000_000;
    }
}
