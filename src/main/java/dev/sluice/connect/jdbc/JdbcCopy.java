package dev.sluice.connect.jdbc;

import dev.sluice.engine.Dialect;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
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
 * Java object per value, memory of a buffer per partition whatever the table's size. The warehouse then reads the
 * files with its parallel CSV reader, with the staged columns' exact types: straight into the source's table for a
 * whole read, into the staging table for a tracked one. The connector deletes the files after the load, whatever
 * happens.
 */
final class JdbcCopy {
    /** The byte buffer of each partition's file. */
    private static final int BUFFER = 1 << 20;

    private final JdbcReader reader;
    private final JdbcDatabase database;
    private final JdbcSpec spec;

    JdbcCopy(JdbcReader reader, JdbcDatabase database, JdbcSpec spec) {
        this.reader = reader;
        this.database = database;
        this.spec = spec;
    }

    /** The files a copy wrote and the rows in them. */
    record Copied(List<Path> files, long rows) {
    }

    /**
     * Copies the planned rows into files of {@code folder} (created when missing; the caller deletes it when the
     * rows are loaded, whatever happens).
     */
    Copied copy(JdbcReader.Plan plan, Path folder) {
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw reader.readFailure(e, 0);
        }
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < plan.reads().size(); i++) {
            files.add(folder.resolve("part-" + i + ".csv"));
        }
        return new Copied(files, copy(plan, files));
    }

    /** The warehouse's CSV reader over the files, as PostgreSQL writes CSV, with the staged columns' types. */
    static String readCsv(Dialect dialect, List<Path> files, List<String[]> columns) {
        String list = "[" + String.join(", ", files.stream().map(file -> Sql.string(file.toAbsolutePath()
                .toString())).toList()) + "]";
        String types = "{" + String.join(", ", columns.stream().map(column -> Sql.string(column[0]) + ": "
                + Sql.string(column[1])).toList()) + "}";
        // NULL is an unquoted empty field, an empty text a quoted one (""): quoted fields are never NULL.
        return dialect.readFiles(Dialect.FileFormat.CSV, list, List.of("columns = " + types, "header = false",
                "auto_detect = false", "delim = ','", "quote = '\"'", "escape = '\"'", "allow_quoted_nulls = false",
                "max_line_size = 268435456", "buffer_size = 536870912"));
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

    /** Runs each partition's COPY on its own thread and connection; returns the rows copied. */
    private long copy(JdbcReader.Plan plan, List<Path> files) {
        AtomicLong rows = new AtomicLong();
        AtomicBoolean stopped = new AtomicBoolean();
        AtomicBoolean chunked = new AtomicBoolean();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        long chunk = 10L * spec.fetchSize();
        ExecutorService copies = Executors.newFixedThreadPool(plan.reads().size(), runnable -> {
            Thread thread = new Thread(runnable, "sluice-jdbc-copy");
            thread.setDaemon(true);
            return thread;
        });
        try {
            for (int i = 0; i < plan.reads().size(); i++) {
                JdbcQuery read = plan.reads().get(i);
                Path file = files.get(i);
                copies.execute(() -> {
                    try {
                        copy(read.copy(plan.columns(), plan.sourceHash()), file, rows, chunk, chunked, stopped);
                    } catch (SQLException | IOException | RuntimeException e) {
                        failures.add(e);
                        stopped.set(true);
                    }
                });
            }
            copies.shutdown();
            while (!copies.awaitTermination(100, TimeUnit.MILLISECONDS)) {
                // the copies run
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add(e);
        } finally {
            stopped.set(true);
            copies.shutdownNow();
        }
        if (!failures.isEmpty()) {
            throw reader.readFailure(failures.get(0), rows.get());
        }
        return rows.get();
    }

    /**
     * One partition's COPY into its file. PostgreSQL sends a row per message: the rows are counted as they come, and
     * the first time {@code chunk} rows are in the files (of any partition), the fault point
     * {@link JdbcReader#afterFirstChunk} runs, while the copies go on.
     */
    private void copy(String select, Path file, AtomicLong rows, long chunk, AtomicBoolean chunked,
            AtomicBoolean stopped) throws SQLException, IOException {
        try (Connection connection = database.connect();
                OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), BUFFER)) {
            try {
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
                                break; // another partition failed: this read is not published either
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
        }
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
