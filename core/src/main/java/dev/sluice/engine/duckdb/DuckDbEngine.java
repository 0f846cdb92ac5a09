package dev.sluice.engine.duckdb;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.StartupPhases;
import dev.sluice.engine.Dialect;
import dev.sluice.engine.Engine;
import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBDriver;

/** The DuckDB engine: one database instance per warehouse file, one duplicated connection per session. */
public final class DuckDbEngine implements Engine {
    private static final Pattern LOCK_HOLDER = Pattern.compile("Conflicting lock is held in (.*?) \\(PID (\\d+)\\)");

    private final DuckDBConnection root;
    private final String version;
    /** Set once by {@link #confine}, before the engine is handed out; null for an unconfined engine. */
    private Path projectRoot;

    private static final DuckDBDriver DRIVER = new DuckDBDriver();

    /**
     * Held while a shared instance's settings are checked and changed: engines of one file in this JVM share one
     * DuckDB instance, and two readers opening it at once would both see it unconfigured and the second's change fail
     * (the settings cannot change once locked or confined).
     */
    private static final Object CONFIGURING = new Object();

    private DuckDbEngine(DuckDBConnection root) {
        this.root = root;
        try (Session session = session()) {
            this.version = "DuckDB " + session.query("SELECT version()").single();
        }
    }

    /**
     * Opens (creating when absent) the warehouse file for reading and writing, with no file confinement: for tests
     * and tools that run only their own SQL. Runs of a project use {@link #open(Path, int, String, List)}.
     */
    public static DuckDbEngine open(Path warehouse, int threads, String memoryLimit) {
        return open(warehouse, threads, memoryLimit, false);
    }

    /**
     * Opens (creating when absent) the warehouse file for reading and writing, confined: SQL run on it reads and
     * writes files only inside {@code readableRoots} (the project folder first, then its allowed_paths) and DuckDB's
     * own spill folder, and cannot attach other files, install or load extensions. Relative file names in SQL (the
     * lake views) are found in the project folder.
     */
    public static DuckDbEngine open(Path warehouse, int threads, String memoryLimit, List<Path> readableRoots) {
        return confine(open(warehouse, threads, memoryLimit, false), readableRoots);
    }

    /** Opens an existing warehouse file read-only, with no file confinement (see {@link #open(Path, int, String)}). */
    public static DuckDbEngine openReadOnly(Path warehouse) {
        return open(warehouse, 0, null, true);
    }

    /** Opens an existing warehouse file read-only, confined to {@code readableRoots} as a run is. */
    public static DuckDbEngine openReadOnly(Path warehouse, List<Path> readableRoots) {
        return confine(open(warehouse, 0, null, true), readableRoots);
    }

    /**
     * Opens an existing warehouse file read-only for a user's queries ({@link ReadStatement}): confined to
     * {@code readableRoots}, and with DuckDB's configuration locked, so no statement can change a setting.
     */
    public static DuckDbEngine openForQueries(Path warehouse, List<Path> readableRoots) {
        DuckDbEngine engine = openReadOnly(warehouse, readableRoots);
        try {
            // Another query in this JVM may share the instance and have locked it already; locking again would fail.
            synchronized (CONFIGURING) {
                if (!Boolean.TRUE.equals(engine.setting("lock_configuration"))) {
                    engine.configure("SET lock_configuration = true");
                }
            }
            return engine;
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    /** A private in-memory database with no file confinement, for scratch work over SQL Sluice writes itself. */
    public static DuckDbEngine inMemory() {
        return connect("jdbc:duckdb:", new Properties(), null);
    }

    /** A private in-memory database confined to {@code readableRoots}, for scratch work over a project's SQL. */
    public static DuckDbEngine inMemory(List<Path> readableRoots) {
        return confine(inMemory(), readableRoots);
    }

    private static DuckDbEngine open(Path warehouse, int threads, String memoryLimit, boolean readOnly) {
        try {
            Files.createDirectories(warehouse.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new SluiceException(ErrorCode.PROJECT_INVALID, e,
                    "Cannot create the warehouse folder %s: %s; check the path and permissions",
                    warehouse.getParent(), e.getMessage());
        }
        Properties properties = new Properties();
        if (readOnly) {
            properties.setProperty("duckdb.read_only", "true");
        }
        if (threads > 0) {
            properties.setProperty("threads", Integer.toString(threads));
        }
        if (memoryLimit != null) {
            properties.setProperty("memory_limit", memoryLimit);
        }
        // Only the built-in extensions work offline; fail at once instead of hanging on a download.
        properties.setProperty("autoinstall_known_extensions", "false");
        DuckDbEngine engine = connect("jdbc:duckdb:" + warehouse.toAbsolutePath(), properties, warehouse);
        if (!readOnly) {
            try {
                engine.keepFreedBlocks(memoryLimit);
            } catch (RuntimeException e) {
                engine.close();
                throw e;
            }
        }
        return engine;
    }

    /**
     * The statement that lets DuckDB's block allocator keep a writing warehouse's freed buffer blocks, up to the
     * memory limit itself. Without it (DuckDB's default, 0) every 256 KiB block a build frees goes back to the system
     * and its next allocation faults each page in again; the allocator instead keeps freed blocks mapped (released
     * with MADV_FREE, so the kernel may still take them under pressure) and hands them out again. On the shop
     * pipeline at 2.6 GB this cut the process's page faults from ~550,000 to ~400,000 and its time by 5-10%, with the
     * same peak RSS (bench/SHOP.md, round 11). Only the address space is reserved up front; a percentage is of the
     * memory limit. Public for the benchmarks, which can configure raw DuckDB alike.
     */
    public static String keepFreedBlocksStatement(String memoryLimit) {
        return "SET block_allocator_memory = " + Sql.string(memoryLimit != null ? memoryLimit : "100%");
    }

    /**
     * Runs {@link #keepFreedBlocksStatement}: a SET, because DuckDB 2.0.0 aborts the process when the setting is a
     * connection property. A second open of the file in this JVM shares the instance and, having the same connection
     * properties (DuckDB refuses others), sets the same value again: the allocator, which cannot shrink, never has to.
     * DuckDB accepts a memory limit above the machine's virtual memory but refuses a block allocator that large: the
     * warehouse then opens with DuckDB's default (freed blocks returned), rather than not at all over a tuning.
     */
    private void keepFreedBlocks(String memoryLimit) {
        try {
            configure(keepFreedBlocksStatement(memoryLimit));
        } catch (SluiceException e) {
            if (!String.valueOf(e.getMessage()).contains("greater than the virtual memory size")) {
                throw e;
            }
        }
    }

    private static DuckDbEngine connect(String url, Properties properties, Path warehouse) {
        StartupPhases.mark("command");
        NativeLibrary.load();
        StartupPhases.mark("duckdb-load");
        try {
            // The driver itself, not DriverManager: that would load and start every JDBC driver of the class path
            // first (Calcite's among them, thousands of classes) on each process's first connection.
            DuckDbEngine engine = new DuckDbEngine((DuckDBConnection) DRIVER.connect(url, properties));
            StartupPhases.mark("duckdb-open");
            return engine;
        } catch (SQLException e) {
            Matcher holder = LOCK_HOLDER.matcher(String.valueOf(e.getMessage()));
            if (holder.find()) {
                throw new SluiceException(ErrorCode.WAREHOUSE_LOCKED, e,
                        "Cannot open warehouse %s: it is in use by process %s (%s); wait for it to finish or stop it",
                        warehouse, holder.group(2), holder.group(1));
            }
            if (warehouse != null && String.valueOf(e.getMessage()).contains("with a different configuration")) {
                // This process has the file open in the other mode: a run writes it while a reader opens it.
                throw new SluiceException(ErrorCode.WAREHOUSE_LOCKED, e, "Cannot open warehouse %s: this process "
                        + "has it open for writing (a run); wait for it to finish", warehouse);
            }
            if (warehouse != null && DamagedWarehouse.is(e)) {
                throw DamagedWarehouse.error("open warehouse " + warehouse, e);
            }
            throw new SluiceException(ErrorCode.PROJECT_INVALID, e, "Cannot open warehouse %s: %s",
                    warehouse == null ? "(in memory)" : warehouse, DuckDbSession.cleanMessage(e));
        }
    }

    /**
     * Restricts the database to the given folders: DuckDB then refuses every other file (by its real path, so a
     * symbolic link pointing out is refused too), ATTACH of other files, INSTALL and LOAD, and refuses to lift the
     * restriction while the database is open. Its own spill folder stays usable. A database instance this JVM
     * already confined (DuckDB shares one instance per file) is left as it is: it cannot be changed any more.
     */
    private static DuckDbEngine confine(DuckDbEngine engine, List<Path> readableRoots) {
        try {
            synchronized (CONFIGURING) {
                if (Boolean.FALSE.equals(engine.setting("enable_external_access"))) {
                    engine.projectRoot = readableRoots.get(0).toAbsolutePath().normalize();
                    return engine;
                }
                List<String> folders = readableRoots.stream()
                        .map(root -> Sql.string(root.toAbsolutePath().normalize().toString())).toList();
                engine.configure("SET allowed_directories = [" + String.join(", ", folders) + "]");
                engine.configure("SET enable_external_access = false");
            }
            engine.projectRoot = readableRoots.get(0).toAbsolutePath().normalize();
            return engine;
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
    }

    private Object setting(String name) {
        try (Session session = session()) {
            return session.query("SELECT current_setting(?)", name).single();
        }
    }

    private void configure(String statement) {
        try (Session session = session()) {
            session.execute(statement);
        }
    }

    @Override
    public Session session() {
        try {
            DuckDbSession session = new DuckDbSession(root.duplicate());
            if (projectRoot != null) {
                // A literal: bound as a parameter the statement takes about twice as long, on every session
                session.execute(DuckDbDialect.INSTANCE.setVariable(DuckDbDialect.PROJECT_ROOT,
                        Sql.string(projectRoot.toString())));
            }
            return session;
        } catch (SQLException e) {
            throw new SluiceException(ErrorCode.INTERNAL, e, "Cannot open a DuckDB connection: %s", e.getMessage());
        }
    }

    @Override
    public Dialect dialect() {
        return DuckDbDialect.INSTANCE;
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public List<Column> columns(String schema, String name) {
        try (Session session = session()) {
            return columns(session, schema, name);
        }
    }

    @Override
    public List<Column> columns(Session session, String schema, String name) {
        Rows rows = session.query("SELECT column_name, data_type FROM duckdb_columns() "
                + "WHERE database_name = current_database() AND schema_name = ? AND table_name = ? "
                + "ORDER BY column_index", schema, name);
        List<Column> columns = new ArrayList<>();
        for (List<Object> row : rows.values()) {
            columns.add(new Column((String) row.get(0), (String) row.get(1)));
        }
        return columns;
    }

    @Override
    public RelationKind relationKind(String schema, String name) {
        try (Session session = session()) {
            return relationKind(session, schema, name);
        }
    }

    @Override
    public RelationKind relationKind(Session session, String schema, String name) {
        // DuckDB's own catalog functions, with the names as literals: half the cost of information_schema.tables
        // with parameters, once per windowed build (bench/WINDOWS.md)
        String where = " WHERE database_name = current_database() AND schema_name = " + Sql.string(schema) + " AND ";
        Object type = session.query("SELECT 'TABLE' FROM duckdb_tables()" + where + "table_name = " + Sql.string(name)
                + " UNION ALL SELECT 'VIEW' FROM duckdb_views()" + where + "view_name = " + Sql.string(name)).single();
        if (type == null) {
            return RelationKind.NONE;
        }
        return "VIEW".equals(type) ? RelationKind.VIEW : RelationKind.TABLE;
    }

    /** What {@code duckdb_memory()} says every component of this database instance holds. */
    @Override
    public long memoryBytes() {
        try (Session session = session()) {
            Object bytes = session.query("SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory()").single();
            return ((Number) bytes).longValue();
        }
    }

    /**
     * One: DuckDB runs each statement on all of its threads (one per core by default), so a second build at once only
     * competes for them and holds its own hash tables and buffers beside the first's (bench/SHOP.md, round 7).
     */
    @Override
    public int buildsAtOnce() {
        return 1;
    }

    @Override
    public void close() {
        try {
            root.close();
        } catch (SQLException e) {
            throw new SluiceException(ErrorCode.INTERNAL, e, "Cannot close the warehouse: %s", e.getMessage());
        }
    }
}
