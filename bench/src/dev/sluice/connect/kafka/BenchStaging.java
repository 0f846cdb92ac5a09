package dev.sluice.connect.kafka;

/**
 * For {@code bench/run kafka} only: the staging file written on the consumer's thread (as before the second thread)
 * or on a thread of its own (the default), and converted through Jackson's tree alone (before {@link JsonFields})
 * or streaming first (the default), so that both are measured in the same JVM and round.
 */
public final class BenchStaging {
    private BenchStaging() {
    }

    public static void threaded(boolean on) {
        StagingWriter.threaded = on;
    }

    /** Records converted by the streaming {@link JsonFields} first (the default), or all through the tree. */
    public static void streaming(boolean on) {
        StagingWriter.streaming = on;
    }
}
