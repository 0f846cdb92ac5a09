package dev.sluice.exec;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.connect.SourceConnector;
import dev.sluice.connect.SourceConnectors;
import dev.sluice.engine.Engines;
import dev.sluice.engine.ModelOracle;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.plan.ColumnType;
import dev.sluice.plan.FunctionInfo;
import dev.sluice.plan.SchemaOracle;
import dev.sluice.plan.SchemaOracle.Defined;
import dev.sluice.plan.SchemaOracle.ModelSql;
import dev.sluice.project.EngineTraits;
import dev.sluice.project.Source;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The planner's view of the engine: the default engine's {@link ModelOracle} (models are written in its SQL, whatever
 * engine runs them), where sources and models are empty tables of their real types, so the engine binds every model
 * exactly as it will run, without touching the warehouse. Not thread-safe; one per plan.
 */
final class ScratchOracle implements SchemaOracle, AutoCloseable {
    private final ModelOracle oracle;
    private final Session session;
    private final Set<String> schemas = new HashSet<>();
    /** The project folder. */
    private final java.nio.file.Path root;
    /** The columns of tracked sources as loaded in the warehouse, by qualified source name (lower case). */
    private final java.util.Map<String, List<ColumnType>> loaded;
    /** The files the next load of each manifest-tracked files source with loaded rows reads (detect part). */
    private final java.util.Map<String, List<String>> pending;

    /** @param readableRoots the folders the project's sources and models may read, as in a run */
    ScratchOracle(java.util.List<java.nio.file.Path> readableRoots) {
        this(readableRoots, java.util.Map.of(), java.util.Map.of());
    }

    /**
     * @param readableRoots the folders the project's sources and models may read, as in a run
     * @param loaded the columns of tracked sources as loaded in the warehouse, by lower-case qualified name: a
     *     column their files dropped stays in the loaded table (NULL for new rows), so models may still select it
     * @param pending the files the next load of a manifest-tracked files source reads, by lower-case qualified name:
     *     such a source with loaded columns binds as those widened by these files, without globbing its files
     */
    ScratchOracle(java.util.List<java.nio.file.Path> readableRoots, java.util.Map<String, List<ColumnType>> loaded,
            java.util.Map<String, List<String>> pending) {
        this(open(readableRoots), readableRoots, loaded, pending);
    }

    /** As {@link #ScratchOracle(List, java.util.Map, java.util.Map)}, on a scratch database {@link Start}ed before. */
    ScratchOracle(Start start, java.util.Map<String, List<ColumnType>> loaded,
            java.util.Map<String, List<String>> pending) {
        this(start.take(), start.readableRoots, loaded, pending);
    }

    private ScratchOracle(ModelOracle oracle, java.util.List<java.nio.file.Path> readableRoots,
            java.util.Map<String, List<ColumnType>> loaded, java.util.Map<String, List<String>> pending) {
        this.loaded = loaded;
        this.pending = pending;
        this.oracle = oracle;
        root = readableRoots.get(0);
        session = oracle.session();
    }

    private static ModelOracle open(java.util.List<java.nio.file.Path> readableRoots) {
        // Binding reads files (a CSV header, a Parquet schema): the scratch database is confined as a run is.
        return Engines.factory(EngineTraits.DEFAULT).modelOracle(readableRoots);
    }

    /**
     * A scratch database opening on another thread, while the planner reads the warehouse (its plan cache, the loaded
     * columns): the two DuckDB starts overlap, on two cores ~30 ms of a new process's plan. Closed by {@link #close}
     * unless a {@link ScratchOracle} took it.
     */
    static final class Start implements AutoCloseable {
        private final java.util.List<java.nio.file.Path> readableRoots;
        private final java.util.concurrent.CompletableFuture<ModelOracle> opening;
        private boolean taken;

        Start(java.util.List<java.nio.file.Path> readableRoots) {
            this.readableRoots = readableRoots;
            this.opening = java.util.concurrent.CompletableFuture.supplyAsync(() -> open(readableRoots));
        }

        private ModelOracle take() {
            taken = true;
            try {
                return opening.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
        }

        @Override
        public void close() {
            if (!taken) {
                taken = true;
                opening.thenAccept(ModelOracle::close);
            }
        }
    }

    @Override
    public List<FunctionInfo> functions() {
        return oracle.functions().stream()
                .map(function -> new FunctionInfo(function.name(), function.kind(), function.returnType())).toList();
    }

    @Override
    public List<ColumnType> defineSource(Source source) {
        ensureSchema(source.schema());
        String relation = Sql.qualified(source.schema(), source.table());
        SourceConnector connector = SourceConnectors.of(source);
        String key = source.qualifiedName().toLowerCase(Locale.ROOT);
        try {
            oracle.describingSource(() -> {
                if (pending.containsKey(key) && !loaded.getOrDefault(key, List.of()).isEmpty()) {
                    java.util.Map<String, String> columns = new java.util.LinkedHashMap<>();
                    loaded.get(key).forEach(column -> columns.put(column.name(), column.type()));
                    dev.sluice.connect.ManifestBinding.describe(session, source, relation, root, columns,
                            pending.get(key));
                } else {
                    connector.describe(session, source, relation, root);
                }
            });
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
        for (ColumnType column : loaded.getOrDefault(key, List.of())) {
            if (names.add(column.name().toLowerCase(Locale.ROOT))) {
                session.execute("ALTER TABLE " + relation + " ADD COLUMN " + Sql.identifier(column.name()) + " "
                        + column.type());
            }
        }
        return describe(relation);
    }

    /**
     * Models taken from the plan cache, whose empty tables are created only when a query may read them: a plan
     * whose models all come from the cache never creates them.
     */
    private final java.util.Map<String, String> declared = new java.util.LinkedHashMap<>();

    @Override
    public void declareModel(String schema, String name, List<ColumnType> columns) {
        ensureSchema(schema);
        declared.put(Sql.qualified(schema, name).toLowerCase(Locale.ROOT), createTable(schema, name, columns));
    }

    /** Creates the declared tables, in one statement, before a query that may read them. */
    private void createDeclared() {
        if (!declared.isEmpty()) {
            String statements = String.join(";\n", declared.values());
            declared.clear();
            session.execute(statements);
        }
    }

    private static String createTable(String schema, String name, List<ColumnType> columns) {
        List<String> definitions = new ArrayList<>();
        columns.forEach(column -> definitions.add(Sql.identifier(column.name()) + " " + column.type()));
        return "CREATE OR REPLACE TABLE " + Sql.qualified(schema, name) + " (" + String.join(", ", definitions) + ")";
    }

    /**
     * Binds the models in one statement (a DESCRIBE of each, in a UNION ALL) and declares their tables; when DuckDB
     * rejects any of them, each is defined on its own, so that every rejection is reported with its own message.
     */
    @Override
    public List<Defined> defineModels(List<ModelSql> models) {
        if (models.size() < 2) {
            return SchemaOracle.super.defineModels(models);
        }
        createDeclared();
        List<String> describes = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            ensureSchema(models.get(i).schema());
            describes.add("SELECT " + i + " AS model, column_name, column_type FROM (DESCRIBE (\n"
                    + models.get(i).sql() + "\n))");
        }
        dev.sluice.engine.Rows rows;
        try {
            rows = session.query(String.join("\nUNION ALL\n", describes));
        } catch (SluiceException e) {
            return SchemaOracle.super.defineModels(models);
        }
        List<List<ColumnType>> columns = new ArrayList<>();
        models.forEach(model -> columns.add(new ArrayList<>()));
        // One thread and no optimiser in the scratch database: rows come in the order the branches list them.
        for (List<Object> row : rows.values()) {
            columns.get(((Number) row.get(0)).intValue()).add(new ColumnType((String) row.get(1), (String) row.get(2)));
        }
        List<Defined> defined = new ArrayList<>();
        for (int i = 0; i < models.size(); i++) {
            declareModel(models.get(i).schema(), models.get(i).name(), columns.get(i));
            defined.add(new Defined(List.copyOf(columns.get(i)), null));
        }
        return defined;
    }

    @Override
    public List<ColumnType> defineModel(String schema, String name, String sql) {
        ensureSchema(schema);
        createDeclared();
        List<ColumnType> columns;
        try {
            // The newline keeps a trailing -- comment from swallowing the closing parenthesis.
            columns = describe("(\n" + sql + "\n)");
        } catch (SluiceException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        // An empty table, not a view: DuckDB binds a view by expanding every view below it, which grows
        // exponentially over a deep graph of joins.
        session.execute(createTable(schema, name, columns));
        return columns;
    }

    @Override
    public Set<String> tableReferences(String sql) {
        createDeclared();
        return oracle.tableReferences(sql);
    }

    private List<ColumnType> describe(String relation) {
        return oracle.describe(relation).stream().map(column -> new ColumnType(column.name(), column.type())).toList();
    }

    /** Whether the scratch database has this table (a source that cannot be read now has none). */
    boolean hasTable(String schema, String name) {
        // a declared table exists as far as any query can tell; asking for another one creates none of them
        return declared.containsKey(Sql.qualified(schema, name).toLowerCase(Locale.ROOT))
                || oracle.hasTable(schema, name);
    }

    /** Binds a query over the scratch tables without reading a row; throws the engine's error when it does not bind. */
    void bind(String sql) {
        createDeclared();
        session.query("SELECT * FROM (\n" + sql + "\n) LIMIT 0");
    }

    private void ensureSchema(String schema) {
        if (schemas.add(schema.toLowerCase(Locale.ROOT))) {
            session.execute("CREATE SCHEMA IF NOT EXISTS " + Sql.identifier(schema));
        }
    }

    /** The scratch engine's SQL (its row identity, literals), for SQL bound here as it will run. */
    dev.sluice.engine.Dialect dialect() {
        return session.dialect();
    }

    @Override
    public void close() {
        oracle.close();
    }
}
