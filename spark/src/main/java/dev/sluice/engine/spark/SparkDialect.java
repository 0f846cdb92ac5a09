package dev.sluice.engine.spark;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.engine.Dialect;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.project.ColumnMasks;
import dev.sluice.project.Mask;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Spark SQL for Sluice's intents, over Iceberg tables (format 3, so that {@code _row_id} identifies rows). Identifiers
 * stay double-quoted as everywhere in Sluice (sessions run with {@code spark.sql.ansi.doubleQuotedIdentifiers}).
 * What Spark SQL cannot say in one statement (reading files with reader options, copying to one named file, reading
 * Parquet footers) is written as a Sluice statement the Spark session runs itself ({@link SparkStatements}).
 */
final class SparkDialect implements Dialect {
    static final SparkDialect INSTANCE = new SparkDialect();
    /** Iceberg's row lineage column (format 3): a row's identity, stable until the row is rewritten. */
    static final String ROW_ID = "_row_id";
    private static final ObjectMapper JSON = new ObjectMapper();

    private SparkDialect() {
    }

    @Override
    public ModelSql modelSql() {
        return ModelSql.unparsedPlan(SparkCalciteDialect.class.getName());
    }

    @Override
    public Optional<Unsupported> unsupported(String sql) {
        return SparkSqlCheck.unsupported(sql);
    }

    /**
     * A path relative to the project folder for files inside it: every confined Spark engine resolves relative paths
     * against its project folder (the local file system's working folder), so a moved project reads its own files.
     */
    @Override
    public String projectFile(Path projectRoot, Path file) {
        Path root = projectRoot.toAbsolutePath().normalize();
        Path normal = file.toAbsolutePath().normalize();
        if (!normal.startsWith(root) || normal.equals(root)) {
            return Sql.string(normal.toString());
        }
        return Sql.string(root.relativize(normal).toString().replace(File.separatorChar, '/'));
    }

    @Override
    public String readParquet(String files) {
        List<String> paths = SparkStatements.paths(files);
        if (paths.size() == 1) {
            return "parquet.`" + paths.get(0).replace("`", "``") + "`";
        }
        return readFiles(FileFormat.PARQUET, files, List.of());
    }

    @Override
    public String readParquet(String files, boolean hivePartitioning) {
        return readParquet(files);
    }

    @Override
    public String readFiles(FileFormat format, String files, List<String> options) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("format", format.name());
        spec.put("files", SparkStatements.paths(files));
        spec.put("options", options);
        return SparkStatements.FILES + "(" + Sql.string(json(spec)) + ")";
    }

    @Override
    public List<String> keepCsvRejects(String errors, String scans) {
        return List.of("store_rejects = true", "rejects_table = " + Sql.string(errors),
                "rejects_scan = " + Sql.string(scans));
    }

    /** Spark's session variables, qualified so that a column of the same name never hides one. */
    @Override
    public String readVariable(String name) {
        return "system.session." + Sql.identifier(name);
    }

    @Override
    public String setVariable(String name, String value) {
        return "DECLARE OR REPLACE VARIABLE " + Sql.identifier(name) + " = " + value;
    }

    /** Spark's quoted regular expression in a select list (the session enables them for the statement). */
    @Override
    public String columnsWithoutPrefix(String prefix) {
        return "`(?!" + java.util.regex.Pattern.quote(prefix).replace("`", "``") + ").+`";
    }

    @Override
    public String rowId() {
        return ROW_ID;
    }

    /**
     * Spark's {@code TABLESAMPLE} of a share of rows: each row kept with that chance (Spark has no block sample over
     * Iceberg), on the executors, after a scan that prunes nothing; {@code REPEATABLE} fixes the rows.
     */
    @Override
    public String sampleFrom(String relation, double percent, Integer seed) {
        return String.format(java.util.Locale.ROOT, "FROM %s TABLESAMPLE (%.6f PERCENT)%s", relation, percent,
                seed == null ? "" : " REPEATABLE (" + seed + ")");
    }

    /** Spark reads a backslash in a string literal as an escape: doubled, it stands for itself. */
    @Override
    public String stringLiteral(String text) {
        return Sql.string(text.replace("\\", "\\\\"));
    }

    /** Java's regular expressions (Spark's) read the ASCII patterns of quality rules as RE2 does; anchored whole. */
    @Override
    public String regexFullMatch(String value, String pattern) {
        return "regexp_like(" + value + ", " + stringLiteral("^(?:" + pattern + ")\\z") + ")";
    }

    @Override
    public String startsWith(String value, String prefix) {
        return "startswith(" + value + ", " + stringLiteral(prefix) + ")";
    }

    @Override
    public String endsWith(String value, String suffix) {
        return "endswith(" + value + ", " + stringLiteral(suffix) + ")";
    }

    @Override
    public String byteLength(String value) {
        return "octet_length(" + value + ")";
    }

    /** Spark has no GLOB: the glob as the regular expression of the same whole-value match. */
    @Override
    public String globMatch(String value, String glob) {
        return "regexp_like(" + value + ", " + stringLiteral(SparkGlobs.regex(glob)) + ")";
    }

    /** Spark's {@code percentile} interpolates between the two nearest values, as DuckDB's quantile_cont. */
    @Override
    public String quantile(String column, double q) {
        return "percentile(" + column + ", " + q + ")";
    }

    /**
     * The sessions' TIMESTAMP is the wall clock (TIMESTAMP_NTZ); read in the session's time zone it is an instant,
     * as DuckDB reads it against {@code now()}.
     */
    @Override
    public String secondsSince(String timestamp) {
        return "(unix_micros(now()) - unix_micros(CAST(CAST(" + timestamp + " AS TIMESTAMP_NTZ) AS TIMESTAMP_LTZ)))"
                + " / 1000000.0";
    }

    @Override
    public String stringAgg(String expression, String separator) {
        return "listagg(" + expression + ", " + stringLiteral(separator) + ")";
    }

    @Override
    public String allColumnsExcept(String column) {
        return "* EXCEPT (" + Sql.identifier(column) + ")";
    }

    /** Spark has no information schema; {@code SHOW TABLES} lists the catalog's tables and views of a schema. */
    @Override
    public String relationsNamedQuery(String schema, String table) {
        return "SHOW TABLES IN " + Sql.identifier(schema) + " LIKE " + stringLiteral(table);
    }

    @Override
    public String useUtc() {
        return "SET TIME ZONE 'UTC'";
    }

    /**
     * The instant's microseconds since the epoch added to the epoch's wall-clock time: a cast to TIMESTAMP_NTZ would
     * show it in the session's time zone instead.
     */
    @Override
    public String utcWallClock(String timestamp) {
        return "timestampadd(MICROSECOND, unix_micros(" + timestamp + "), TIMESTAMP_NTZ '1970-01-01 00:00:00')";
    }

    @Override
    public String microsBetween(String from, String to) {
        return "timestampdiff(MICROSECOND, " + from + ", " + to + ")";
    }

    /** Whole months, which from the first of a month at midnight are the month boundaries DuckDB counts. */
    @Override
    public String monthsBetween(String from, String to) {
        return "timestampdiff(MONTH, " + from + ", " + to + ")";
    }

    /** A range test per span: Spark prunes and evaluates them without a list to unnest. */
    @Override
    public String inSpans(String index, List<IndexSpan> spans) {
        return "(" + String.join(" OR ", spans.stream().map(span -> "(" + index + " >= " + span.from() + " AND "
                + index + " < " + span.to() + ")").toList()) + ")";
    }

    @Override
    public String spans(List<IndexSpan> spans) {
        return "SELECT * FROM VALUES " + String.join(", ", spans.stream().map(span -> "(" + span.from() + ", "
                + span.to() + ")").toList()) + " AS spans(span_from, span_to)";
    }

    @Override
    public String createStagedTable(String table, String query) {
        return "CREATE OR REPLACE TABLE " + table + " AS " + query;
    }

    @Override
    public String insertByName(String table, String query) {
        return "INSERT INTO " + table + " BY NAME " + query;
    }

    @Override
    public String unionAllByName(String left, String right) {
        return "(" + left + " UNION ALL BY NAME " + right + ")";
    }

    @Override
    public String keepLastPerKey(String staged, List<String> keys, String orderBy) {
        String keyList = String.join(", ", keys.stream().map(Sql::identifier).toList());
        return "DELETE FROM " + staged + " WHERE " + ROW_ID + " IN (SELECT " + ROW_ID + " FROM (SELECT " + ROW_ID
                + ", row_number() OVER (PARTITION BY " + keyList + " ORDER BY "
                + (orderBy == null ? "" : Sql.identifier(orderBy) + " DESC NULLS LAST, ") + ROW_ID
                + " DESC) AS _sluice_rank FROM " + staged + ") WHERE _sluice_rank > 1)";
    }

    /** One {@code MERGE INTO}: one Iceberg commit, keys matched null-safely as DuckDB's IS NOT DISTINCT FROM. */
    @Override
    public List<String> mergeByKey(String table, String staged, List<String> keys, List<String> columns) {
        List<String> quoted = columns.stream().map(Sql::identifier).toList();
        String columnList = String.join(", ", quoted);
        if (keys.isEmpty()) {
            return List.of("INSERT INTO " + table + " (" + columnList + ") SELECT " + columnList + " FROM " + staged);
        }
        String match = String.join(" AND ", keys.stream()
                .map(key -> "s." + Sql.identifier(key) + " <=> t." + Sql.identifier(key)).toList());
        String set = String.join(", ", quoted.stream().map(c -> c + " = s." + c).toList());
        String values = String.join(", ", quoted.stream().map(c -> "s." + c).toList());
        return List.of("MERGE INTO " + table + " AS t USING " + staged + " AS s ON " + match
                + " WHEN MATCHED THEN UPDATE SET " + set + " WHEN NOT MATCHED THEN INSERT (" + columnList
                + ") VALUES (" + values + ")");
    }

    /**
     * A {@code MERGE INTO} that deletes the rows of the staged keys (one Iceberg commit; the distinct keys, as a MERGE
     * matches each row once), then the insert of every staged row: a MERGE cannot insert several rows of one key.
     */
    @Override
    public List<String> replaceByKey(String table, String staged, List<String> keys, List<String> columns) {
        String columnList = String.join(", ", columns.stream().map(Sql::identifier).toList());
        String keyList = String.join(", ", keys.stream().map(Sql::identifier).toList());
        String match = String.join(" AND ", keys.stream()
                .map(key -> "s." + Sql.identifier(key) + " <=> t." + Sql.identifier(key)).toList());
        return List.of("MERGE INTO " + table + " AS t USING (SELECT DISTINCT " + keyList + " FROM " + staged
                + ") AS s ON " + match + " WHEN MATCHED THEN DELETE",
                "INSERT INTO " + table + " (" + columnList + ") SELECT " + columnList + " FROM " + staged);
    }

    @Override
    public List<String> deleteInsert(String table, String staged, String condition) {
        return List.of("DELETE FROM " + table + " WHERE " + condition,
                insertByName(table, "SELECT * FROM " + staged));
    }

    /** Every table is an Iceberg table: its current snapshot is the newest entry of its snapshots metadata table. */
    @Override
    public java.util.Optional<String> currentSnapshotQuery(String table) {
        return java.util.Optional.of("SELECT snapshot_id FROM " + table + ".snapshots ORDER BY committed_at DESC LIMIT 1");
    }

    /** Spark reads files through a temporary view of the session, which a view kept in the warehouse cannot read. */
    @Override
    public java.util.Optional<String> noViewsOverFiles() {
        return java.util.Optional.of("engine spark keeps no view over files in its warehouse (Spark reads them "
                + "through a temporary view of one session)");
    }

    /**
     * A view, the pointer swap of a publish; but a view reading files by path becomes a table of their rows: Spark
     * resolves {@code parquet.`path`} in a view against the view's catalog, where no such table exists.
     */
    @Override
    public String publishView(String view, String select) {
        boolean readsFiles = SparkStatements.segments(select).stream().anyMatch(segment -> !segment.quoted()
                && (segment.text().matches("(?s).*\\bparquet\\.\\s*\\z")
                        || segment.text().contains(SparkStatements.FILES)));
        return "CREATE OR REPLACE " + (readsFiles ? "TABLE " : "VIEW ") + view + " AS SELECT " + select;
    }

    @Override
    public String copyToParquet(String query, Path target, ParquetOptions options) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("format", "parquet");
        spec.put("target", target.toAbsolutePath().toString());
        spec.put("settings", options.settings());
        List<String> partitions = new ArrayList<>();
        options.partitionBy().forEach(column -> partitions.add(SparkStatements.unquote(column)));
        spec.put("partitionBy", partitions);
        spec.put("fileSizeBytes", options.fileSizeBytes());
        spec.put("filenamePattern", options.filenamePattern());
        return SparkStatements.COPY + " " + Sql.string(json(spec)) + " AS " + query;
    }

    @Override
    public String copyToCsv(String query, Path target) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("format", "csv");
        spec.put("target", target.toAbsolutePath().toString());
        return SparkStatements.COPY + " " + Sql.string(json(spec)) + " AS " + query;
    }

    @Override
    public String blocksOnDiskQuery() {
        return "SELECT " + SparkStatements.TABLE_BYTES + "(?)";
    }

    @Override
    public String columnCompressionQuery() {
        return "SELECT * FROM " + SparkStatements.COLUMN_CODECS + "(?)";
    }

    @Override
    public String parquetCompressionQuery() {
        return "SELECT * FROM " + SparkStatements.PARQUET_CODECS + "(?)";
    }

    @Override
    public String parquetColumnBoundsQuery() {
        return "SELECT * FROM " + SparkStatements.PARQUET_BOUNDS + "(?, ?)";
    }

    @Override
    public String databaseFileQuery() {
        return "SELECT " + SparkStatements.WAREHOUSE + "()";
    }

    @Override
    public String readStatement(Session session, String sql) {
        return ((SparkSqlSession) session).checkedRead(sql);
    }

    @Override
    public String masked(Session session, String statement, ColumnMasks masks) {
        if (masks.isEmpty()) {
            return statement;
        }
        throw new SluiceException(ErrorCode.USAGE, "Cannot run query on Spark: the project masks columns (masks: in "
                + "sluice.yml), which the Spark engine cannot enforce yet; query the warehouse with engine: duckdb");
    }

    @Override
    public String maskExpression(String column, Mask mask) {
        String text = "CAST(" + column + " AS STRING)";
        return switch (mask) {
            case PARTIAL -> "CASE WHEN length(" + text + ") <= " + Mask.PARTIAL_KEPT + " THEN repeat('*', length("
                    + text + ")) ELSE concat(repeat('*', length(" + text + ") - " + Mask.PARTIAL_KEPT + "), right(" + text
                    + ", " + Mask.PARTIAL_KEPT + ")) END";
            case HASH -> "sha2(" + text + ", 256)";
            case REDACT -> "CASE WHEN " + column + " IS NULL THEN NULL ELSE " + Sql.string(Mask.REDACTED) + " END";
            case NULL -> "CASE WHEN FALSE THEN " + column + " END";
        };
    }

    /** sparksrc: the column statistics Iceberg keeps per data file, which Spark's scans prune by ({@link SparkColumnStatistics}). */
    @Override
    public String storedStatisticsQuery(String table, List<String> columns) {
        return SparkColumnStatistics.query(table, columns);
    }

    private static String json(Map<String, Object> spec) {
        try {
            return JSON.writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
