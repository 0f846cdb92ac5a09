package dev.sluice.connect.kafka;

/**
 * For {@code bench/run kafka} only: the staging file written on the consumer's thread (as before the second thread)
 * or on a thread of its own (the default), and into the staging table (the default) or the CSV file, so that each
 * is measured in the same JVM and round.
 */
public final class BenchStaging {
    private BenchStaging() {
    }

    public static void threaded(boolean on) {
        StagingWriter.threaded = on;
    }

    /** True stages into the table through the engine's appender (the default), false into the CSV file (before). */
    public static void appending(boolean on) {
        StagingWriter.appending = on;
    }
}
