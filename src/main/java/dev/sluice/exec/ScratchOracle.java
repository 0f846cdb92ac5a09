package dev.sluice.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.connect.SourceConnector;
import dev.sluice.connect.SourceConnectors;
import dev.sluice.engine.Engine;
import dev.sluice.engine.EngineOptions;
import dev.sluice.engine.Engines;
import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.project.EngineTraits;
import dev.sluice.plan.ColumnType;
import dev.sluice.plan.FunctionInfo;
import dev.sluice.plan.SchemaOracle;
import dev.sluice.project.Source;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The planner's view of DuckDB: a private in-memory database where sources and models are empty tables of their
 * real types, so DuckDB binds every model exactly as it will run, without touching the warehouse.
 * Not thread-safe; one per plan.
 */
final class ScratchOracle implements SchemaOracle, AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Engine engine;
    private final Session session;
    private final Set<String> schemas = new HashSet<>();
    /** The project folder. */
    private final java.nio.file.Path root;
    /** The columns of tracked sources as loaded in the warehouse, by qualified source name (lower case). */
    private final java.util.Map<String, List<ColumnType>> loaded;

    /** @param readableRoots the folders the project's sources and models may read, as in a run */
    ScratchOracle(java.util.List<java.nio.file.Path> readableRoots) {
        this(readableRoots, java.util.Map.of());
    }

    /**
     * @param readableRoots the folders the project's sources and models may read, as in a run
     * @param loaded the columns of tracked sources as loaded in the warehouse, by lower-case qualified name: a
     *     column their files dropped stays in the loaded table (NULL for new rows), so models may still select it
     */
    ScratchOracle(java.util.List<java.nio.file.Path> readableRoots, java.util.Map<String, List<ColumnType>> loaded) {
        this.loaded = loaded;
        // Binding reads files (a CSV header, a Parquet schema): the scratch database is confined as a run is.
        // Models are written in DuckDB's SQL, whatever engine runs them: DuckDB's own binder is the oracle.
        engine = Engines.factory(EngineTraits.DEFAULT).open(EngineOptions.inMemory(readableRoots));
        root = readableRoots.get(0);
        session = engine.session();
        // The scratch database only binds queries: optimising them or planning threads is wasted time.
        session.execute("PRAGMA disable_optimizer");
        session.execute("SET threads = 1");
    }

    @Override
    public List<FunctionInfo> functions() {
        Rows rows = session.query("SELECT DISTINCT function_name, function_type, return_type FROM duckdb_functions()");
        List<FunctionInfo> functions = new ArrayList<>(rows.size());
        for (List<Object> row : rows.values()) {
            functions.add(new FunctionInfo((String) row.get(0), (String) row.get(1), (String) row.get(2)));
        }
        return functions;
    }

    @Override
    public List<ColumnType> defineSource(Source source) {
        ensureSchema(source.schema());
        String relation = Sql.qualified(source.schema(), source.table());
        SourceConnector connector = SourceConnectors.of(source);
        try {
            connector.describe(session, source, relation, root);
        } catch (java.io.UncheckedIOException e) {
            throw new SluiceException(ErrorCode.SOURCE_INVALID, e, "Cannot read source %s (%s): %s; check its "
                    + "definition in sluice.yml", source.qualifiedName(), source.location(), e.getCause().getMessage());
        } catch (SluiceException e) {
            throw new SluiceException(ErrorCode.SOURCE_INVALID, e, "Cannot read source %s (%s): %s",
                    source.qualifiedName(), source.location(), connector.explain(source, e.getMessage(), root));
        }
        List<ColumnType> read = describe(relation);
        Set<String> names = new HashSet<>();
        read.forEach(column -> names.add(column.name().toLowerCase(Locale.ROOT)));
        for (ColumnType column : loaded.getOrDefault(source.qualifiedName().toLowerCase(Locale.ROOT), List.of())) {
            if (names.add(column.name().toLowerCase(Locale.ROOT))) {
                session.execute("ALTER TABLE " + relation + " ADD COLUMN " + Sql.identifier(column.name()) + " "
                        + column.type());
            }
        }
        return describe(relation);
    }

    @Override
    public List<ColumnType> defineModel(String schema, String name, String sql) {
        ensureSchema(schema);
        List<ColumnType> columns;
        try {
            // The newline keeps a trailing -- comment from swallowing the closing parenthesis.
            columns = describe("(\n" + sql + "\n)");
        } catch (SluiceException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        // An empty table, not a view: DuckDB binds a view by expanding every view below it, which grows
        // exponentially over a deep graph of joins.
        List<String> definitions = new ArrayList<>();
        columns.forEach(column -> definitions.add(Sql.identifier(column.name()) + " " + column.type()));
        session.execute("CREATE OR REPLACE TABLE " + Sql.qualified(schema, name) + " (" + String.join(", ", definitions)
                + ")");
        return columns;
    }

    @Override
    public Set<String> tableReferences(String sql) {
        JsonNode tree;
        try {
            tree = JSON.readTree((String) session.query("SELECT CAST(json_serialize_sql(?) AS VARCHAR)", sql).single());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("DuckDB returned an unreadable parse tree: " + e.getMessage(), e);
        }
        if (tree.path("error").asBoolean(false)) {
            throw new IllegalArgumentException(tree.path("error_message").asText("DuckDB cannot parse the SQL"));
        }
        Set<String> ctes = new HashSet<>();
        Set<String> tables = new LinkedHashSet<>();
        collect(tree, ctes, tables);
        tables.removeIf(table -> ctes.contains(table.toLowerCase(Locale.ROOT)));
        return tables;
    }

    /** Walks DuckDB's JSON parse tree: BASE_TABLE nodes are references, cte_map keys are local names. */
    private static void collect(JsonNode node, Set<String> ctes, Set<String> tables) {
        if (node.isObject()) {
            if ("BASE_TABLE".equals(node.path("type").asText())) {
                String schema = node.path("schema_name").asText("");
                String table = node.path("table_name").asText();
                tables.add(schema.isEmpty() ? table : schema + "." + table);
            }
            for (JsonNode entry : node.path("cte_map").path("map")) {
                ctes.add(entry.path("key").asText().toLowerCase(Locale.ROOT));
            }
            for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
                collect(children.next(), ctes, tables);
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                collect(child, ctes, tables);
            }
        }
    }

    private List<ColumnType> describe(String relation) {
        Rows rows = session.query("DESCRIBE " + relation);
        List<ColumnType> columns = new ArrayList<>(rows.size());
        for (List<Object> row : rows.values()) {
            columns.add(new ColumnType((String) row.get(0), (String) row.get(1)));
        }
        return columns;
    }

    /** Whether the scratch database has this table (a source that cannot be read now has none). */
    boolean hasTable(String schema, String name) {
        return ((Number) session.query("SELECT count(*) FROM duckdb_tables() WHERE lower(schema_name) = lower(?) "
                + "AND lower(table_name) = lower(?)", schema, name).single()).longValue() > 0;
    }

    /** Binds a query over the scratch tables without reading a row; throws DuckDB's error when it does not bind. */
    void bind(String sql) {
        session.query("SELECT * FROM (\n" + sql + "\n) LIMIT 0");
    }

    private void ensureSchema(String schema) {
        if (schemas.add(schema.toLowerCase(Locale.ROOT))) {
            session.execute("CREATE SCHEMA IF NOT EXISTS " + Sql.identifier(schema));
        }
    }

    /** The row identity of the scratch engine's tables, for SQL bound here as it will run ({@code Dialect.rowId}). */
    String rowId() {
        return engine.dialect().rowId();
    }

    @Override
    public void close() {
        session.close();
        engine.close();
    }
}
