package dev.sluice.engine;

import java.nio.file.Path;
import java.util.List;

/**
 * How one engine writes what Sluice needs done, as SQL text: the intents of exec, storage, quality and the loaders
 * (stage a table from a query, merge by key, delete-insert by an interval, publish, read files, copy to Parquet,
 * collect statistics, set a per-batch variable, …). Code outside the engine says what it needs through these methods
 * and never writes engine-specific syntax itself. Arguments named {@code table}, {@code view}, {@code staged} are
 * relations already quoted ({@link Sql#qualified}); {@code keys} and {@code columns} are plain column names, quoted
 * here; {@code query} and {@code condition} are SQL text. Stateless and thread-safe.
 */
public interface Dialect {

    /** What SQL of a model an engine runs (see {@link ModelSql}). */
    ModelSql modelSql();

    /**
     * How stored SQL (a view's text) names {@code file} so that a moved or copied project still reads its own files:
     * an expression relative to the project folder for files inside it, the absolute path for others.
     */
    String projectFile(Path projectRoot, Path file);

    /** A table expression reading the Parquet files {@code files} (an SQL string expression, glob allowed). */
    String readParquet(String files);

    /** As {@link #readParquet(String)}, reading {@code key=value} folders as columns or not. */
    String readParquet(String files, boolean hivePartitioning);

    /**
     * A table expression reading the files {@code files} (an SQL string or list expression, globs allowed) of
     * {@code format}, with the engine's own reader options ({@code name = value}, as the engine writes them): how a
     * files connector reads.
     */
    String readFiles(FileFormat format, String files, List<String> options);

    /**
     * The reader options of {@link #readFiles} that keep the lines a CSV read rejects (cast errors, wrong column
     * counts) in the temporary tables {@code errors} and {@code scans} of the session, instead of failing the read.
     */
    List<String> keepCsvRejects(String errors, String scans);

    /** A SQL expression reading the session variable {@code name}. */
    String readVariable(String name);

    /** The statement setting the session variable {@code name} to the SQL expression {@code value} (may be {@code ?}). */
    String setVariable(String name, String value);

    /**
     * A select-list item naming every column of the query's {@code FROM} but those whose name starts with
     * {@code prefix}: how Sluice's tag columns ({@code _sluice_…}) are left out of rows it hands on.
     */
    String columnsWithoutPrefix(String prefix);

    /** The expression of a table row's identity, stable within a transaction, usable as {@code alias.<it>}. */
    String rowId();

    /**
     * The end of a query, from its {@code FROM}, that reads about {@code percent} (0 to 100) of the rows of the table
     * or view {@code relation} with the engine's cheapest sampling (whole blocks of adjacent rows where it can), the
     * same rows for the same {@code seed} when it is not null: how the storage optimiser measures a large table. No
     * clause may follow it.
     */
    String sampleFrom(String relation, double percent, Integer seed);

    /**
     * A query of one row giving, for each of {@code columns} (quoted) of base table {@code table}, four values as
     * text: the least and greatest value and whether the column holds a null and holds a non-null, from the
     * statistics the engine keeps with the table (read without scanning its rows; null where it keeps none); null
     * when the engine keeps no such statistics, and the caller scans instead.
     */
    default String storedStatisticsQuery(String table, java.util.List<String> columns) {
        return null;
    }

    /**
     * A query of one row and column: the id of the current snapshot of {@code table} (a warehouse table Sluice just
     * published), or empty when the engine's tables have no snapshots (DuckDB's own tables).
     */
    default java.util.Optional<String> currentSnapshotQuery(String table) {
        return java.util.Optional.empty();
    }

    /**
     * Why the engine cannot keep a view over files in the warehouse (a files source read in place), or empty when it
     * can: such a source is then copied into the warehouse instead.
     */
    default java.util.Optional<String> noViewsOverFiles() {
        return java.util.Optional.empty();
    }

    // Quality gates: the constructs the gate's single scan, samples and quarantine are written with, where engines
    // differ (quality compiles rules through these, so one rule runs alike on every engine).

    /** {@code text} as a string literal the engine reads back exactly (quotes doubled, backslashes kept). */
    String stringLiteral(String text);

    /** SQL true when the whole of {@code value} (text) matches the regular expression {@code pattern} (RE2 syntax). */
    String regexFullMatch(String value, String pattern);

    /** SQL true when {@code value} (text) starts with the literal text {@code prefix}. */
    String startsWith(String value, String prefix);

    /** SQL true when {@code value} (text) ends with the literal text {@code suffix}. */
    String endsWith(String value, String suffix);

    /** The length of {@code value} (text) in bytes of its UTF-8 encoding. */
    String byteLength(String value);

    /**
     * SQL true when the whole of {@code value} (text) matches {@code glob}: {@code *} any text, {@code ?} one
     * character, {@code [a-z0-9_]} one of a class, {@code [!…]} one character outside it, anything else itself.
     */
    String globMatch(String value, String glob);

    /**
     * The aggregate: how many distinct values the integer expression {@code column} holds, every one of them within
     * [{@code min}, {@code max}], counted in a bitmap of {@code max - min + 1} bits instead of a hash table; empty when
     * the engine has no such aggregate (the gate then groups a unique rule's keys).
     */
    default java.util.Optional<String> distinctIntegers(String column, long min, long max) {
        return java.util.Optional.empty();
    }

    /** The aggregate: the continuous (interpolated) quantile {@code q} of {@code column}'s values, a double. */
    String quantile(String column, double q);

    /** Seconds (a number) from {@code timestamp}, a date or wall-clock timestamp expression, to now. */
    String secondsSince(String timestamp);

    /** The aggregate: the non-null values of {@code expression} (text) joined with {@code separator}. */
    String stringAgg(String expression, String separator);

    /** A select-list item naming every column of the query's {@code FROM} but {@code column} (plain name). */
    String allColumnsExcept(String column);

    /** A query with one row per table or view named {@code table} in {@code schema} (plain names): none when absent. */
    String relationsNamedQuery(String schema, String table);

    // Time windows: the interval index of a row and the rows of a set of intervals.

    /** The statement making the session read and write timestamps with time zone in UTC. */
    String useUtc();

    /**
     * The TIMESTAMP (without time zone) showing the instant {@code timestamp}, a TIMESTAMP WITH TIME ZONE expression,
     * on a clock in UTC, whatever the session's time zone.
     */
    String utcWallClock(String timestamp);

    /** Microseconds (a BIGINT) from the TIMESTAMP {@code from} to the TIMESTAMP {@code to}. */
    String microsBetween(String from, String to);

    /**
     * Whole calendar months from the TIMESTAMP {@code from}, the first of a month at midnight, to the TIMESTAMP
     * {@code to} at or after it.
     */
    String monthsBetween(String from, String to);

    /** SQL true when the BIGINT {@code index} lies in one of {@code spans}, each {@code [from, to)}. */
    String inSpans(String index, List<IndexSpan> spans);

    /** Interval indexes {@code from} (included) to {@code to} (excluded). */
    record IndexSpan(long from, long to) {
    }

    /**
     * A query of {@code spans} (at least one), a row each, with columns {@code span_from} and {@code span_to}: to join
     * interval indexes with, so that a grouped query returns one row per span instead of one per interval.
     */
    String spans(List<IndexSpan> spans);

    /** Creates (or replaces) the staging table {@code table} holding the rows of {@code query}. */
    String createStagedTable(String table, String query);

    /** Inserts the rows of {@code query} into {@code table}, matching columns by name. */
    String insertByName(String table, String query);

    /** The rows of both queries, columns matched by name (a column missing from one side is NULL there). */
    String unionAllByName(String left, String right);

    /** Deletes from {@code staged} every row but the last one of each key (by {@code orderBy} when not null). */
    String keepLastPerKey(String staged, List<String> keys, String orderBy);

    /**
     * The statements that merge {@code staged} into {@code table} by {@code keys}: rows of {@code table} whose key is
     * staged are replaced by the staged ones ({@code columns} are inserted). With no keys, an append.
     */
    List<String> mergeByKey(String table, String staged, List<String> keys, List<String> columns);

    /**
     * The statements of a delete+insert by key: every row of {@code table} whose key ({@code keys}, matched with NULL
     * equal to NULL) some row of {@code staged} has is deleted, then every staged row is inserted ({@code columns}),
     * several rows of one key included.
     */
    List<String> replaceByKey(String table, String staged, List<String> keys, List<String> columns);

    /** The statements that replace the rows of {@code table} matching {@code condition} with those of {@code staged}. */
    List<String> deleteInsert(String table, String staged, String condition);

    /** Points {@code view} at {@code select} (the text after SELECT): the publish step of a lake or a view model. */
    String publishView(String view, String select);

    /** Writes the rows of {@code query} as Parquet to {@code target} (a file, or a folder when partitioned). */
    String copyToParquet(String query, Path target, ParquetOptions options);

    /** Writes the rows of {@code query} as CSV with a header line to the file {@code target}. */
    String copyToCsv(String query, Path target);

    /** A query of one row, one column: the bytes of the storage blocks {@code ?} (a qualified table name) takes. */
    String blocksOnDiskQuery();

    /**
     * A query of (column name, codecs as text) of the table {@code ?} (a qualified table name), in column order. An
     * engine whose storage information tells the table's blocks in the same read adds a third column, the table's
     * {@link #blocksOnDiskQuery} bytes (the same on every row), so that a build's read-back need not read it twice.
     */
    String columnCompressionQuery();

    /**
     * A query of (column path, codecs as text, compressed bytes, uncompressed bytes) per column of the Parquet files
     * {@code ?} (a path, glob allowed) names, ordered by column path.
     */
    String parquetCompressionQuery();

    /**
     * A query of (min as text, max as text) per row group of one column of Parquet files: the first {@code ?} is a
     * path (glob allowed), the second the column's name in lower case.
     */
    String parquetColumnBoundsQuery();

    /** A query of one value: the warehouse's file, or null/empty/{@code :memory:} for an in-memory one. */
    String databaseFileQuery();

    /**
     * The statement to run for {@code sql}, a user's read statement, after checking it is exactly one statement that
     * only reads: refused with {@link dev.sluice.ErrorCode#USAGE} before anything runs.
     */
    String readStatement(Session session, String sql);

    /**
     * {@code statement}, a checked read statement ({@link #readStatement}), rewritten to read each masked column of
     * {@code masks} only through its mask; unchanged when it reads none. Refused with
     * {@link dev.sluice.ErrorCode#USAGE} when it cannot be checked for them.
     */
    String masked(Session session, String statement, dev.sluice.project.ColumnMasks masks);

    /** An expression showing {@code column} (an identifier or expression) as {@code mask} shows it. */
    String maskExpression(String column, dev.sluice.project.Mask mask);

    /**
     * Why this engine cannot run {@code sql}, a model's SQL as the engine would run it ({@link #modelSql()}): a
     * construct or function the engine lacks, named so that planning can point at it in the model's file; empty when
     * it can. Planning asks before anything runs, so that such a model is a located error, not a failed build.
     */
    default java.util.Optional<Unsupported> unsupported(String sql) {
        return java.util.Optional.empty();
    }

    /**
     * What an engine cannot run: the {@code reason} (a sentence without the model's name), and the {@code word} of
     * the model's SQL it is about (a function's name), or null when it is about the whole statement.
     */
    record Unsupported(String reason, String word) {
    }

    /** Formats of files an engine reads. */
    enum FileFormat { CSV, PARQUET, JSON }

    /**
     * Options of a Parquet copy.
     *
     * @param settings the engine's own file settings (codec, level, row group size), as the engine writes them
     *     (empty for its defaults)
     * @param partitionBy the (already quoted) columns whose values make the folders, empty for one file
     * @param fileSizeBytes the size at which the engine starts another file, null for one file per folder as the
     *     engine writes them
     * @param filenamePattern the name of the files written, {@code {i}} standing for their number, so that a copy
     *     adds its files to a folder that may hold others already (never replacing one); null for the engine's names
     *     into a new folder
     */
    record ParquetOptions(String settings, List<String> partitionBy, Long fileSizeBytes, String filenamePattern) {
        public ParquetOptions {
            partitionBy = List.copyOf(partitionBy);
        }

        /** Files in {@code settings}, partitioned by {@code partitionBy}, named and sized as the engine does. */
        public ParquetOptions(String settings, List<String> partitionBy) {
            this(settings, partitionBy, null, null);
        }

        /** One file in the engine's default settings. */
        public static ParquetOptions defaults() {
            return new ParquetOptions("", List.of());
        }
    }

    /**
     * What SQL of a model an engine runs: the model's own text (DuckDB, whose syntax the models are written in), or
     * the validated Calcite plan unparsed in the engine's dialect (an engine whose SQL differs, such as Spark).
     *
     * @param calciteDialect for {@link Form#UNPARSED_PLAN}: the name of Calcite's
     *     {@code SqlDialect.DatabaseProduct} to unparse into (plan turns it into Calcite's dialect), or the class name
     *     of a {@code SqlDialect} of the engine's own with a public no-argument constructor; null otherwise
     */
    record ModelSql(Form form, String calciteDialect) {
        /** Run the model's text as written. */
        public static final ModelSql MODEL_TEXT = new ModelSql(Form.MODEL_TEXT, null);

        public ModelSql {
            if ((form == Form.UNPARSED_PLAN) != (calciteDialect != null)) {
                throw new IllegalArgumentException("a Calcite dialect goes with an unparsed plan, and only with it");
            }
        }

        /** Run the plan unparsed in Calcite's {@code DatabaseProduct} of that name. */
        public static ModelSql unparsedPlan(String calciteDialect) {
            return new ModelSql(Form.UNPARSED_PLAN, calciteDialect);
        }

        /** The two forms. */
        public enum Form { MODEL_TEXT, UNPARSED_PLAN }
    }
}
