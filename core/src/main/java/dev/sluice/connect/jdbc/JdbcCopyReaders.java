package dev.sluice.connect.jdbc;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * PostgreSQL's binary COPYs of a read, each received on a thread and connection of its own and handed to the
 * loading thread in batches of row messages through a bounded queue: receiving the messages (the driver's socket
 * reads and framing, a new array per row) overlaps decoding and appending them, which the loading thread does alone
 * (DuckDB's appender is confined to it). The queue holds at most {@link #QUEUED} batches of {@link #BATCH} rows,
 * whatever the table's size. Each stream's header is checked and its trailer dropped here, so a batch holds only
 * rows, each message starting at its field count.
 */
final class JdbcCopyReaders implements AutoCloseable {
    /** Rows per hand-over: DuckDB's appender flushes by 2,048 rows. */
    static final int BATCH = 2048;
    /** Batches waiting for the loading thread at most. */
    static final int QUEUED = 32;
    private static final byte[][] END = new byte[0][];
    private static final byte[] SIGNATURE = {'P', 'G', 'C', 'O', 'P', 'Y', '\n', (byte) 0xff, '\r', '\n', 0};

    private final BlockingQueue<byte[][]> queue = new ArrayBlockingQueue<>(QUEUED);
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    private final List<Thread> threads = new ArrayList<>();
    private int running;

    /** Starts a COPY per statement, each on its own connection (closed by its thread when its COPY ends). */
    JdbcCopyReaders(List<String> statements, List<Connection> connections, String name) {
        for (int i = 0; i < statements.size(); i++) {
            String statement = statements.get(i);
            Connection connection = connections.get(i);
            Thread thread = new Thread(() -> receive(connection, statement), "sluice-jdbc-copy-" + name + "-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
        running = threads.size();
        threads.forEach(Thread::start);
    }

    /**
     * The next batch of rows, in the order one COPY sent them (the batches of several COPYs interleave); null once
     * every COPY ended. Throws the first failure of a COPY (then the caller closes this, which stops the others).
     */
    byte[][] next() throws Throwable {
        while (running > 0) {
            byte[][] batch = queue.take();
            if (!failures.isEmpty()) {
                throw failures.get(0);
            }
            if (batch == END) {
                running--;
            } else {
                return batch;
            }
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
        return null;
    }

    /** Stops the COPYs still running (a load that failed) and waits for their threads. */
    @Override
    public void close() {
        stopped.set(true);
        queue.clear();
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** One COPY, received into batches; ends with {@link #END} whatever happens. */
    private void receive(Connection connection, String statement) {
        try (connection) {
            CopyOut out = connection.unwrap(PGConnection.class).getCopyAPI().copyOut(statement);
            try {
                byte[][] batch = new byte[BATCH][];
                int filled = 0;
                boolean first = true;
                byte[] message;
                while (!stopped.get() && (message = out.readFromCopy()) != null) {
                    if (first) {
                        first = false;
                        int at = header(message);
                        if (at == message.length) {
                            continue;
                        }
                        message = Arrays.copyOfRange(message, at, message.length);
                    }
                    if (JdbcBinaryCopy.short16(message, 0) == -1) {
                        continue; // the trailer
                    }
                    batch[filled++] = message;
                    if (filled == BATCH) {
                        hand(batch);
                        batch = new byte[BATCH][];
                        filled = 0;
                    }
                }
                if (filled > 0) {
                    hand(Arrays.copyOf(batch, filled));
                }
            } finally {
                if (out.isActive()) {
                    out.cancelCopy();
                }
                if (!connection.isClosed()) {
                    connection.rollback();
                }
            }
        } catch (SQLException | RuntimeException e) {
            failures.add(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            try {
                // The loading thread counts the ends: wait for room unless the read was stopped (nobody counts then).
                hand(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void hand(byte[][] batch) throws InterruptedException {
        while (!stopped.get() && !queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
            // the loading thread is busy: wait, unless the read was stopped
        }
    }

    /** Skips the binary COPY's header (signature, flags, extension) at the start of the first message. */
    static int header(byte[] message) {
        if (message.length < 19 || !Arrays.equals(message, 0, 11, SIGNATURE, 0, 11)) {
            throw new IllegalStateException("the server's COPY did not start with PostgreSQL's binary signature");
        }
        return 19 + JdbcBinaryCopy.int32(message, 15);
    }
}
