package dev.sluice;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the package rules of STYLE.md and ARCHITECTURE.md ("Engines") on the compiled main classes: which packages
 * may see Calcite, JDBC and DuckDB, who uses whom, and that DuckDB's own SQL stays inside its engine.
 */
class ArchitectureTest {
    private static final Path CLASSES = Path.of("target/classes");
    /** The main classes; what they refer to outside is known by name only (see archunit.properties). */
    private static final JavaClasses MAIN = new ClassFileImporter().importPath(CLASSES);

    /**
     * Text only DuckDB understands, as the SQL Sluice writes spells it (keywords upper case, functions lower case):
     * a string constant holding one is SQL that another engine could not run.
     */
    private static final Pattern DUCKDB_ONLY = Pattern.compile("PARTITION_BY|BY NAME|\\browid\\b|SET VARIABLE"
            + "|getvariable|json_serialize_sql|pragma_storage_info|read_parquet|read_csv|read_json|COPY \\("
            + "|COPY \\S+ (FROM|TO)|COLUMNS\\(lambda|parquet_metadata|store_rejects|duckdb_functions|duckdb_tables"
            + "|duckdb_columns|duckdb_databases"
            // the quality gate's and the time windows' constructs (issue 17: through Dialect's gate and window hooks)
            + "|regexp_full_match|\\bGLOB\\b|string_agg\\(|quantile_cont|epoch_us|epoch\\(|SET TimeZone"
            + "|datediff\\('month'");

    /**
     * Classes that still write DuckDB's SQL themselves, each until the change named. Shrink this list; never grow it
     * without a reason as good as these.
     */
    private static final List<String> DUCKDB_SQL_ALLOWED = List.of(
            // The DuckDB engine: the one place DuckDB's SQL belongs.
            "dev/sluice/engine/duckdb/",
            // The catalog's stores on DuckDB tables in the warehouse: the DuckDB implementations of its interfaces.
            "dev/sluice/catalog/DuckDb",
            // Recognising a damaged or foreign catalog, and whether an older one has a table, reads DuckDB's own
            // table list and database path in a warehouse catalog (information_schema in a PostgreSQL one, beside it).
            "dev/sluice/catalog/CatalogState", "dev/sluice/catalog/CatalogRows",
            // Models are written in DuckDB's SQL whatever engine runs them (ModelOracle): the planner finds the
            // session variables a model reads (its window bounds) as the model's text spells them, getvariable('x').
            "dev/sluice/plan/SqlText",
            // Not DuckDB's SQL: PostgreSQL's COPY (SELECT ...) TO STDOUT (FORMAT binary), sent to a jdbc source's
            // database and decoded into the bulk loader (issue 14).
            "dev/sluice/connect/jdbc/JdbcBinaryCopy");

    /** SQL that reads or writes a table of the catalog (schema {@code sluice}). */
    private static final Pattern CATALOG_SQL = Pattern.compile("(FROM|JOIN|INTO|UPDATE|TABLE) sluice\\.");

    /** Classes outside package catalog that still name a catalog table in SQL, each with its reason. */
    private static final List<String> CATALOG_SQL_ALLOWED = List.of(
            // The catalog and its stores.
            "dev/sluice/catalog/",
            // Interval SQL leaves out late rows already reassigned by joining sluice.late_rows to the source's rows
            // in one statement; it moves behind WindowStore when a catalog may live apart from the warehouse.
            "dev/sluice/exec/WindowSql",
            // Messages that show the user a query to run (sluice.rejects, sluice.runs), not SQL Sluice runs.
            "dev/sluice/connect/FullLoader", "dev/sluice/engine/duckdb/ReadStatement");

    @Test
    void calciteStaysInsidePlanAndLineage() {
        noClasses().that().resideOutsideOfPackages("dev.sluice.plan..", "dev.sluice.lineage..")
                .should().dependOnClassesThat().resideInAPackage("org.apache.calcite..")
                .check(MAIN);
    }

    @Test
    void duckDbStaysInsideItsEngine() {
        noClasses().that().resideOutsideOfPackage("dev.sluice.engine.duckdb..")
                .should().dependOnClassesThat().resideInAPackage("org.duckdb..")
                .check(MAIN);
        noClasses().that().resideOutsideOfPackage("dev.sluice.engine.duckdb..")
                .should().dependOnClassesThat().resideInAPackage("dev.sluice.engine.duckdb..")
                .check(MAIN);
    }

    /**
     * JDBC is an engine's business, the JDBC connector's (which reads other databases through their drivers) and
     * the sink's (which writes a PostgreSQL target, never the engine's warehouse, through its driver and COPY): no
     * other package sees java.sql. The driver (package jdbc) is JDBC's interfaces over the public API: it implements
     * java.sql and reaches the warehouse only through {@link Sluice}. A catalog kept in PostgreSQL (issue 17) is
     * reached through its driver by the two classes that implement the engine SPI for the catalog's stores.
     */
    @Test
    void jdbcStaysInsideTheEngines() {
        noClasses().that().resideOutsideOfPackages("dev.sluice.engine..", "dev.sluice.connect.jdbc..",
                "dev.sluice.sink..", "dev.sluice.jdbc..")
                .and().haveNameNotMatching("dev\\.sluice\\.catalog\\.PostgresCatalog(Engine|Session).*")
                .should().dependOnClassesThat().resideInAPackage("java.sql..")
                .check(MAIN);
    }

    /**
     * The launcher uses the API (the top-level package, with its own immutable values) and nothing else of Sluice,
     * besides the metrics package, which is public API for embedders too ({@code --metrics-file}), and the server's
     * public face (package serve: {@code sluice serve} starts it, and the read commands find it through
     * ServerAddress), a second entry point of the same kind.
     */
    @Test
    void theLauncherUsesOnlyTheApi() {
        noClasses().that().resideInAPackage("dev.sluice.cli..")
                .should().dependOnClassesThat(resideInAPackage("dev.sluice..")
                        .and(not(resideInAnyPackage("dev.sluice", "dev.sluice.cli..", "dev.sluice.metrics",
                                "dev.sluice.serve"))))
                .check(MAIN);
    }

    /**
     * The JDBC driver is a shell over the API, as the launcher is: the top-level package, plus
     * {@code serve.ServerAddress}, by which it finds a {@code sluice serve} holding the warehouse (it then talks to
     * the server through Arrow's Flight SQL client, never through the server's classes).
     */
    @Test
    void theDriverUsesOnlyTheApi() {
        noClasses().that().resideInAPackage("dev.sluice.jdbc..")
                .should().dependOnClassesThat(resideInAPackage("dev.sluice..")
                        .and(not(resideInAnyPackage("dev.sluice", "dev.sluice.jdbc..")))
                        .and(not(belongToAnyOf(dev.sluice.serve.ServerAddress.class))))
                .check(MAIN);
    }

    /**
     * {@code sluice query} prints results of any size in constant memory: it reads through {@link Sluice#stream},
     * never {@link Sluice#query}, which holds a whole result for the API's callers.
     */
    @Test
    void theLauncherStreamsQueryResults() {
        noClasses().that().resideInAPackage("dev.sluice.cli..")
                .should().callMethod(Sluice.class, "query", String.class)
                .check(MAIN);
    }

    /**
     * Reading and planning a project needs no engine: an engine is known to them only by its name and how its SQL
     * reads a session variable ({@link dev.sluice.project.EngineTraits}). {@code engine.Sql} (quoting of standard
     * SQL identifiers and literals, no engine in it) is shared.
     */
    @Test
    void projectAndPlanDependOnNoEngine() {
        noClasses().that().resideInAnyPackage("dev.sluice.project..", "dev.sluice.plan..")
                .should().dependOnClassesThat(resideInAPackage("dev.sluice.engine..")
                        .and(not(belongToAnyOf(dev.sluice.engine.Sql.class))))
                .check(MAIN);
    }

    @Test
    void theProjectPackageDependsOnNothingElseOfSluice() {
        noClasses().that().resideInAPackage("dev.sluice.project..")
                .should().dependOnClassesThat(resideInAPackage("dev.sluice..")
                        .and(not(resideInAPackage("dev.sluice.project..")))
                        .and(not(belongToAnyOf(ErrorCode.class, SluiceException.class))))
                .check(MAIN);
    }

    @Test
    void theWindowPackageIsPureArithmeticOverProjectValues() {
        noClasses().that().resideInAPackage("dev.sluice.window..")
                .should().dependOnClassesThat(resideInAPackage("dev.sluice..")
                        .and(not(resideInAPackage("dev.sluice.window..")))
                        .and(not(belongToAnyOf(dev.sluice.project.TimeSpan.class, dev.sluice.project.TimeWindow.class))))
                .check(MAIN);
    }

    /**
     * No string constant of a compiled class outside the DuckDB engine (and {@link #DUCKDB_SQL_ALLOWED}) holds
     * DuckDB-only SQL: code says what it needs through the engine's {@link dev.sluice.engine.Dialect}.
     */
    @Test
    void duckDbOnlySqlStaysInsideItsEngine() throws IOException {
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(CLASSES.resolve("dev/sluice"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                String name = CLASSES.relativize(file).toString().replace(java.io.File.separatorChar, '/');
                if (DUCKDB_SQL_ALLOWED.stream().anyMatch(name::startsWith)) {
                    continue;
                }
                for (String constant : stringConstants(file)) {
                    if (DUCKDB_ONLY.matcher(constant).find()) {
                        offenders.add(name + ": " + constant);
                    }
                }
            }
        }
        assertThat(offenders).isEmpty();
    }

    /**
     * No class outside package catalog (and {@link #CATALOG_SQL_ALLOWED}) runs SQL on the catalog's tables: callers
     * go through the stores ({@code catalog.runs()}, {@code catalog.state()}, ...), which another catalog implements.
     */
    @Test
    void catalogTablesAreUsedOnlyThroughTheStores() throws IOException {
        List<String> offenders = new ArrayList<>();
        try (Stream<Path> files = Files.walk(CLASSES.resolve("dev/sluice"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".class")).sorted().toList()) {
                String name = CLASSES.relativize(file).toString().replace(java.io.File.separatorChar, '/');
                if (CATALOG_SQL_ALLOWED.stream().anyMatch(name::startsWith)) {
                    continue;
                }
                for (String constant : stringConstants(file)) {
                    if (CATALOG_SQL.matcher(constant).find()) {
                        offenders.add(name + ": " + constant);
                    }
                }
            }
        }
        assertThat(offenders).isEmpty();
        assertThat(stringConstants(CLASSES.resolve("dev/sluice/catalog/DuckDbRunStore.class")))
                .anyMatch(constant -> CATALOG_SQL.matcher(constant).find());
    }

    @Test
    void theScanSeesDuckDbSqlInTheEngine() throws IOException {
        Set<String> constants = stringConstants(CLASSES.resolve("dev/sluice/engine/duckdb/DuckDbDialect.class"));
        assertThat(constants).anyMatch(constant -> DUCKDB_ONLY.matcher(constant).find());
    }

    /**
     * The string constants of a class file (its constant pool's CONSTANT_String entries, which include the constant
     * parts of every string concatenation), read by the JVM specification's layout (chapter 4.4).
     */
    private static Set<String> stringConstants(Path classFile) throws IOException {
        try (InputStream bytes = Files.newInputStream(classFile);
                DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(bytes))) {
            in.readInt(); // magic
            in.readUnsignedShort(); // minor version
            in.readUnsignedShort(); // major version
            int count = in.readUnsignedShort();
            String[] utf8 = new String[count];
            List<Integer> strings = new ArrayList<>();
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                switch (tag) {
                    case 1 -> utf8[i] = in.readUTF();
                    case 8 -> strings.add(in.readUnsignedShort());
                    case 7, 16, 19, 20 -> in.skipNBytes(2);
                    case 15 -> in.skipNBytes(3);
                    case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipNBytes(4);
                    case 5, 6 -> {
                        in.skipNBytes(8);
                        i++; // longs and doubles take two entries
                    }
                    default -> throw new IOException("unknown constant pool tag " + tag + " in " + classFile);
                }
            }
            Set<String> constants = new TreeSet<>();
            strings.forEach(index -> constants.add(utf8[index]));
            return constants;
        }
    }
}
