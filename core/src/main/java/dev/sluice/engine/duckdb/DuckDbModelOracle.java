package dev.sluice.engine.duckdb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.engine.Engine;
import dev.sluice.engine.ModelOracle;
import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** DuckDB's binder as the planner's oracle: an in-memory DuckDB confined to the project's folders. */
final class DuckDbModelOracle implements ModelOracle {
    /** Made on first use: only models read with {@code parser: duckdb} need it, and a mapper's start costs ~7 ms. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private final Engine engine;
    private final Session session;

    /** @param engine an in-memory engine, confined as a run is (binding reads a CSV header, a Parquet schema) */
    DuckDbModelOracle(Engine engine) {
        this.engine = engine;
        session = engine.session();
        // The scratch database only binds queries: optimising them or planning threads is wasted time.
        session.execute("PRAGMA disable_optimizer");
        session.execute("SET threads = 1");
    }

    @Override
    public Session session() {
        return session;
    }

    @Override
    public void describingSource(Runnable description) {
        // With the optimiser, DuckDB answers a LIMIT 0 without starting the scan: 0.1-0.6 s instead of 0.2-4.6 s
        // for 1 GB of CSV in two files (bench/SCALE.md).
        session.execute("PRAGMA enable_optimizer");
        try {
            description.run();
        } finally {
            session.execute("PRAGMA disable_optimizer");
        }
    }

    @Override
    public List<Function> functions() {
        Rows rows = session.query("SELECT DISTINCT function_name, function_type, return_type FROM duckdb_functions()");
        List<Function> functions = new ArrayList<>(rows.size());
        for (List<Object> row : rows.values()) {
            functions.add(new Function((String) row.get(0), (String) row.get(1), (String) row.get(2)));
        }
        return functions;
    }

    @Override
    public Set<String> tableReferences(String sql) {
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree((String) session.query("SELECT CAST(json_serialize_sql(?) AS VARCHAR)", sql).single());
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

    @Override
    public List<Engine.Column> describe(String relation) {
        Rows rows = session.query("DESCRIBE " + relation);
        List<Engine.Column> columns = new ArrayList<>(rows.size());
        for (List<Object> row : rows.values()) {
            columns.add(new Engine.Column((String) row.get(0), (String) row.get(1)));
        }
        return columns;
    }

    @Override
    public boolean hasTable(String schema, String name) {
        return ((Number) session.query("SELECT count(*) FROM duckdb_tables() WHERE lower(schema_name) = lower(?) "
                + "AND lower(table_name) = lower(?)", schema, name).single()).longValue() > 0;
    }

    @Override
    public void close() {
        session.close();
        engine.close();
    }
}
