package dev.sluice.connect.kafka;

import dev.sluice.engine.Appender;
import dev.sluice.engine.Session;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Appends rows to the staging table on a thread of its own while the consumer's thread reads and parses the next
 * records, so the engine's bulk appender and JSON parsing overlap. Rows travel in batches through a small bounded
 * queue (memory stays bounded whatever the slice's size); the appender is closed and opened again every
 * {@link KafkaLoader#CHUNK} rows. The session is used only by the writer's thread until {@link #finish} returns.
 * One producer thread; not reusable.
 */
final class StagingWriter implements AutoCloseable {
    private static final int BATCH = 4096;
    private static final List<List<Object>> END = List.of();

    private final BlockingQueue<List<List<Object>>> queue = new ArrayBlockingQueue<>(4);
    private final Thread thread;
    private volatile Throwable failure;
    private volatile boolean stopped;
    private List<List<Object>> batch = new ArrayList<>(BATCH);

    StagingWriter(Session session, String table, String source) {
        thread = new Thread(() -> write(session, table), "sluice-kafka-staging-" + source);
        thread.setDaemon(true);
        thread.start();
    }

    private void write(Session session, String table) {
        Appender appender = null;
        try {
            appender = session.appender("main", table);
            long rows = 0;
            for (List<List<Object>> next = queue.take(); next != END && !stopped; next = queue.take()) {
                for (List<Object> row : next) {
                    appender.append(row);
                    if (++rows % KafkaLoader.CHUNK == 0) {
                        appender.close();
                        appender = session.appender("main", table);
                    }
                }
            }
        } catch (Throwable e) {
            failure = e;
        } finally {
            if (appender != null) {
                try {
                    appender.close();
                } catch (RuntimeException e) {
                    if (failure == null) {
                        failure = e;
                    }
                }
            }
        }
    }

    /** Queues one row (the staging table's values in column order). */
    void add(List<Object> row) {
        batch.add(row);
        if (batch.size() == BATCH) {
            hand(batch);
            batch = new ArrayList<>(BATCH);
        }
    }

    private void hand(List<List<Object>> rows) {
        try {
            while (!queue.offer(rows, 100, TimeUnit.MILLISECONDS)) {
                rethrow();
                if (!thread.isAlive()) {
                    throw new IllegalStateException("the staging writer stopped");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while staging rows", e);
        }
        rethrow();
    }

    /** Appends what is queued, waits for the writer, and throws its failure if it had one. */
    void finish() {
        if (!batch.isEmpty()) {
            hand(batch);
            batch = new ArrayList<>();
        }
        hand(END);
        join();
        rethrow();
    }

    private void rethrow() {
        Throwable failed = failure;
        if (failed instanceof RuntimeException e) {
            throw e;
        }
        if (failed instanceof Error e) {
            throw e;
        }
        if (failed != null) {
            throw new IllegalStateException(failed);
        }
    }

    private void join() {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while staging rows", e);
        }
    }

    /** Stops the writer after a failed read (what it staged is dropped with the staging table). */
    @Override
    public void close() {
        if (thread.isAlive()) {
            stopped = true;
            queue.clear();
            queue.offer(END);
            join();
        }
    }
}
