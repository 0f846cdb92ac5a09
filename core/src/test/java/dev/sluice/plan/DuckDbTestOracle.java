package dev.sluice.plan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.project.Source;
import dev.sluice.project.SourceSpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A {@link SchemaOracle} over an in-memory DuckDB database, for tests. Sources are empty tables made from the
 * declared column types (synthetic columns, or a CSV source's explicit columns); models are empty tables too.
 * Not thread-safe; close it to release the database.
 */
final class DuckDbTestOracle implements SchemaOracle, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;
    private final Set<String> schemas = new HashSet<>();
    private int modelDefinitions;
    /** The models DuckDB bound (defined from their SQL), in order; models declared from known columns are not. */
    private final List<String> bound = new ArrayList<>();

    DuckDbTestOracle() {
        try {
            connection = DriverManager.getConnection("jdbc:duckdb:");
            try (Statement statement = connection.createStatement()) {
                // the scratch database only binds queries: optimizing them or planning threads is wasted time
                statement.execute("PRAGMA disable_optimizer");
                statement.execute("SET threads = 1");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot open an in-memory DuckDB: " + e.getMessage(), e);
        }
    }

    /** How many times {@link #defineModel} was called. */
    int modelDefinitions() {
        return modelDefinitions;
    }

    @Override
    public List<FunctionInfo> functions() {
        List<FunctionInfo> functions = new ArrayList<>();
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT DISTINCT function_name, function_type, return_type FROM duckdb_functions()")) {
            while (rows.next()) {
                functions.add(new FunctionInfo(rows.getString(1), rows.getString(2), rows.getString(3)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot list DuckDB functions: " + e.getMessage(), e);
        }
        return functions;
    }

    @Override
    public List<ColumnType> defineSource(Source source) {
        Map<String, String> columns = new LinkedHashMap<>();
        if (source.spec() instanceof SourceSpec.Synthetic synthetic) {
            synthetic.columns().forEach(column -> columns.put(column.name(), column.type()));
        } else if (source.spec() instanceof SourceSpec.Files files) {
            columns.putAll(files.csv().columns());
        }
        if (columns.isEmpty()) {
            throw new SluiceException(ErrorCode.SOURCE_INVALID,
                    "Cannot define source '%s' (%s): the test oracle needs declared columns; declare them",
                    source.qualifiedName(), source.location());
        }
        List<String> definitions = new ArrayList<>();
        columns.forEach((name, type) -> definitions.add(quote(name) + " " + type));
        String table = quote(source.schema()) + "." + quote(source.table());
        try (Statement statement = connection.createStatement()) {
            createSchema(statement, source.schema());
            statement.execute("CREATE OR REPLACE TABLE " + table + " (" + String.join(", ", definitions) + ")");
            return describe(statement, table);
        } catch (SQLException e) {
            throw new SluiceException(ErrorCode.SOURCE_INVALID, e, "Cannot define source '%s' (%s): %s",
                    source.qualifiedName(), source.location(), e.getMessage());
        }
    }

    /** The names of the models DuckDB bound from their SQL, in order. */
    List<String> boundModels() {
        return List.copyOf(bound);
    }

    @Override
    public void declareModel(String schema, String name, List<ColumnType> columns) {
        List<String> definitions = new ArrayList<>();
        columns.forEach(column -> definitions.add(quote(column.name()) + " " + column.type()));
        try (Statement statement = connection.createStatement()) {
            createSchema(statement, schema);
            statement.execute("CREATE OR REPLACE TABLE " + quote(schema) + "." + quote(name) + " ("
                    + String.join(", ", definitions) + ")");
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public List<ColumnType> defineModel(String schema, String name, String sql) {
        modelDefinitions++;
        bound.add(name);
        String table = quote(schema) + "." + quote(name);
        try (Statement statement = connection.createStatement()) {
            createSchema(statement, schema);
            // An empty table, not a view: DuckDB binds a view by expanding every view below it, which grows
            // exponentially over a deep graph of joins. DESCRIBE of the query, then CREATE TABLE with its columns,
            // is faster than CREATE TABLE AS ... LIMIT 0. The newline keeps a trailing -- comment from eating ")".
            List<ColumnType> columns = describe(statement, "(\n" + sql + "\n)");
            List<String> definitions = new ArrayList<>();
            columns.forEach(column -> definitions.add(quote(column.name()) + " " + column.type()));
            statement.execute("CREATE OR REPLACE TABLE " + table + " (" + String.join(", ", definitions) + ")");
            return columns;
        } catch (SQLException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private void createSchema(Statement statement, String schema) throws SQLException {
        if (schemas.add(schema.toLowerCase(Locale.ROOT))) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS " + quote(schema));
        }
    }

    private static List<ColumnType> describe(Statement statement, String relation) throws SQLException {
        List<ColumnType> columns = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery("DESCRIBE " + relation)) {
            while (rows.next()) {
                columns.add(new ColumnType(rows.getString("column_name"), rows.getString("column_type")));
            }
        }
        return columns;
    }

    @Override
    public Set<String> tableReferences(String sql) {
        JsonNode tree;
        try (PreparedStatement statement = connection.prepareStatement("SELECT json_serialize_sql(?)")) {
            statement.setString(1, sql);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                tree = JSON.readTree(rows.getString(1));
            }
        } catch (SQLException | java.io.IOException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (tree.path("error").asBoolean(false)) {
            throw new IllegalArgumentException(tree.path("error_message").asText("DuckDB cannot parse the SQL"));
        }
        Set<String> cteNames = new HashSet<>();
        List<JsonNode> tables = new ArrayList<>();
        collect(tree, cteNames, tables);
        Set<String> names = new LinkedHashSet<>();
        for (JsonNode table : tables) {
            String schema = table.path("schema_name").asText("");
            String name = table.path("table_name").asText();
            if (schema.isEmpty() && cteNames.contains(name.toLowerCase(Locale.ROOT))) {
                continue;
            }
            names.add(schema.isEmpty() ? name : schema + "." + name);
        }
        return names;
    }

    /**
     * Walks the serialized statement: table scans are nodes of type BASE_TABLE; common table expressions are the
     * keys of every {@code cte_map.map} list, at any depth (DuckDB scopes them, this test oracle does not).
     */
    private static void collect(JsonNode node, Set<String> cteNames, List<JsonNode> tables) {
        if (node.isObject()) {
            if ("BASE_TABLE".equals(node.path("type").asText())) {
                tables.add(node);
            }
            JsonNode map = node.path("cte_map").path("map");
            for (JsonNode entry : map) {
                cteNames.add(entry.path("key").asText().toLowerCase(Locale.ROOT));
            }
            node.forEach(child -> collect(child, cteNames, tables));
        } else if (node.isArray()) {
            node.forEach(child -> collect(child, cteNames, tables));
        }
    }

    private static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
