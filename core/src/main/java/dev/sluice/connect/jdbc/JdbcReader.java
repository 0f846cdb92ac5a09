package dev.sluice.connect.jdbc;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.engine.Appender;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.project.Source;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * Streams a {@code type: jdbc} source's rows into a temporary table of a warehouse session through the engine's bulk
 * loader, in chunks: each partition's rows are read on a connection of its own, by the fetch size, handed over in
 * small batches through a bounded queue and appended on the session's thread, so that memory holds a few batches
 * whatever the table's size. The staged rows are then readable, with their final types, as {@link #ROWS}: what
 * {@code TrackedRows} and the full loader load from, in their own transaction. A read that fails half way stages
 * rows nobody publishes (the session's temporary table goes with it).
 */
final class JdbcReader {
    static final String STAGE = "sluice_jdbc_stage";
    static final String ROWS = "sluice_jdbc_rows";
    /** Rows handed from a reading connection to the appender at once. */
    private static final int BATCH = 1024;
    /** The batches waiting for the appender at most: with {@link #BATCH}, what the reads hold in memory. */
    private static final int QUEUED = 16;
    private static final Object[][] END = new Object[0][];

    /**
     * A fault point for tests: runs after the first chunk of rows (ten fetch sizes) is staged, while the reads go on
     * (a test kills the reading connection there), on the loading thread. Inert unless set.
     */
    static volatile Runnable afterFirstChunk = () -> { };
    /** For tests: told how many rows each read staged. */
    static volatile java.util.function.LongConsumer afterRead = rows -> { };

    /** For tests: false reads PostgreSQL through result sets, as the databases whose drivers have no COPY. */
    static volatile boolean copyFromPostgres = true;

    private final Source source;
    private final JdbcSpec spec;
    private final JdbcDatabase database;
    private final UnaryOperator<String> redact;

    JdbcReader(Source source, JdbcDatabase database, UnaryOperator<String> redact) {
        this.source = source;
        this.spec = (JdbcSpec) source.spec();
        this.database = database;
        this.redact = redact;
    }

    /** What a read is about to read: the columns and the queries of its partitions. */
    record Plan(List<JdbcColumn> columns, List<JdbcQuery> reads, boolean sourceHash) {
    }

    /** The source's columns, as the warehouse will hold them. */
    List<JdbcColumn> columns() {
        try (Connection connection = database.connect()) {
            try {
                return describe(connection, JdbcQuery.of(spec, quote(connection))).columns();
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw failure("read the columns of", e);
        }
    }

    /**
     * Plans the read: only rows above {@code previous} less the overlap when a watermark was recorded (pushed down
     * to PostgreSQL), split into the source's partitions.
     */
    Plan plan(String previous) {
        try (Connection connection = database.connect()) {
            try {
                JdbcQuery query = JdbcQuery.of(spec, quote(connection));
                Described described = describe(connection, query);
                if (previous != null && database.postgres()) {
                    query = query.aboveWatermark(spec.watermark(), described.type(spec.watermark(), "watermark"),
                            previous, spec.overlap());
                }
                List<JdbcQuery> reads = List.of(query);
                if (spec.partitions() > 1) {
                    reads = partitions(connection, query, described);
                }
                boolean sourceHash = database.postgres()
                        && spec.detection() == dev.sluice.project.SourceSpec.TableDetection.ROW_HASH;
                return new Plan(described.columns(), reads, sourceHash);
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw failure("plan the read of", e);
        }
    }

    /**
     * Stages the planned rows on the session and returns the relation reading them with their final types
     * ({@link #ROWS}, a temporary view). PostgreSQL's rows arrive by binary COPY ({@link JdbcBinaryCopy}, one per
     * partition); other databases' are read through their driver's result sets. Either way they go into the bulk
     * loader, in one transaction: outside one, each of the appender's flushes commits on its own.
     */
    String stage(Session session, Plan plan) {
        java.util.Optional<dev.sluice.connect.NativeReads> engine = JdbcNativeRead.reader(session);
        if (engine.isPresent()) {
            // an engine that reads databases itself (Spark's executors) reads the same planned queries
            JdbcNativeRead.stage(engine.get(), session, spec, database.postgres(), plan, ROWS);
            return ROWS;
        }
        List<String> list = new ArrayList<>();
        for (JdbcColumn column : plan.columns()) {
            String name = Sql.identifier(column.name());
            list.add(column.direct() ? name : column.finish().replace("%s", name) + " AS " + name);
        }
        if (plan.sourceHash()) {
            list.add(Sql.identifier(JdbcQuery.SOURCE_HASH));
        }
        createStage(session, typed(plan));
        long rows;
        if (database.postgres() && copyFromPostgres) {
            rows = new JdbcBinaryCopy(this, database, spec).copy(session, plan.reads(), plan.columns(),
                    plan.sourceHash(), source.qualifiedName());
        } else {
            session.begin();
            try {
                rows = stream(session, plan);
                session.commit();
            } catch (RuntimeException e) {
                session.rollback();
                throw e;
            }
        }
        afterRead.accept(rows);
        session.execute("CREATE OR REPLACE TEMP VIEW " + ROWS + " AS SELECT " + String.join(", ", list) + " FROM "
                + STAGE);
        return ROWS;
    }

    /** The stage table's columns with their stage types (and the row hash as text). */
    private static List<String[]> typed(Plan plan) {
        List<String[]> staged = new ArrayList<>();
        plan.columns().forEach(column -> staged.add(new String[] {column.name(), column.stageType()}));
        if (plan.sourceHash()) {
            staged.add(new String[] {JdbcQuery.SOURCE_HASH, "VARCHAR"});
        }
        return staged;
    }

    static void createStage(Session session, List<String[]> staged) {
        session.execute("CREATE OR REPLACE TEMP TABLE " + STAGE + " (" + String.join(", ", staged.stream()
                .map(column -> Sql.identifier(column[0]) + " " + column[1]).toList()) + ")");
    }

    /** Reads every partition on its own thread and connection, appending on this one; returns the rows staged. */
    private long stream(Session session, Plan plan) {
        int width = plan.columns().size() + (plan.sourceHash() ? 1 : 0);
        BlockingQueue<Object[][]> queue = new ArrayBlockingQueue<>(QUEUED);
        AtomicBoolean stopped = new AtomicBoolean();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Connection> connections = database.connect(plan.reads().size());
        ExecutorService readers = Executors.newFixedThreadPool(plan.reads().size(), runnable -> {
            Thread thread = new Thread(runnable, "sluice-jdbc-" + source.qualifiedName());
            thread.setDaemon(true);
            return thread;
        });
        long chunk = Math.max(10L * spec.fetchSize(), BATCH);
        long rows = 0;
        try {
            for (int i = 0; i < plan.reads().size(); i++) {
                JdbcQuery read = plan.reads().get(i);
                Connection connection = connections.get(i);
                readers.execute(() -> read(connection, read, plan, width, queue, stopped, failures));
            }
            int running = plan.reads().size();
            long inChunk = 0;
            boolean first = true;
            Appender appender = session.appender("main", STAGE);
            try {
                while (running > 0) {
                    Object[][] batch = queue.take();
                    if (batch == END) {
                        running--;
                        continue;
                    }
                    if (!failures.isEmpty()) {
                        break;
                    }
                    for (Object[] row : batch) {
                        appender.append(Arrays.asList(row));
                    }
                    rows += batch.length;
                    inChunk += batch.length;
                    if (inChunk >= chunk) {
                        // A chunk is in the warehouse: the appender's buffer starts empty again.
                        appender.close();
                        appender = session.appender("main", STAGE);
                        inChunk = 0;
                        if (first) {
                            first = false;
                            afterFirstChunk.run();
                        }
                    }
                }
            } finally {
                appender.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failures.add(e);
        } finally {
            stopped.set(true);
            queue.clear();
            readers.shutdownNow();
            try {
                readers.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!failures.isEmpty()) {
            throw readFailure(failures.get(0), rows);
        }
        return rows;
    }

    /** What a read that failed after {@code rows} rows fails the load with. */
    SluiceException readFailure(Throwable failure, long rows) {
        if (failure instanceof SluiceException sluice) {
            return sluice;
        }
        return JdbcDatabase.unreachable(failure)
                ? new SluiceException(ErrorCode.RUN_FAILED, "%s", redact.apply(String.format("lost the connection "
                        + "to %s after %d rows were read: %s; nothing of this read is published, and the next run "
                        + "reads again", JdbcDatabase.server(spec), rows, JdbcDatabase.rootMessage(failure))))
                : failure("read", failure);
    }

    /** One partition's read, handed over in batches; ends with {@link #END} whatever happens. */
    private void read(Connection connection, JdbcQuery read, Plan plan, int width, BlockingQueue<Object[][]> queue,
            AtomicBoolean stopped, List<Throwable> failures) {
        try (connection) {
            try (PreparedStatement statement = connection.prepareStatement(read.select(plan.columns(),
                    plan.sourceHash()), ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_READ_ONLY)) {
                statement.setFetchSize(spec.fetchSize());
                JdbcQuery.bind(statement, read.parameters());
                try (ResultSet result = statement.executeQuery()) {
                    List<JdbcColumn> columns = plan.columns();
                    Object[][] batch = new Object[BATCH][];
                    int filled = 0;
                    while (!stopped.get() && result.next()) {
                        Object[] row = new Object[width];
                        for (int i = 0; i < columns.size(); i++) {
                            row[i] = value(result, i + 1, columns.get(i));
                        }
                        if (plan.sourceHash()) {
                            row[width - 1] = result.getString(width);
                        }
                        batch[filled++] = row;
                        if (filled == BATCH) {
                            hand(queue, batch, stopped);
                            batch = new Object[BATCH][];
                            filled = 0;
                        }
                    }
                    if (filled > 0) {
                        hand(queue, Arrays.copyOf(batch, filled), stopped);
                    }
                }
            } finally {
                if (!connection.isClosed()) {
                    connection.rollback();
                }
            }
        } catch (SQLException | RuntimeException e) {
            failures.add(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            // The appender counts the ends: wait for room unless the read was stopped (then nobody counts).
            try {
                hand(queue, END, stopped);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void hand(BlockingQueue<Object[][]> queue, Object[][] batch, AtomicBoolean stopped)
            throws InterruptedException {
        while (!stopped.get() && !queue.offer(batch, 100, TimeUnit.MILLISECONDS)) {
            // the appender is busy: wait, unless the read was stopped
        }
    }

    /** The value of one column of the current row, as the bulk loader takes it. */
    private Object value(ResultSet result, int index, JdbcColumn column) throws SQLException {
        return switch (column.read()) {
            case BOOLEAN -> nullable(result, result.getBoolean(index));
            case SHORT -> nullable(result, result.getShort(index));
            case INT -> nullable(result, result.getInt(index));
            case LONG -> nullable(result, result.getLong(index));
            case FLOAT -> nullable(result, result.getFloat(index));
            case DOUBLE -> nullable(result, result.getDouble(index));
            case DECIMAL -> result.getBigDecimal(index);
            case DECIMAL_CHECKED -> JdbcTypes.decimal(result.getBigDecimal(index), column);
            case TEXT -> result.getString(index);
            case DATE -> result.getObject(index, LocalDate.class);
            case TIMESTAMP -> result.getObject(index, LocalDateTime.class);
            case UUID -> result.getObject(index, java.util.UUID.class);
        };
    }

    private static Object nullable(ResultSet result, Object value) throws SQLException {
        return result.wasNull() ? null : value;
    }

    /** The columns of a read (from a query of no row) and their types in the source's SQL. */
    private record Described(List<JdbcColumn> columns, List<String> sourceTypes, List<Integer> jdbcTypes) {
        String type(String column, String what) {
            int index = indexOf(column, what);
            return sourceTypes.get(index);
        }

        int indexOf(String column, String what) {
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).name().equals(column)) {
                    return i;
                }
            }
            throw JdbcQuery.missing(what, column, columns);
        }
    }

    private Described describe(Connection connection, JdbcQuery query) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(query.probe());
                ResultSet result = statement.executeQuery()) {
            ResultSetMetaData metadata = result.getMetaData();
            List<String> types = new ArrayList<>();
            List<Integer> jdbcTypes = new ArrayList<>();
            for (int i = 1; i <= metadata.getColumnCount(); i++) {
                types.add(metadata.getColumnTypeName(i));
                jdbcTypes.add(metadata.getColumnType(i));
            }
            return new Described(JdbcTypes.columns(metadata, database.postgres(), query.quote()), types, jdbcTypes);
        }
    }

    private List<JdbcQuery> partitions(Connection connection, JdbcQuery query, Described described)
            throws SQLException {
        int index = described.indexOf(spec.partitionColumn(), "partition_column");
        int type = described.jdbcTypes().get(index);
        if (!List.of(Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.NUMERIC, Types.DECIMAL,
                Types.REAL, Types.FLOAT, Types.DOUBLE).contains(type)) {
            throw new SluiceException(ErrorCode.SOURCE_INVALID, "partition_column '%s' is of type %s, not a number; "
                    + "split the reads on a numeric column such as the primary key", spec.partitionColumn(),
                    described.sourceTypes().get(index));
        }
        String column = query.column(spec.partitionColumn());
        try (PreparedStatement statement = connection.prepareStatement(query.select("min(" + column + "), max("
                + column + ")"))) {
            JdbcQuery.bind(statement, query.parameters());
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                return query.partitions(spec.partitionColumn(), result.getBigDecimal(1), result.getBigDecimal(2),
                        spec.partitions());
            }
        }
    }

    private static String quote(Connection connection) throws SQLException {
        String quote = connection.getMetaData().getIdentifierQuoteString();
        return quote == null || quote.isBlank() ? "\"" : quote.strip();
    }

    private SluiceException failure(String action, Throwable e) {
        return new SluiceException(JdbcDatabase.unreachable(e) ? ErrorCode.RUN_FAILED : ErrorCode.SOURCE_INVALID,
                "%s", redact.apply(String.format("cannot %s %s: %s; check table: or query: in sluice.yml", action,
                        spec.table() != null ? "table " + spec.table() + " on " + JdbcDatabase.server(spec)
                                : "the query on " + JdbcDatabase.server(spec), JdbcDatabase.rootMessage(e))));
    }
}
