package dev.sluice.engine.spark;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.engine.Appender;
import dev.sluice.engine.Cursor;
import dev.sluice.engine.Description;
import dev.sluice.engine.Dialect;
import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.classic.SparkSession;
import org.apache.spark.sql.types.StructField;

/**
 * A Sluice session on Spark: a Spark session of its own (session variables, temporary views of file reads and CSV
 * rejects), running Spark SQL and Sluice's own statements ({@link SparkStatements}). Spark has no transactions across
 * statements: each statement on an Iceberg table is one Iceberg commit, and {@link #begin()} … {@link #rollback()}
 * puts every table and view back as it was at {@code begin} ({@link SparkTransaction}). Not thread-safe.
 */
final class SparkSqlSession implements Session {
    private final SparkEngine engine;
    private final SparkSession spark;
    private final AtomicInteger views = new AtomicInteger();
    private final java.util.Set<String> temporary = new java.util.HashSet<>();
    /** The file reads this session cached ({@link SparkFiles}): Spark's cache is shared by every session. */
    private final List<Dataset<Row>> cached = new ArrayList<>();
    private SparkTransaction transaction;

    SparkSqlSession(SparkEngine engine, SparkSession spark) {
        this.engine = engine;
        this.spark = spark;
    }

    SparkSession spark() {
        return spark;
    }

    @Override
    public Dialect dialect() {
        return SparkDialect.INSTANCE;
    }

    @Override
    public void execute(String sql, Object... parameters) {
        for (String statement : SparkStatements.split(SparkStatements.bind(sql, parameters))) {
            String[] copy = SparkStatements.copy(statement);
            if (copy != null) {
                try {
                    SparkCopy.run(this, copy[0], dataset(copy[1]));
                } catch (Exception e) {
                    throw SparkFailures.failure(e, statement);
                }
                continue;
            }
            dataset(statement);
        }
    }

    @Override
    public Rows query(String sql, Object... parameters) {
        String statement = SparkStatements.bind(sql, parameters);
        SparkStatements.Call call = SparkStatements.call(statement);
        if (call != null) {
            return SparkMetadata.answer(this, call);
        }
        Dataset<Row> result = dataset(statement);
        List<String> columns = Arrays.asList(result.columns());
        List<List<Object>> values = new ArrayList<>();
        try {
            for (Row row : result.collectAsList()) {
                values.add(SparkTypes.plain(row));
            }
        } catch (Exception e) {
            throw SparkFailures.failure(e, statement);
        }
        return new Rows(columns, values);
    }

    @Override
    public Cursor stream(String sql, Object... parameters) {
        String statement = SparkStatements.bind(sql, parameters);
        SparkStatements.Call call = SparkStatements.call(statement);
        if (call != null) {
            Rows rows = SparkMetadata.answer(this, call);
            return new SparkCursor(rows.columns(), Collections.nCopies(rows.columns().size(), "VARCHAR"),
                    rows.values().iterator());
        }
        Dataset<Row> result = dataset(statement);
        List<String> types = Arrays.stream(result.schema().fields())
                .map(field -> SparkTypes.sluiceName(field.dataType())).toList();
        try {
            return new SparkCursor(Arrays.asList(result.columns()), types,
                    new SparkCursor.Converting(result.toLocalIterator()));
        } catch (Exception e) {
            throw SparkFailures.failure(e, statement);
        }
    }

    @Override
    public Description describe(String sql) {
        String statement = SparkStatements.bind(sql);
        Dataset<Row> result = dataset(statement);
        List<String> columns = new ArrayList<>();
        List<String> types = new ArrayList<>();
        for (StructField field : result.schema().fields()) {
            columns.add(field.name());
            types.add(SparkTypes.sluiceName(field.dataType()));
        }
        long parameters = SparkStatements.segments(sql).stream().filter(s -> !s.quoted())
                .mapToLong(s -> s.text().chars().filter(c -> c == '?').count()).sum();
        return new Description(columns, types, Collections.nCopies((int) parameters, "UNKNOWN"));
    }

    @Override
    public Appender appender(String schema, String table) {
        String qualified = SparkStatements.backticked(schema, table);
        try {
            return new SparkAppender(spark, qualified, spark.table(qualified).schema());
        } catch (Exception e) {
            throw SparkFailures.failure(e, "append to " + qualified);
        }
    }

    @Override
    public void begin() {
        if (transaction != null) {
            throw new SluiceException(ErrorCode.INTERNAL, "Cannot begin a transaction on Spark: one is open already");
        }
        if (engine.transactions().isHeldByCurrentThread()) {
            // another session of this thread is in a transaction: its statements are not committed, and a rollback
            // of either would undo the other's (the outbox's replay, which must not see a publish's own records)
            throw new SluiceException(ErrorCode.INTERNAL, "Cannot begin a transaction on Spark: this thread has one "
                    + "open in another session");
        }
        // one transaction at a time in the warehouse: a rollback puts back every table and view changed since its
        // begin, which must be this session's changes only (models build one after another; Spark spreads each)
        engine.transactions().lock();
        try {
            transaction = SparkTransaction.begin(engine.catalog(), engine.warehouse().resolve(SparkTransaction.JOURNAL));
        } catch (RuntimeException e) {
            engine.transactions().unlock();
            throw e;
        }
    }

    @Override
    public void commit() {
        if (transaction != null) {
            SparkTransaction open = transaction;
            try {
                open.commit();
            } catch (RuntimeException e) {
                // not committed: put back what the statements did, as a failed commit does elsewhere
                rollback();
                throw e;
            }
            transaction = null;
            engine.transactions().unlock();
        }
    }

    @Override
    public void rollback() {
        if (transaction != null) {
            SparkTransaction open = transaction;
            transaction = null;
            try {
                open.rollback();
            } finally {
                engine.transactions().unlock();
            }
        }
    }

    @Override
    public void close() {
        rollback();
        // Spark's cache serves any later read of the same paths with the same options from these rows: a file
        // modified since would be read as it was (a modified input file kept its old rows).
        cached.forEach(Dataset::unpersist);
        cached.clear();
        temporary.forEach(name -> spark.catalog().dropTempView(name));
        temporary.clear();
    }

    /** Keeps {@code rows} (cached by a file read) cached until this session closes, and returns them. */
    Dataset<Row> cachedUntilClose(Dataset<Row> rows) {
        cached.add(rows.cache());
        return rows;
    }

    /** A user's read statement, checked by Spark's parser: one query, no command. */
    String checkedRead(String sql) {
        LogicalPlan plan;
        try {
            plan = spark.sessionState().sqlParser().parsePlan(sql);
        } catch (Exception e) {
            throw new SluiceException(ErrorCode.USAGE, e, "Cannot run query: %s; sluice query runs one read statement "
                    + "(SELECT, WITH, VALUES, TABLE)", SparkFailures.message(e));
        }
        String kind = plan.getClass().getSimpleName();
        if (plan instanceof Command || kind.contains("Insert") || kind.contains("Statement")) {
            throw new SluiceException(ErrorCode.USAGE, "Cannot run query: %s is not a read statement; sluice query "
                    + "runs one read statement (SELECT, WITH, VALUES, TABLE)", kind);
        }
        return sql;
    }

    /** The Spark dataset of one statement (commands run at once), Sluice's file reads made views of this session. */
    Dataset<Row> dataset(String statement) {
        if (SparkStatements.segments(statement).stream()
                .anyMatch(segment -> !segment.quoted() && segment.text().contains("duckdb_tables("))) {
            // the run catalog's first look at a warehouse: its stores need transactions across statements
            throw new SluiceException(ErrorCode.USAGE, "Cannot keep Sluice's catalog in the Spark warehouse %s: the "
                    + "catalog needs transactions across statements, which Spark has not; remove catalog: warehouse "
                    + "from sluice.yml (a project on Spark keeps its catalog in a DuckDB file beside the warehouse), "
                    + "or set catalog: {type: postgres, ...}", engine.warehouse());
        }
        String text = temporaryTables(SparkStatements.portable(statement));
        if (SparkStatements.segments(text).stream().anyMatch(s -> !s.quoted() && SparkInformationSchema.named(s.text()))) {
            text = SparkInformationSchema.replace(engine.catalog(), text);
        }
        text = SparkStatements.replaceFiles(text,
                spec -> SparkFiles.view(this, spec, "_sluice_files_" + views.incrementAndGet()));
        boolean regex = text.contains("`(?!");
        if (regex) {
            text = expandedInView(text);
            regex = text.contains("`(?!");
        }
        try {
            if (regex) {
                spark.conf().set("spark.sql.parser.quotedRegexColumnNames", "true");
            }
            return spark.sql(text);
        } catch (Exception e) {
            throw SparkFailures.failure(e, statement);
        } finally {
            if (regex) {
                spark.conf().set("spark.sql.parser.quotedRegexColumnNames", "false");
            }
        }
    }

    SparkEngine engine() {
        return engine;
    }

    private static final java.util.regex.Pattern VIEW_OVER_REGEX = java.util.regex.Pattern.compile(
            "(?is)\\A(\\s*CREATE\\s+(?:OR\\s+REPLACE\\s+)?VIEW\\s+.*?\\s+AS\\s+SELECT\\s+)(`\\(\\?!(?:[^`]|``)*`)(\\s+FROM\\s+.*)\\z");

    /**
     * A view whose columns are a quoted regex ({@link SparkDialect#columnsWithoutPrefix}) keeps them as the columns
     * they name now: a view is read later, in sessions that do not read quoted regexes as columns.
     */
    private String expandedInView(String sql) {
        java.util.regex.Matcher view = VIEW_OVER_REGEX.matcher(sql);
        if (!view.matches()) {
            return sql;
        }
        spark.conf().set("spark.sql.parser.quotedRegexColumnNames", "true");
        String[] columns;
        try {
            columns = spark.sql("SELECT " + view.group(2) + view.group(3)).columns();
        } finally {
            spark.conf().set("spark.sql.parser.quotedRegexColumnNames", "false");
        }
        List<String> named = new ArrayList<>();
        for (String column : columns) {
            named.add("`" + column.replace("`", "``") + "`");
        }
        return view.group(1) + String.join(", ", named) + view.group(3);
    }

    private static final java.util.regex.Pattern CREATE_TEMP = java.util.regex.Pattern.compile(
            "(?is)\\A\\s*CREATE\\s+(?:OR\\s+REPLACE\\s+)?TEMP(?:ORARY)?\\s+TABLE\\s+(\\w+)\\s+AS\\s+(.*)\\z");
    private static final java.util.regex.Pattern DROP_TABLE = java.util.regex.Pattern.compile(
            "(?is)\\A\\s*DROP\\s+TABLE\\s+(IF\\s+EXISTS\\s+)?(\\w+)\\s*\\z");

    /**
     * DuckDB's temporary tables (a loader's scratch rows, this session's only) as Spark's cached temporary views:
     * {@code CREATE TEMP TABLE t AS q} is {@code CACHE TABLE t AS q} (computed once, at once), and {@code DROP TABLE t}
     * of such a name drops the view.
     */
    private String temporaryTables(String sql) {
        java.util.regex.Matcher create = CREATE_TEMP.matcher(sql);
        if (create.matches()) {
            temporary.add(create.group(1).toLowerCase(java.util.Locale.ROOT));
            return "CACHE TABLE " + create.group(1) + " AS " + create.group(2);
        }
        java.util.regex.Matcher drop = DROP_TABLE.matcher(sql);
        if (drop.matches() && temporary.remove(drop.group(2).toLowerCase(java.util.Locale.ROOT))) {
            return "DROP VIEW IF EXISTS " + drop.group(2);
        }
        return sql;
    }
}
