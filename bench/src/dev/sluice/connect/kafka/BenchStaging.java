package dev.sluice.connect.kafka;

/**
 * For {@code bench/run kafka} only: the staging file written on the consumer's thread (as before the second thread)
 * or on a thread of its own (the default), so that both are measured in the same JVM and round.
 */
public final class BenchStaging {
    private BenchStaging() {
    }

    public static void threaded(boolean on) {
        StagingWriter.threaded = on;
    }
}
