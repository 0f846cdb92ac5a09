package dev.sluice.engine.duckdb;

import dev.sluice.engine.Dialect;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** DuckDB's SQL for Sluice's intents: exactly the statements Sluice ran before engines were pluggable. */
public final class DuckDbDialect implements Dialect {
    /** The one instance: the dialect holds no state. */
    public static final DuckDbDialect INSTANCE = new DuckDbDialect();

    /** The session variable holding the project folder, which stored SQL names project files by. */
    public static final String PROJECT_ROOT = "sluice_project_root";

    private DuckDbDialect() {
    }

    @Override
    public ModelSql modelSql() {
        return ModelSql.MODEL_TEXT;
    }

    /**
     * An expression over the session variable {@value #PROJECT_ROOT} that every session of a confined engine sets to
     * the project folder (DuckDB resolves relative file names against the working folder first).
     */
    @Override
    public String projectFile(Path projectRoot, Path file) {
        Path root = projectRoot.toAbsolutePath().normalize();
        Path normal = file.toAbsolutePath().normalize();
        if (!normal.startsWith(root) || normal.equals(root)) {
            return Sql.string(normal.toString());
        }
        String relative = root.relativize(normal).toString().replace(File.separatorChar, '/');
        return "(" + readVariable(PROJECT_ROOT) + " || " + Sql.string("/" + relative) + ")";
    }

    @Override
    public String readParquet(String files) {
        return readFiles(FileFormat.PARQUET, files, List.of());
    }

    @Override
    public String readParquet(String files, boolean hivePartitioning) {
        return readFiles(FileFormat.PARQUET, files, List.of("hive_partitioning = " + hivePartitioning));
    }

    @Override
    public String readFiles(FileFormat format, String files, List<String> options) {
        String function = switch (format) {
            case CSV -> "read_csv";
            case PARQUET -> "read_parquet";
            case JSON -> "read_json";
        };
        List<String> arguments = new ArrayList<>(List.of(files));
        arguments.addAll(options);
        return function + "(" + String.join(", ", arguments) + ")";
    }

    @Override
    public List<String> keepCsvRejects(String errors, String scans) {
        return List.of("store_rejects = true", "rejects_table = " + Sql.string(errors),
                "rejects_scan = " + Sql.string(scans));
    }

    @Override
    public String readVariable(String name) {
        return "getvariable(" + Sql.string(name) + ")";
    }

    @Override
    public String setVariable(String name, String value) {
        return "SET VARIABLE " + Sql.identifier(name) + " = " + value;
    }

    @Override
    public String columnsWithoutPrefix(String prefix) {
        return "COLUMNS(lambda c: NOT starts_with(c, " + Sql.string(prefix) + "))";
    }

    @Override
    public String rowId() {
        return "rowid";
    }

    /**
     * DuckDB's system sample: whole vectors of adjacent rows, read without scanning the rest (a seeded one runs on
     * one thread).
     */
    @Override
    public String sampleFrom(String relation, double percent, Integer seed) {
        return String.format(java.util.Locale.ROOT, "FROM %s USING SAMPLE %.6f PERCENT (system%s)", relation, percent,
                seed == null ? "" : ", " + seed);
    }

    /** DuckDB's {@code stats()} reads the zone-map statistics of a table's column without scanning it. */
    @Override
    public String storedStatisticsQuery(String table, java.util.List<String> columns) {
        java.util.List<String> values = new java.util.ArrayList<>();
        for (String column : columns) {
            for (String key : java.util.List.of("min", "max", "has_null", "has_no_null")) {
                values.add("CAST(stats(" + column + ")['" + key + "'] AS VARCHAR)");
            }
        }
        return "SELECT " + String.join(", ", values) + " FROM " + table + " LIMIT 1";
    }

    @Override
    public String stringLiteral(String text) {
        return Sql.string(text);
    }

    @Override
    public String regexFullMatch(String value, String pattern) {
        return "regexp_full_match(" + value + ", " + Sql.string(pattern) + ")";
    }

    @Override
    public String startsWith(String value, String prefix) {
        return "starts_with(" + value + ", " + Sql.string(prefix) + ")";
    }

    @Override
    public String endsWith(String value, String suffix) {
        return "ends_with(" + value + ", " + Sql.string(suffix) + ")";
    }

    @Override
    public String byteLength(String value) {
        return "strlen(" + value + ")";
    }

    @Override
    public String globMatch(String value, String glob) {
        return value + " GLOB " + Sql.string(glob);
    }

    /** One bit a value: no hash table, so a unique rule's dense integer keys cost about as little as reading them. */
    @Override
    public java.util.Optional<String> distinctIntegers(String column, long min, long max) {
        return java.util.Optional.of("bit_count(bitstring_agg(" + column + ", " + min + ", " + max + "))");
    }

    @Override
    public String quantile(String column, double q) {
        return "quantile_cont(" + column + ", " + q + ")";
    }

    /** DuckDB's {@code now()} is the instant; as a TIMESTAMP it is the wall clock of the session's time zone. */
    @Override
    public String secondsSince(String timestamp) {
        return "epoch(CAST(now() AS TIMESTAMP)) - epoch(CAST(" + timestamp + " AS TIMESTAMP))";
    }

    @Override
    public String stringAgg(String expression, String separator) {
        return "string_agg(" + expression + ", " + Sql.string(separator) + ")";
    }

    @Override
    public String allColumnsExcept(String column) {
        return "* EXCLUDE (" + Sql.identifier(column) + ")";
    }

    @Override
    public String relationsNamedQuery(String schema, String table) {
        return "SELECT table_name FROM information_schema.tables WHERE table_catalog = current_database() AND "
                + "table_schema = " + Sql.string(schema) + " AND table_name = " + Sql.string(table);
    }

    @Override
    public String useUtc() {
        return "SET TimeZone = 'UTC'";
    }

    @Override
    public String utcWallClock(String timestamp) {
        return "timezone('UTC', " + timestamp + ")";
    }

    @Override
    public String microsBetween(String from, String to) {
        return "(epoch_us(" + to + ") - epoch_us(" + from + "))";
    }

    @Override
    public String monthsBetween(String from, String to) {
        return "datediff('month', " + from + ", " + to + ")";
    }

    /**
     * Spans covering at most this many intervals from the first to the last are tested against a bitmap; longer ones
     * by a semi-join (the bitmap is a literal of as many characters).
     */
    static final long BITMAP_INTERVALS = 100_000;

    /**
     * A bit per interval from the first span to the last, looked up by the index: a few operations per row, where a
     * semi-join on the index (its hash table built from the unnested spans) cost twice the time in a rebuild's staging
     * and {@code DELETE}, and a long {@code IN} list or {@code OR} chain more (bench/WINDOWS.md). The bitmap has a zero
     * bit at each end and the position is clamped onto them, so that an index outside the spans (a row the time range
     * around them does not hold, whichever condition DuckDB evaluates first) is false, never out of range.
     * Spans longer than {@link #BITMAP_INTERVALS} in all are tested by the semi-join.
     */
    @Override
    public String inSpans(String index, List<IndexSpan> spans) {
        long first = spans.stream().mapToLong(IndexSpan::from).min().orElseThrow();
        long end = spans.stream().mapToLong(IndexSpan::to).max().orElseThrow();
        if (end - first > BITMAP_INTERVALS) {
            List<String> pairs = new ArrayList<>();
            for (IndexSpan span : spans) {
                pairs.add("[" + span.from() + ", " + span.to() + "]");
            }
            return index + " IN (SELECT unnest(range(r[1], r[2])) FROM (SELECT unnest([" + String.join(", ", pairs)
                    + "]) AS r))";
        }
        StringBuilder bits = new StringBuilder("0".repeat((int) (end - first + 2)));
        for (IndexSpan span : spans) {
            for (long i = span.from(); i < span.to(); i++) {
                bits.setCharAt((int) (i - first + 1), '1');
            }
        }
        return "get_bit(BITSTRING '" + bits + "', CAST(least(greatest(" + index + " + " + (1 - first) + ", 0), "
                + (end - first + 1) + ") AS INTEGER)) = 1";
    }

    /** Two lists unnested side by side: DuckDB binds a list of constants faster than as many VALUES rows. */
    @Override
    public String spans(List<IndexSpan> spans) {
        List<String> from = new ArrayList<>();
        List<String> to = new ArrayList<>();
        for (IndexSpan span : spans) {
            from.add(Long.toString(span.from()));
            to.add(Long.toString(span.to()));
        }
        return "SELECT unnest([" + String.join(", ", from) + "]) AS span_from, unnest([" + String.join(", ", to)
                + "]) AS span_to";
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
        return "DELETE FROM " + staged + " WHERE rowid IN (SELECT rowid FROM " + staged
                + " QUALIFY row_number() OVER (PARTITION BY " + keyList + " ORDER BY "
                + (orderBy == null ? "" : Sql.identifier(orderBy) + " DESC NULLS LAST, ") + "rowid DESC) > 1)";
    }

    @Override
    public List<String> mergeByKey(String table, String staged, List<String> keys, List<String> columns) {
        List<String> statements = new ArrayList<>();
        if (!keys.isEmpty()) {
            String match = String.join(" AND ", keys.stream()
                    .map(key -> "s." + Sql.identifier(key) + " IS NOT DISTINCT FROM t." + Sql.identifier(key)).toList());
            statements.add("DELETE FROM " + table + " AS t WHERE EXISTS (SELECT 1 FROM " + staged + " AS s WHERE "
                    + match + ")");
        }
        String columnList = String.join(", ", columns.stream().map(Sql::identifier).toList());
        statements.add("INSERT INTO " + table + " (" + columnList + ") SELECT " + columnList + " FROM " + staged);
        return statements;
    }

    /** The same statements as {@link #mergeByKey}: DuckDB's merge is a delete+insert already. */
    @Override
    public List<String> replaceByKey(String table, String staged, List<String> keys, List<String> columns) {
        return mergeByKey(table, staged, keys, columns);
    }

    @Override
    public List<String> deleteInsert(String table, String staged, String condition) {
        return List.of("DELETE FROM " + table + " WHERE " + condition,
                insertByName(table, "SELECT * FROM " + staged));
    }

    @Override
    public String publishView(String view, String select) {
        return "CREATE OR REPLACE VIEW " + view + " AS SELECT " + select;
    }

    @Override
    public String copyToParquet(String query, Path target, ParquetOptions options) {
        List<String> parts = new ArrayList<>(List.of("FORMAT parquet"));
        if (!options.partitionBy().isEmpty()) {
            parts.add("PARTITION_BY (" + String.join(", ", options.partitionBy()) + ")");
        }
        if (!options.settings().isEmpty()) {
            parts.add(options.settings());
        }
        if (options.fileSizeBytes() != null) {
            parts.add("FILE_SIZE_BYTES " + options.fileSizeBytes());
        }
        if (options.filenamePattern() != null) {
            parts.add("FILENAME_PATTERN " + Sql.string(options.filenamePattern()) + ", OVERWRITE_OR_IGNORE true");
        }
        return "COPY (" + query + ") TO " + Sql.string(target.toString()) + " (" + String.join(", ", parts) + ")";
    }

    @Override
    public String copyToCsv(String query, Path target) {
        return "COPY (" + query + ") TO " + Sql.string(target.toString()) + " (FORMAT csv, HEADER true)";
    }

    @Override
    public String blocksOnDiskQuery() {
        return "SELECT count(DISTINCT block_id) * (SELECT block_size FROM pragma_database_size() WHERE "
                + "database_name = current_database()) FROM pragma_storage_info(?) WHERE block_id >= 0";
    }

    /**
     * With the table's blocks as a third column: {@code pragma_storage_info} formats every segment's statistics,
     * whichever columns are read (a quarter of a second for a table of 45M rows), so both answers come from one read.
     */
    @Override
    public String columnCompressionQuery() {
        return "WITH segments AS MATERIALIZED (SELECT column_name, column_id, compression, persistent, block_id FROM "
                + "pragma_storage_info(?)) SELECT column_name, string_agg(DISTINCT compression, ',' ORDER BY "
                + "compression), (SELECT count(DISTINCT block_id) FROM segments WHERE block_id >= 0) * (SELECT "
                + "block_size FROM pragma_database_size() WHERE database_name = current_database()) FROM segments "
                + "WHERE persistent GROUP BY column_name, column_id ORDER BY column_id";
    }

    @Override
    public String parquetColumnBoundsQuery() {
        return "SELECT stats_min_value, stats_max_value FROM parquet_metadata(?) WHERE lower(path_in_schema) = ?";
    }

    @Override
    public String parquetCompressionQuery() {
        return "SELECT path_in_schema, string_agg(DISTINCT compression, ',' ORDER BY compression), "
                + "sum(total_compressed_size), sum(total_uncompressed_size) FROM parquet_metadata(?) "
                + "GROUP BY path_in_schema ORDER BY path_in_schema";
    }

    @Override
    public String databaseFileQuery() {
        return "SELECT path FROM duckdb_databases() WHERE database_name = current_database()";
    }

    @Override
    public String readStatement(Session session, String sql) {
        return ReadStatement.checked(session, sql);
    }

    @Override
    public String masked(Session session, String statement, dev.sluice.project.ColumnMasks masks) {
        return MaskedStatement.rewrite(session, statement, masks);
    }

    @Override
    public String maskExpression(String column, dev.sluice.project.Mask mask) {
        return MaskedStatement.expression(column, mask);
    }
}
