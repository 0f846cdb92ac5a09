package dev.sluice.connect.jdbc;

/**
 * For {@code bench/run ingest} only: switches PostgreSQL's copies between named pipes (read by the load while they
 * are written, the default) and plain files written whole before the load reads them (the path before the pipes,
 * and the one of systems without {@code mkfifo}), and a one-stream read between the binary COPY into the bulk loader
 * (the default) and the CSV pipe (the path before it), so that each is measured in the same JVM and round.
 */
public final class BenchCopy {
    private BenchCopy() {
    }

    public static void pipes(boolean on) {
        JdbcCopy.pipes = on;
    }

    public static void binary(boolean on) {
        JdbcBinaryCopy.enabled = on;
    }
}
