package dev.sluice.connect.kafka;

import dev.sluice.engine.Appender;
import dev.sluice.engine.Session;
import java.util.List;

/**
 * The slice's valid records appended by the engine's bulk loader to the load's temporary staging table, in one
 * transaction of their own (outside one, each of DuckDB's 2,048-row appender flushes commits on its own), on the
 * staging writer's thread while the consumer polls the next records; the load's transaction then appends the table
 * to the source's data. Against the staging file, the engine parses no CSV after the last poll: what is left after
 * it is copying the table. The appender is made by the first row, on the thread that adds them, as DuckDB requires.
 */
final class StagingTable implements StagingWriter.Sink {
    private final Session session;
    private final String table;
    private Appender appender;
    private boolean done;

    StagingTable(Session session, String table) {
        this.session = session;
        this.table = table;
    }

    String table() {
        return table;
    }

    @Override
    public void add(List<Object> values, int partition, long offset) {
        if (appender == null) {
            session.begin();
            appender = session.appender("main", table);
        }
        values.add(partition);
        values.add(offset);
        appender.append(values);
    }

    @Override
    public void finish() {
        if (!done) {
            done = true;
            if (appender != null) {
                appender.close();
                session.commit();
            }
        }
    }

    @Override
    public void abort() {
        if (!done) {
            done = true;
            if (appender != null) {
                try {
                    appender.close();
                } finally {
                    session.rollback();
                }
            }
        }
    }

    /**
     * Rolls back what a load that failed had appended, when its writer did not already (it aborts on its own thread
     * when stopped): a writer that did not stop in time leaves it to the session's end.
     */
    @Override
    public void close() {
        try {
            abort();
        } catch (RuntimeException e) {
            // the appender belongs to the writer's thread: the session's close drops the temporary table
        }
    }
}
