package dev.sluice.connect.jdbc;

import dev.sluice.engine.Dialect;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyOut;

/**
 * PostgreSQL's fast path of {@link JdbcReader}: each partition's SELECT (the same conversions, conditions and row
 * hash as the ResultSet path) is sent as {@code COPY (SELECT ...) TO STDOUT (FORMAT csv)} on a connection of its own,
 * and the bytes the server sends are written as they come to a file under the project's {@code target} folder: no
 * Java object per value, memory of a buffer per partition whatever the table's size. The warehouse reads the files
 * with its CSV reader, with the staged columns' exact types.
 *
 * <p>A read in one stream, where the system can make named pipes ({@code mkfifo}), goes through a pipe: the
 * warehouse parses and stores the rows while PostgreSQL is still sending the next ones, instead of one after the
 * other. Partitions (and systems without pipes) write plain files whole first, then read them: the warehouse opens
 * only as many pipes at once as it has threads, which would hold back the later partitions' COPYs. Every partition's connection is taken from the pool before
 * the first COPY starts, so that the partitions read at the same time, each on its own connection.
 */
final class JdbcCopy {
    /** The byte buffer of each partition's file. */
    private static final int BUFFER = 1 << 18;
    /** Set false by tests to take the path of systems without named pipes. */
    static volatile boolean pipes = true;

    private final JdbcReader reader;
    private final JdbcDatabase database;
    private final JdbcSpec spec;

    JdbcCopy(JdbcReader reader, JdbcDatabase database, JdbcSpec spec) {
        this.reader = reader;
        this.database = database;
        this.spec = spec;
    }

    /**
     * Starts copying the planned rows into files of {@code folder} (created when missing; the caller deletes it when
     * the rows are loaded, whatever happens, after closing the copy). When {@link Running#piped()}, the files are
     * pipes that the warehouse reads while they are written; otherwise {@link Running#finish()} must end before
     * they are read.
     */
    Running start(JdbcReader.Plan plan, Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw reader.readFailure(e, 0);
        }
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < plan.reads().size(); i++) {
            files.add(folder.resolve("part-" + i + ".csv"));
        }
        // Partitions keep plain files: the warehouse opens as many pipes at once as it has threads, so the later
        // partitions' COPYs would wait for the first ones; written to files, all run at once (measured faster).
        boolean piped = pipes && files.size() == 1 && mkfifo(files);
        List<Connection> connections = database.connect(plan.reads().size());
        Running running = new Running(files, piped);
        for (int i = 0; i < plan.reads().size(); i++) {
            String select = plan.reads().get(i).copy(plan.columns(), plan.sourceHash());
            Connection connection = connections.get(i);
            Path file = files.get(i);
            Thread thread = new Thread(() -> running.copy(connection, select, file), "sluice-jdbc-copy-" + i);
            thread.setDaemon(true);
            running.threads.add(thread);
        }
        running.threads.forEach(Thread::start);
        return running;
    }

    /** Makes the files named pipes; false (and no file) where the system cannot. */
    private static boolean mkfifo(List<Path> files) {
        List<String> command = new ArrayList<>(List.of("mkfifo", "-m", "600"));
        files.forEach(file -> command.add(file.toAbsolutePath().toString()));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0) {
                return files.stream().allMatch(Files::exists);
            }
            process.destroyForcibly();
        } catch (IOException e) {
            // no mkfifo on this system (Windows): plain files
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Path file : files) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // written over by the plain file
            }
        }
        return false;
    }

    /** The copies of one read, running on threads of their own. */
    final class Running implements AutoCloseable {
        private final List<Path> files;
        private final boolean piped;
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicLong rows = new AtomicLong();
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final AtomicBoolean chunked = new AtomicBoolean();
        private final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        private final long chunk = 10L * spec.fetchSize();

        private Running(List<Path> files, boolean piped) {
            this.files = List.copyOf(files);
            this.piped = piped;
        }

        List<Path> files() {
            return files;
        }

        /** True when the files are pipes, read while they are written. */
        boolean piped() {
            return piped;
        }

        /**
         * Makes the copied rows readable on the session and returns the relation: for a whole read, the files
         * themselves, read once by the load (the copies end while it reads them: {@code finish} after it); for a
         * tracked read or decimals to check, the stage table, filled here (a pipe is read once), then checked.
         */
        String stage(Session session, List<String[]> staged, List<JdbcColumn> columns, Runnable finish) {
            String read = readCsv(session.dialect(), files, staged, piped);
            if (!piped) {
                finish(); // plain files are read once written whole
            }
            boolean checked = columns.stream().anyMatch(column -> column.read() == JdbcColumn.Read.DECIMAL_CHECKED);
            if (spec.detection() == dev.sluice.project.SourceSpec.TableDetection.FULL && !checked) {
                return read;
            }
            JdbcReader.createStage(session, staged);
            session.execute("INSERT INTO " + JdbcReader.STAGE + " SELECT * FROM " + read);
            finish.run();
            for (JdbcColumn column : columns) {
                if (column.read() == JdbcColumn.Read.DECIMAL_CHECKED) {
                    checkDecimals(session, JdbcReader.STAGE, column);
                }
            }
            return JdbcReader.STAGE;
        }

        /** Waits for every copy to end; returns the rows copied, or fails the read with the first failure. */
        long finish() {
            try {
                for (Thread thread : threads) {
                    thread.join();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failures.add(e);
            }
            if (!failures.isEmpty()) {
                throw reader.readFailure(failures.get(0), rows.get());
            }
            return rows.get();
        }

        /**
         * Stops the copies that still run (a load that failed, or never read a pipe): each pipe a copy still writes
         * is read to its end here, so that no copy stays blocked on a pipe nobody reads.
         */
        @Override
        public void close() {
            stopped.set(true);
            for (int i = 0; i < threads.size(); i++) {
                Thread thread = threads.get(i);
                if (piped && thread.isAlive()) {
                    drain(files.get(i), thread);
                }
                try {
                    thread.join(TimeUnit.SECONDS.toMillis(30));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        /**
         * Reads what is left in a pipe until its copy ends. The pipe is opened for reading and writing, which never
         * waits (a copy waiting for a reader goes on; a copy that ended meanwhile leaves nothing to wait for), and
         * read on a thread of its own until the copy's thread ends.
         */
        private void drain(Path pipe, Thread copy) {
            try (FileChannel channel = FileChannel.open(pipe, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                Thread reading = new Thread(() -> {
                    ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
                    try {
                        while (channel.read(buffer.clear()) >= 0) {
                            // discarded: the copy was stopped and ends at its next row
                        }
                    } catch (IOException e) {
                        // the channel was closed once the copy ended
                    }
                }, "sluice-jdbc-drain");
                reading.setDaemon(true);
                reading.start();
                copy.join(TimeUnit.SECONDS.toMillis(30));
            } catch (IOException e) {
                // the pipe is gone: its copy cannot be waiting on it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /**
         * One partition's COPY into its file. PostgreSQL sends a row per message: the rows are counted as they
         * come, and the first time {@code chunk} rows are in the files (of any partition), the fault point
         * {@link JdbcReader#afterFirstChunk} runs, while the copies go on. A pipe is opened first whatever happens
         * (it waits for its reader), so that {@link #close} can always open its other end.
         */
        private void copy(Connection connection, String select, Path file) {
            try (connection; OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), BUFFER)) {
                try {
                    if (stopped.get()) {
                        return;
                    }
                    CopyOut copy = connection.unwrap(PGConnection.class).getCopyAPI()
                            .copyOut("COPY (" + select + ") TO STDOUT (FORMAT csv)");
                    try {
                        long counted = 0;
                        byte[] row;
                        while ((row = copy.readFromCopy()) != null) {
                            out.write(row);
                            if (++counted == 1024) {
                                long all = rows.addAndGet(counted);
                                counted = 0;
                                if (stopped.get()) {
                                    break; // another partition failed, or the load: nothing is published
                                }
                                if (all >= chunk && chunked.compareAndSet(false, true)) {
                                    JdbcReader.afterFirstChunk.run();
                                }
                            }
                        }
                        rows.addAndGet(counted);
                    } finally {
                        if (copy.isActive()) {
                            copy.cancelCopy();
                        }
                    }
                } finally {
                    if (!connection.isClosed()) {
                        connection.rollback();
                    }
                }
            } catch (SQLException | IOException | RuntimeException e) {
                failures.add(e);
                stopped.set(true);
            }
        }
    }

    /**
     * The warehouse's CSV reader over the files, as PostgreSQL writes CSV, with the staged columns' types. The reader
     * fills a whole buffer from a pipe before it parses any of it, so pipes are read by buffers of 32 MB (parsed while
     * the next rows come), which bounds a row at 16 MB; plain files allow rows of 256 MB.
     */
    static String readCsv(Dialect dialect, List<Path> files, List<String[]> columns, boolean piped) {
        String list = "[" + String.join(", ", files.stream().map(file -> Sql.string(file.toAbsolutePath()
                .toString())).toList()) + "]";
        String types = "{" + String.join(", ", columns.stream().map(column -> Sql.string(column[0]) + ": "
                + Sql.string(column[1])).toList()) + "}";
        // NULL is an unquoted empty field, an empty text a quoted one (""): quoted fields are never NULL.
        return dialect.readFiles(Dialect.FileFormat.CSV, list, List.of("columns = " + types, "header = false",
                "auto_detect = false", "delim = ','", "quote = '\"'", "escape = '\"'", "allow_quoted_nulls = false",
                piped ? "max_line_size = 16777216" : "max_line_size = 268435456",
                piped ? "buffer_size = 33554432" : "buffer_size = 536870912"));
    }

    /** Fails the read on the first staged text of a decimal column that its warehouse type cannot hold exactly. */
    static void checkDecimals(Session session, String relation, JdbcColumn column) {
        String name = Sql.identifier(column.name());
        // Exact when the decimal, written back as text, is the same number: compared without trailing zeros.
        String cast = "CAST(TRY_CAST(" + name + " AS " + column.type() + ") AS VARCHAR)";
        dev.sluice.engine.Rows bad = session.query("SELECT " + name + " FROM " + relation + " WHERE " + name
                + " IS NOT NULL AND (" + cast + " IS NULL OR " + trimmed(cast) + " <> " + trimmed(name) + ") LIMIT 1");
        if (!bad.isEmpty()) {
            JdbcTypes.decimal(new java.math.BigDecimal(String.valueOf(bad.single())), column);
        }
    }

    /** A decimal's text without trailing zeros after the point, nor a point ending it. */
    private static String trimmed(String text) {
        return "regexp_replace(regexp_replace(" + text + ", '(\\.[0-9]*?)0+$', '\\1'), '\\.$', '')";
    }

    /** Deletes the folder of a load's files, if any. */
    static void delete(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // Left under target/: the next build's clean removes it; the load's outcome stands.
        }
    }
}
