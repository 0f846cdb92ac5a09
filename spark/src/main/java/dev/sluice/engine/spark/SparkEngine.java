package dev.sluice.engine.spark;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.engine.Dialect;
import dev.sluice.engine.Engine;
import dev.sluice.engine.EngineOptions;
import dev.sluice.engine.Session;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.catalog.ViewCatalog;
import org.apache.iceberg.spark.SparkCatalog;
import org.apache.spark.sql.classic.SparkSession;

/**
 * Spark SQL over one warehouse: a folder holding Iceberg tables and views, whose Iceberg catalog is Iceberg's JDBC
 * catalog in the folder's {@code catalog.sqlite} (tables and views, each commit one pointer swap). Each session is a
 * Spark session of its own (its own session variables and temporary views) over the process's one Spark application
 * ({@link SparkRuntime}), with the warehouse's catalog as its default catalog.
 */
final class SparkEngine implements Engine {
    /** The name of the warehouse's Iceberg catalog in the Spark sessions, and their default catalog. */
    static final String CATALOG = "sluice";
    /** The Iceberg catalog's database, in the warehouse folder. */
    static final String CATALOG_FILE = "catalog.sqlite";

    private final SparkSession root;
    private final Map<String, String> conf;
    private final Path warehouse;
    private final boolean temporary;
    private final Catalog catalog;
    /** Held from a session's begin to its commit or rollback: one transaction at a time (see SparkSqlSession). */
    private final java.util.concurrent.locks.ReentrantLock transactions = new java.util.concurrent.locks.ReentrantLock();

    private SparkEngine(SparkSession root, Map<String, String> conf, Path warehouse, boolean temporary) {
        this.root = root;
        this.conf = conf;
        this.warehouse = warehouse;
        this.temporary = temporary;
        this.catalog = icebergCatalog(root, conf);
    }

    /**
     * The warehouse's Iceberg catalog for Sluice's own use (relations, columns, transactions): the same JDBC catalog
     * the Spark sessions open, read through Iceberg's API.
     */
    private static Catalog icebergCatalog(SparkSession root, Map<String, String> conf) {
        String prefix = "spark.sql.catalog." + CATALOG + ".";
        Map<String, String> properties = new LinkedHashMap<>();
        conf.forEach((key, value) -> {
            if (key.startsWith(prefix)) {
                properties.put(key.substring(prefix.length()), value);
            }
        });
        return org.apache.iceberg.CatalogUtil.buildIcebergCatalog(CATALOG, properties,
                root.sparkContext().hadoopConfiguration());
    }

    java.util.concurrent.locks.ReentrantLock transactions() {
        return transactions;
    }

    /** The warehouse's Iceberg catalog. */
    Catalog catalog() {
        return catalog;
    }

    static SparkEngine open(EngineOptions options, SparkSettings settings) {
        Path warehouse;
        boolean temporary = options.access() == EngineOptions.Access.IN_MEMORY;
        try {
            if (temporary) {
                warehouse = Files.createTempDirectory("sluice-spark-");
            } else {
                warehouse = options.warehouse().toAbsolutePath().normalize();
                if (options.access() == EngineOptions.Access.READ_WRITE) {
                    Files.createDirectories(warehouse);
                } else if (!Files.exists(warehouse.resolve(CATALOG_FILE))) {
                    throw new SluiceException(ErrorCode.USAGE, "Cannot read the Spark warehouse %s: it does not exist "
                            + "(no %s in it); run the pipeline first (sluice run)", warehouse, CATALOG_FILE);
                }
            }
        } catch (IOException e) {
            throw new SluiceException(ErrorCode.RUN_FAILED, e, "Cannot open the Spark warehouse %s: %s; check that its "
                    + "folder can be written", options.warehouse(), e.getMessage());
        }
        SparkSession root = SparkRuntime.root(settings);
        if (!options.readableRoots().isEmpty()) {
            workIn(root, options.readableRoots().get(0));
        }
        return new SparkEngine(root, sessionConf(warehouse), warehouse, temporary);
    }

    /**
     * Relative paths (project files named by {@link SparkDialect#projectFile}) resolve against the project folder:
     * the local file system's working folder, shared by the process.
     */
    private static void workIn(SparkSession root, Path projectRoot) {
        try {
            FileSystem.getLocal(root.sparkContext().hadoopConfiguration()).setWorkingDirectory(
                    new org.apache.hadoop.fs.Path(projectRoot.toAbsolutePath().normalize().toUri()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> sessionConf(Path warehouse) {
        Map<String, String> conf = new LinkedHashMap<>();
        String prefix = "spark.sql.catalog." + CATALOG;
        conf.put(prefix, SparkCatalog.class.getName());
        conf.put(prefix + ".type", "jdbc");
        conf.put(prefix + ".uri", "jdbc:sqlite:" + warehouse.resolve(CATALOG_FILE));
        conf.put(prefix + ".jdbc.schema-version", "V1");
        conf.put(prefix + ".warehouse", warehouse.toUri().toString());
        conf.put(prefix + ".table-default.format-version", "3");
        // every session sees the others' commits at once (a cached table would read its old snapshot)
        conf.put(prefix + ".cache-enabled", "false");
        conf.put("spark.sql.defaultCatalog", CATALOG);
        // Sluice quotes identifiers with double quotes, reads TIMESTAMP without a time zone and hands out java.time
        conf.put("spark.sql.ansi.doubleQuotedIdentifiers", "true");
        conf.put("spark.sql.timestampType", "TIMESTAMP_NTZ");
        conf.put("spark.sql.datetime.java8API.enabled", "true");
        conf.put("spark.sql.session.timeZone", "UTC");
        return Map.copyOf(conf);
    }

    /** A new Spark session over this warehouse. */
    SparkSession newSparkSession() {
        SparkSession session = root.newSession();
        conf.forEach((key, value) -> session.conf().set(key, value));
        return session;
    }

    Path warehouse() {
        return warehouse;
    }

    @Override
    public Session session() {
        return new SparkSqlSession(this, newSparkSession());
    }

    @Override
    public Dialect dialect() {
        return SparkDialect.INSTANCE;
    }

    @Override
    public String version() {
        return "Spark " + root.version() + " (Iceberg " + org.apache.iceberg.IcebergBuild.version() + ", master "
                + root.sparkContext().master() + ")";
    }

    @Override
    public List<Column> columns(String schema, String name) {
        TableIdentifier identifier = TableIdentifier.of(schema, name);
        org.apache.iceberg.Schema columns = switch (relationKind(schema, name)) {
            case TABLE -> catalog.loadTable(identifier).schema();
            case VIEW -> ((ViewCatalog) catalog).loadView(identifier).schema();
            case NONE -> null;
        };
        if (columns == null) {
            return List.of();
        }
        List<Column> result = new ArrayList<>();
        for (org.apache.iceberg.types.Types.NestedField field : columns.columns()) {
            result.add(new Column(field.name(), SparkTypes.sluiceName(field.type())));
        }
        return result;
    }

    @Override
    public RelationKind relationKind(String schema, String name) {
        TableIdentifier identifier = TableIdentifier.of(schema, name);
        if (catalog instanceof ViewCatalog views && views.viewExists(identifier)) {
            return RelationKind.VIEW;
        }
        return catalog.tableExists(identifier) ? RelationKind.TABLE : RelationKind.NONE;
    }

    @Override
    public void close() {
        if (catalog instanceof java.io.Closeable closeable) {
            try {
                closeable.close();
            } catch (IOException e) {
                // the catalog's connections: nothing was pending on them
            }
        }
        if (temporary) {
            try (Stream<Path> walk = Files.walk(warehouse)) {
                for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            } catch (IOException e) {
                // a scratch folder under the temporary folder: what is left is the system's to clean
            }
        }
    }
}
