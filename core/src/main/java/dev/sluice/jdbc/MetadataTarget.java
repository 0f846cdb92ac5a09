package dev.sluice.jdbc;

import dev.sluice.Sluice;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The listings of the driver's {@link DatabaseMetaData} (see {@link JdbcProxy}; the fixed answers are
 * {@link MetadataFacts}'): schemas, relations and columns as the warehouse's {@code information_schema} has them
 * (so only what a query can read), with the project's descriptions and PII tags as remarks and merge models' unique
 * keys as primary keys. Models are {@code TABLE}s or {@code VIEW}s, the catalog's tables (schema {@code sluice})
 * {@code SYSTEM TABLE}s; Sluice's own working relations ({@code __sluice_} in the name) are left out. No catalogs.
 */
final class MetadataTarget extends MetadataFacts {
    private static final String OWN = " AND table_name NOT LIKE '%\\_\\_sluice\\_%' ESCAPE '\\'";
    private static final String TABLES = "SELECT table_schema, table_name, CASE WHEN table_schema = 'sluice' THEN "
            + "(CASE WHEN table_type = 'VIEW' THEN 'SYSTEM VIEW' ELSE 'SYSTEM TABLE' END) WHEN table_type = "
            + "'BASE TABLE' THEN 'TABLE' ELSE table_type END AS table_type FROM information_schema.tables "
            + "WHERE table_catalog = current_database() AND table_schema LIKE ? ESCAPE '\\' AND table_name LIKE ? "
            + "ESCAPE '\\'" + OWN + " ORDER BY 3, 1, 2";
    private static final String COLUMNS = "SELECT table_schema, table_name, column_name, data_type, is_nullable, "
            + "column_default, ordinal_position FROM information_schema.columns WHERE table_catalog = "
            + "current_database() AND table_schema LIKE ? ESCAPE '\\' AND table_name LIKE ? ESCAPE '\\' AND "
            + "column_name LIKE ? ESCAPE '\\'" + OWN + " ORDER BY 1, 2, 7";
    private static final String SCHEMAS = "SELECT schema_name FROM information_schema.schemata WHERE catalog_name = "
            + "current_database() AND schema_name LIKE ? ESCAPE '\\' ORDER BY 1";
    private static final List<String> TABLE_TYPES = List.of("SYSTEM TABLE", "SYSTEM VIEW", "TABLE", "VIEW");

    private final ConnectionTarget connection;
    private Descriptions descriptions;

    private MetadataTarget(ConnectionTarget connection) {
        this.connection = connection;
    }

    static DatabaseMetaData of(ConnectionTarget connection) {
        return JdbcProxy.of(DatabaseMetaData.class, new MetadataTarget(connection));
    }

    public Connection getConnection() {
        return connection.self();
    }

    public String getURL() {
        return connection.url().toString();
    }

    public String getUserName() {
        return connection.url().option("user");
    }

    public ResultSet getCatalogs() {
        return Listing.of("TABLE_CAT").result();
    }

    public ResultSet getSchemas() throws SQLException {
        return getSchemas(null, null);
    }

    public ResultSet getSchemas(String catalog, String schemaPattern) throws SQLException {
        Listing listing = Listing.of("TABLE_SCHEM", "TABLE_CATALOG");
        for (List<Object> row : query(SCHEMAS, pattern(schemaPattern))) {
            listing.add(row.get(0), null);
        }
        return listing.result();
    }

    public ResultSet getTableTypes() {
        Listing listing = Listing.of("TABLE_TYPE");
        TABLE_TYPES.forEach(listing::add);
        return listing.result();
    }

    public ResultSet getTables(String catalog, String schemaPattern, String tablePattern, String[] types)
            throws SQLException {
        Set<String> wanted = types == null ? null : new TreeSet<>(Arrays.asList(types));
        Listing listing = Listing.of("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE", "REMARKS", "TYPE_CAT",
                "TYPE_SCHEM", "TYPE_NAME", "SELF_REFERENCING_COL_NAME", "REF_GENERATION");
        for (List<Object> row : query(TABLES, pattern(schemaPattern), pattern(tablePattern))) {
            String schema = (String) row.get(0);
            String table = (String) row.get(1);
            String type = (String) row.get(2);
            if (wanted == null || wanted.contains(type)) {
                listing.add(null, schema, table, type, descriptions().table(schema, table), null, null, null, null,
                        null);
            }
        }
        return listing.result();
    }

    public ResultSet getColumns(String catalog, String schemaPattern, String tablePattern, String columnPattern)
            throws SQLException {
        Listing listing = Listing.types(List.of("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME",
                "DATA_TYPE", "TYPE_NAME", "COLUMN_SIZE", "BUFFER_LENGTH", "DECIMAL_DIGITS", "NUM_PREC_RADIX",
                "NULLABLE", "REMARKS", "COLUMN_DEF", "SQL_DATA_TYPE", "SQL_DATETIME_SUB", "CHAR_OCTET_LENGTH",
                "ORDINAL_POSITION", "IS_NULLABLE", "SCOPE_CATALOG", "SCOPE_SCHEMA", "SCOPE_TABLE", "SOURCE_DATA_TYPE",
                "IS_AUTOINCREMENT", "IS_GENERATEDCOLUMN"), List.of("VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR",
                "INTEGER", "VARCHAR", "INTEGER", "INTEGER", "INTEGER", "INTEGER", "INTEGER", "VARCHAR", "VARCHAR",
                "INTEGER", "INTEGER", "INTEGER", "INTEGER", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "SMALLINT",
                "VARCHAR", "VARCHAR"));
        for (List<Object> row : query(COLUMNS, pattern(schemaPattern), pattern(tablePattern),
                pattern(columnPattern))) {
            String schema = (String) row.get(0);
            String table = (String) row.get(1);
            String column = (String) row.get(2);
            SqlType type = SqlType.of((String) row.get(3));
            boolean nullable = "YES".equalsIgnoreCase(String.valueOf(row.get(4)));
            boolean number = type.javaClass().getSuperclass() == Number.class || type.code() == Types.DECIMAL;
            listing.add(null, schema, table, column, type.code(), type.name(),
                    type.precision() == 0 ? null : type.precision(), null,
                    number ? type.scale() : null, number ? 10 : null,
                    nullable ? DatabaseMetaData.columnNullable : DatabaseMetaData.columnNoNulls,
                    descriptions().column(schema, table, column), row.get(5), null, null, null,
                    ((Number) row.get(6)).intValue(), nullable ? "YES" : "NO", null, null, null, null, "NO", "NO");
        }
        return listing.result();
    }

    /** The unique key of a merge model (the columns its runs merge on), the only keys Sluice declares. */
    public ResultSet getPrimaryKeys(String catalog, String schema, String table) {
        Listing listing = Listing.types(List.of("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME", "KEY_SEQ",
                "PK_NAME"), List.of("VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "SMALLINT", "VARCHAR"));
        for (String relation : descriptions().keyed()) {
            String[] parts = relation.split("\\.", 2);
            if ((schema == null || parts[0].equalsIgnoreCase(schema)) && parts[1].equalsIgnoreCase(table)) {
                List<String> key = descriptions().key(parts[0], parts[1]);
                for (int i = 0; i < key.size(); i++) {
                    listing.add(null, parts[0], parts[1], key.get(i), (short) (i + 1), parts[1] + "_unique_key");
                }
            }
        }
        return listing.result();
    }

    public ResultSet getTypeInfo() {
        return TypeInfo.result();
    }

    /** {@code sluice_run}, the one procedure: {@code CALL sluice_run('selection', 'var=value', ...)}. */
    public ResultSet getProcedures(String catalog, String schemaPattern, String procedurePattern) {
        Listing listing = Listing.types(List.of("PROCEDURE_CAT", "PROCEDURE_SCHEM", "PROCEDURE_NAME", "RESERVED1",
                "RESERVED2", "RESERVED3", "REMARKS", "PROCEDURE_TYPE", "SPECIFIC_NAME"), List.of("VARCHAR", "VARCHAR",
                "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "VARCHAR", "SMALLINT", "VARCHAR"));
        if (procedurePattern == null || "sluice_run".matches(like(procedurePattern))) {
            listing.add(null, null, "sluice_run", null, null, null, "Runs the pipeline: CALL sluice_run('selection', "
                    + "'var=value', ...); one row per model", (short) DatabaseMetaData.procedureReturnsResult,
                    "sluice_run");
        }
        return listing.result();
    }

    public ResultSet getImportedKeys(String catalog, String schema, String table) {
        return keys();
    }

    public ResultSet getExportedKeys(String catalog, String schema, String table) {
        return keys();
    }

    /** No indexes: the warehouse's storage decisions (sort order, zone maps) are in {@code sluice.storage_decisions}. */
    public ResultSet getIndexInfo(String catalog, String schema, String table, boolean unique, boolean approximate) {
        return Listing.of("TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "NON_UNIQUE", "INDEX_QUALIFIER", "INDEX_NAME",
                "TYPE", "ORDINAL_POSITION", "COLUMN_NAME", "ASC_OR_DESC", "CARDINALITY", "PAGES", "FILTER_CONDITION")
                .result();
    }

    public ResultSet getFunctions(String catalog, String schemaPattern, String functionPattern) {
        return Listing.of("FUNCTION_CAT", "FUNCTION_SCHEM", "FUNCTION_NAME", "REMARKS", "FUNCTION_TYPE",
                "SPECIFIC_NAME").result();
    }

    private static ResultSet keys() {
        return Listing.of("PKTABLE_CAT", "PKTABLE_SCHEM", "PKTABLE_NAME", "PKCOLUMN_NAME", "FKTABLE_CAT",
                "FKTABLE_SCHEM", "FKTABLE_NAME", "FKCOLUMN_NAME", "KEY_SEQ", "UPDATE_RULE", "DELETE_RULE", "FK_NAME",
                "PK_NAME", "DEFERRABILITY").result();
    }

    private List<List<Object>> query(String sql, Object... parameters) throws SQLException {
        List<List<Object>> rows = new ArrayList<>();
        try (RowSource source = connection.backend().query(sql, Arrays.asList(parameters))) {
            source.forEachRemaining(rows::add);
        }
        return rows;
    }

    private Descriptions descriptions() {
        if (descriptions == null) {
            Sluice sluice = connection.sluice();
            descriptions = sluice == null ? Descriptions.NONE : Descriptions.of(sluice);
        }
        return descriptions;
    }

    private static String pattern(String pattern) {
        return pattern == null ? "%" : pattern;
    }

    /** A LIKE pattern as a regular expression (for the one name not in the warehouse: sluice_run). */
    private static String like(String pattern) {
        StringBuilder regex = new StringBuilder("(?i)");
        for (char c : pattern.toCharArray()) {
            regex.append(switch (c) {
                case '%' -> ".*";
                case '_' -> ".";
                default -> java.util.regex.Pattern.quote(String.valueOf(c));
            });
        }
        return regex.toString();
    }
}
