package dev.sluice.engine;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.duckdb.DuckDBConnection;

/** The DuckDB engine: one database instance per warehouse file, one duplicated connection per session. */
public final class DuckDbEngine implements Engine {
    private static final Pattern LOCK_HOLDER = Pattern.compile("Conflicting lock is held in (.*?) \\(PID (\\d+)\\)");

    private final DuckDBConnection root;
    private final String version;

    private DuckDbEngine(DuckDBConnection root) {
        this.root = root;
        try (Session session = session()) {
            this.version = "DuckDB " + session.query("SELECT version()").single();
        }
    }

    /** Opens (creating when absent) the warehouse file for reading and writing. */
    public static DuckDbEngine open(Path warehouse, int threads, String memoryLimit) {
        return open(warehouse, threads, memoryLimit, false);
    }

    /** Opens an existing warehouse file read-only, for queries alongside nothing else writing. */
    public static DuckDbEngine openReadOnly(Path warehouse) {
        return open(warehouse, 0, null, true);
    }

    /** A private in-memory database, for scratch work such as planning. */
    public static DuckDbEngine inMemory() {
        return connect("jdbc:duckdb:", new Properties(), null);
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
        return connect("jdbc:duckdb:" + warehouse.toAbsolutePath(), properties, warehouse);
    }

    private static DuckDbEngine connect(String url, Properties properties, Path warehouse) {
        try {
            return new DuckDbEngine((DuckDBConnection) DriverManager.getConnection(url, properties));
        } catch (SQLException e) {
            Matcher holder = LOCK_HOLDER.matcher(String.valueOf(e.getMessage()));
            if (holder.find()) {
                throw new SluiceException(ErrorCode.WAREHOUSE_LOCKED, e,
                        "Cannot open warehouse %s: it is in use by process %s (%s); wait for it to finish or stop it",
                        warehouse, holder.group(2), holder.group(1));
            }
            if (warehouse != null && DamagedWarehouse.is(e)) {
                throw DamagedWarehouse.error("open warehouse " + warehouse, e);
            }
            throw new SluiceException(ErrorCode.PROJECT_INVALID, e, "Cannot open warehouse %s: %s",
                    warehouse == null ? "(in memory)" : warehouse, DuckDbSession.cleanMessage(e));
        }
    }

    @Override
    public Session session() {
        try {
            return new DuckDbSession(root.duplicate());
        } catch (SQLException e) {
            throw new SluiceException(ErrorCode.INTERNAL, e, "Cannot open a DuckDB connection: %s", e.getMessage());
        }
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public List<Column> columns(String schema, String name) {
        try (Session session = session()) {
            Rows rows = session.query("SELECT column_name, data_type FROM duckdb_columns() "
                    + "WHERE database_name = current_database() AND schema_name = ? AND table_name = ? "
                    + "ORDER BY column_index", schema, name);
            List<Column> columns = new ArrayList<>();
            for (List<Object> row : rows.values()) {
                columns.add(new Column((String) row.get(0), (String) row.get(1)));
            }
            return columns;
        }
    }

    @Override
    public RelationKind relationKind(String schema, String name) {
        try (Session session = session()) {
            Object type = session.query("SELECT table_type FROM information_schema.tables "
                    + "WHERE table_catalog = current_database() AND table_schema = ? AND table_name = ?",
                    schema, name).single();
            if (type == null) {
                return RelationKind.NONE;
            }
            return "VIEW".equals(type) ? RelationKind.VIEW : RelationKind.TABLE;
        }
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
