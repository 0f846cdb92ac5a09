package dev.sluice.connect.jdbc;

/**
 * For {@code bench/run ingest} only: switches PostgreSQL's copies between named pipes (read by the load while they
 * are written, the default) and plain files written whole before the load reads them (the path before the pipes,
 * and the one of systems without {@code mkfifo}), so that both are measured in the same JVM and round.
 */
public final class BenchCopy {
    private BenchCopy() {
    }

    public static void pipes(boolean on) {
        JdbcCopy.pipes = on;
    }
}
