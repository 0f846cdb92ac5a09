package dev.sluice.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.ErrorCode;
import dev.sluice.ProjectFixture;
import dev.sluice.SluiceException;
import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectReaderTest {
    @TempDir
    Path dir;

    @Test
    void readsTheFixtureProject() throws URISyntaxException {
        Path root = Path.of(getClass().getResource("/projects/basic/sluice.yml").toURI()).getParent();

        Project project = ProjectReader.read(root, Map.of());

        assertThat(project.name()).isEqualTo("basic");
        assertThat(project.root()).isEqualTo(root.toAbsolutePath());
        assertThat(project.models()).extracting(Model::name).containsExactly("daily_revenue", "stg_orders");
        assertThat(project.sources()).extracting(Source::qualifiedName).containsExactly("raw.orders");
        assertThat(project.model("STG_ORDERS")).isPresent();
    }

    @Test
    void appliesDefaultsToAMinimalProject() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\n");

        Project project = ProjectReader.read(dir, Map.of(), Map.of());

        assertThat(project.name()).isEqualTo("shop");
        assertThat(project.warehouse()).isEqualTo(dir.resolve("target/shop.duckdb").toAbsolutePath());
        assertThat(project.warehouse()).isAbsolute();
        assertThat(project.catalog()).isEqualTo(CatalogSpec.WAREHOUSE);
        assertThat(project.defaults()).isEqualTo(Defaults.standard());
        assertThat(project.vars()).isEmpty();
        assertThat(project.sources()).isEmpty();
        assertThat(project.models()).isEmpty();
        assertThat(project.secrets()).isEmpty();
    }

    @Test
    void readsWarehouseRelativeToTheFolderAndDefaults() {
        ProjectFixture.at(dir).files("sluice.yml", """
                name: shop
                warehouse: data/../db/shop_wh.duckdb
                catalog: warehouse
                defaults:
                  materialized: table
                  schema: analytics
                  threads: 4
                  memory_limit: 4GB
                """);

        Project project = ProjectReader.read(dir, Map.of(), Map.of());

        assertThat(project.warehouse()).isEqualTo(dir.toAbsolutePath().resolve("db/shop_wh.duckdb"));
        assertThat(project.defaults()).isEqualTo(new Defaults(Materialization.TABLE, "analytics", 4, "4GB"));
    }

    @Test
    void theWarehouseIsFoundFromSluiceYmlAloneEvenWhenAModelIsBroken() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\nwarehouse: db/shop_wh.duckdb\n",
                "models/broken.sql", "/*--- materialized: nonsense ---*/\nSELECT 1\n");

        assertThat(ProjectReader.warehouse(dir)).contains(dir.toAbsolutePath().resolve("db/shop_wh.duckdb"));
        assertThatThrownBy(() -> ProjectReader.read(dir, Map.of(), Map.of())).isInstanceOf(SluiceException.class);
    }

    @Test
    void noWarehouseIsFoundWhenSluiceYmlIsMissingOrWrong() {
        assertThat(ProjectReader.warehouse(dir)).isEmpty();
        ProjectFixture.at(dir).files("sluice.yml", "name: [shop\n");
        assertThat(ProjectReader.warehouse(dir)).isEmpty();
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\nwarehouse: 42\nthreads: x\n");
        assertThat(ProjectReader.warehouse(dir)).isEmpty();
    }

    @Test
    void refusesAMissingProjectFileNamingTheFolderAndInit() {
        assertThatThrownBy(() -> ProjectReader.read(dir, Map.of(), Map.of()))
                .isInstanceOf(SluiceException.class)
                .hasMessageContaining("Cannot read project " + dir.toAbsolutePath())
                .hasMessageContaining("it has no sluice.yml")
                .hasMessageContaining("run `sluice init " + dir + "`")
                .extracting(e -> ((SluiceException) e).code()).isEqualTo(ErrorCode.PROJECT_INVALID);
    }

    @Test
    void refusesAFolderThatDoesNotExist() {
        Path missing = dir.resolve("nowhere");

        assertThatThrownBy(() -> ProjectReader.read(missing, Map.of(), Map.of()))
                .hasMessageContaining("the folder does not exist")
                .hasMessageContaining("sluice init");
    }

    @Test
    void refusesUnknownTopLevelKeysListingTheValidOnes() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\nwarehose: x.duckdb\n");

        SluiceException e = ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of()));

        assertThat(e.problems()).containsExactly("sluice.yml:2:1: Cannot read sluice.yml: unknown key 'warehose'; "
                + "valid keys are name, warehouse, catalog, vars, sources, defaults, allowed_paths, engine, s3, schedules");
        assertThat(e.code()).isEqualTo(ErrorCode.PROJECT_INVALID);
    }

    @Test
    void readsTheEngineDefaultingToDuckDb() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\n");
        assertThat(ProjectReader.read(dir, Map.of(), Map.of()).engine()).isEqualTo("duckdb");

        ProjectFixture.at(dir).files("sluice.yml", "name: shop\nengine: duckdb\n");
        assertThat(ProjectReader.read(dir, Map.of(), Map.of()).engine()).isEqualTo("duckdb");
    }

    @Test
    void readsAnEngineWithItsOwnSettings() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\nengine: {type: recording, label: blue}\n");

        Project project = ProjectReader.read(dir, Map.of(), Map.of());

        assertThat(project.engine()).isEqualTo("recording");
        assertThat(project.engineSettings()).containsExactly(Map.entry("label", "blue"));
        try (dev.sluice.engine.Engine engine = dev.sluice.engine.Engines.openReadWrite(project)) {
            assertThat(dev.sluice.engine.RecordingEngineFactory.lastSettings()).containsExactly(Map.entry("label",
                    "blue"));
        }
    }

    @Test
    void refusesASettingTheEngineDoesNotHave() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\nengine:\n  type: duckdb\n  master: local[2]\n");

        SluiceException e = ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of()));

        assertThat(e.problems()).containsExactly("sluice.yml:4:11: Cannot read engine: unknown key 'master' for engine "
                + "duckdb; valid keys are type");
    }

    @Test
    void theCommandLineChoosesTheEngineOverSluiceYml() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\nengine: duckdb\n");

        Project project = ProjectReader.read(dir, Map.of(), new EngineChoice("recording", Map.of("label", "red")));

        assertThat(project.engine()).isEqualTo("recording");
        assertThat(project.engineSettings()).containsExactly(Map.entry("label", "red"));
        SluiceException e = ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(),
                new EngineChoice(null, Map.of("master", "local[2]"))));
        assertThat(e.problems()).singleElement().asString().endsWith("Cannot use --master: engine duckdb has no "
                + "setting master; choose an engine that has (--engine spark)");
    }

    @Test
    void refusesAnUnknownEngineListingTheKnownOnes() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\nengine: spark\n");

        SluiceException e = ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of()));

        assertThat(e.problems()).containsExactly("sluice.yml:2:9: Cannot read engine: 'spark' is not an engine on the "
                + "class path (known: duckdb, printing, recording); set engine: to one of them, or leave it out for duckdb");
        assertThat(e.code()).isEqualTo(ErrorCode.PROJECT_INVALID);
    }

    @Test
    void requiresAName() {
        ProjectFixture.at(dir).files("sluice.yml", "warehouse: x.duckdb\n");

        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).problems()).containsExactly("sluice.yml:1:1: Cannot read sluice.yml: name is missing; set name: <project name>");
    }

    @Test
    void refusesABadName() {
        ProjectFixture.at(dir).files("sluice.yml", "name: ../up\n");

        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).getMessage()).contains("sluice.yml:1:7: Cannot read name: '../up' is not a project name");
    }

    @Test
    void refusesANameThatIsNotAString() {
        ProjectFixture.at(dir).files("sluice.yml", "name: [a]\n");

        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).getMessage()).contains("sluice.yml:1:7: Cannot read name: expected a string, found a list");
    }

    @Test
    void refusesAnEmptyFile() {
        ProjectFixture.at(dir).files("sluice.yml", "# nothing yet\n");

        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).getMessage()).isEqualTo("sluice.yml:1:1: Cannot read sluice.yml: it is empty; set at least name: <project name>");
    }

    @Test
    void refusesAFileThatIsNotAMap() {
        ProjectFixture.at(dir).files("sluice.yml", "- name\n");

        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).getMessage()).isEqualTo("sluice.yml:1:1: Cannot read sluice.yml: expected a map of keys, found a list");
    }

    @Test
    void reportsBadYamlWithLineAndColumn() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\nvars: { a: 1\n");

        SluiceException e = ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of()));

        assertThat(e.problems()).hasSize(1);
        assertThat(e.problems().get(0)).startsWith("sluice.yml:3:1: Cannot read sluice.yml: invalid YAML: ").endsWith("; fix the YAML");
    }

    @Test
    void reportsDuplicateKeys() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\nname: other\n");

        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).getMessage())
                .isEqualTo("sluice.yml:2:1: Cannot read sluice.yml: invalid YAML: duplicate key 'name' (first at line 1); fix the YAML");
    }

    @Test
    void refusesACatalogThatIsAUrlNamingTheValue() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\ncatalog: jdbc:postgresql://db/meta\n");

        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).getMessage()).isEqualTo(
                "sluice.yml:2:10: Cannot read catalog 'jdbc:postgresql://db/meta': expected warehouse (the default) or a map "
                + "{ type: postgres, url: jdbc:postgresql://host:port/database, user: ..., password: ${env:NAME} }; "
                + "fix catalog: in sluice.yml");
    }

    @Test
    void readsAPostgresCatalogWithItsPasswordFromTheEnvironmentAndASchemaPerProject() {
        ProjectFixture.at(dir).files("sluice.yml", """
                name: Shop-EU
                catalog:
                  type: postgres
                  url: jdbc:postgresql://db:5432/meta
                  user: sluice
                  password: ${env:CATALOG_PASSWORD}
                """);

        Project project = ProjectReader.read(dir, Map.of(), Map.of("CATALOG_PASSWORD", "s3cret"));

        assertThat(project.catalog()).isEqualTo(new CatalogSpec(CatalogSpec.Kind.POSTGRES,
                "jdbc:postgresql://db:5432/meta", "sluice", "s3cret", "sluice_shop_eu"));
        assertThat(project.catalog().toString()).isEqualTo("jdbc:postgresql://db:5432/meta schema sluice_shop_eu")
                .doesNotContain("s3cret");
        assertThat(project.secrets()).extracting(Secret::value).contains("s3cret");
    }

    @Test
    void readsADuckDbCatalogFileOfItsOwnAndKeepsTheWarehouseCatalogByDefaultOnDuckDb() {
        ProjectFixture.at(dir).files("sluice.yml", """
                name: shop
                catalog: { type: duckdb, path: meta/catalog.duckdb }
                """);

        Project project = ProjectReader.read(dir, Map.of(), Map.of());

        assertThat(project.catalog()).isEqualTo(CatalogSpec.duckdb(dir.resolve("meta/catalog.duckdb")));
        assertThat(project.catalog().file()).isEqualTo(dir.resolve("meta/catalog.duckdb").toAbsolutePath().normalize());
        assertThat(project.catalog().external()).isTrue();
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\n");
        assertThat(ProjectReader.read(dir, Map.of(), Map.of()).catalog()).isEqualTo(CatalogSpec.WAREHOUSE);
        assertThat(CatalogSpec.besideWarehouse(dir.resolve("target/shop.duckdb")).file())
                .isEqualTo(dir.resolve("target/shop_catalog.duckdb").toAbsolutePath().normalize());
    }

    @Test
    void refusesADuckDbCatalogWithoutADuckDbFile() {
        ProjectFixture.at(dir).files("sluice.yml", """
                name: shop
                catalog: { type: duckdb, path: meta/catalog.db }
                """);

        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).problems())
                .containsExactly("sluice.yml:2:32: Cannot read catalog path: 'meta/catalog.db' is not a .duckdb file; "
                        + "set path: to a DuckDB file such as target/catalog.duckdb");
    }

    @Test
    void refusesAPostgresCatalogWithAPasswordInTheFileOrAMissingUrl() {
        ProjectFixture.at(dir).files("sluice.yml", """
                name: shop
                catalog: { type: postgres, url: 'jdbc:postgresql://db/meta?password=x', password: hunter2 }
                """);

        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).problems())
                .containsExactly("sluice.yml:2:33: Cannot read catalog url: it holds a password; remove it from the "
                        + "url and write password: ${env:NAME}");
        ProjectFixture.at(dir).files("sluice.yml", """
                name: shop
                catalog: { type: postgres, url: 'jdbc:postgresql://db/meta', password: hunter2 }
                """);
        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).problems())
                .containsExactly("sluice.yml:2:72: Cannot read catalog password: a secret must not be written in "
                        + "sluice.yml; set it in an environment variable and write password: ${env:NAME}");
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\ncatalog: { type: mysql }\n");
        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).problems())
                .containsExactly("sluice.yml:2:10: Cannot read catalog: type 'mysql' is not a catalog kind; set type: "
                        + "postgres (with url, user and password), type: duckdb (with path) or type: warehouse");
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\ncatalog: { type: postgres }\n");
        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).problems())
                .containsExactly("sluice.yml:2:10: Cannot read catalog url: it is missing; set url: "
                        + "jdbc:postgresql://host:port/database");
    }

    @Test
    void refusesAWarehouseThatIsNotAFile() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\nwarehouse: ':memory:'\n");

        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).getMessage()).contains("sluice.yml:2:12: Cannot read warehouse: ':memory:' is not a file")
                .contains("target/shop.duckdb");
    }

    @Test
    void refusesAWarehouseNamedLikeASourceSchema() {
        ProjectFixture.at(dir).files("sluice.yml", """
                name: shop
                warehouse: target/raw.duckdb
                sources:
                  raw.orders: { type: files, path: data/orders.csv }
                """);

        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).getMessage()).isEqualTo("sluice.yml:2:1: Cannot use warehouse file raw.duckdb with schema raw: "
                + "DuckDB names the database after the file, so raw.<table> would be ambiguous; name the warehouse file "
                + "differently, such as warehouse: target/raw_warehouse.duckdb");
    }

    @Test
    void refusesADefaultWarehouseNamedLikeAModelSchema() {
        ProjectFixture.at(dir).files("sluice.yml", "name: Analytics\n", "models/m.sql", "/*---\nschema: analytics\n---*/\nSELECT 1");

        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).getMessage()).startsWith("sluice.yml:1:1: Cannot use warehouse file Analytics.duckdb with schema analytics");
    }

    @Test
    void readsTheTargetFileSizeInBinaryUnits() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\ndefaults: { target_file_size: 1.5GB }\n");
        assertThat(ProjectReader.read(dir, Map.of(), Map.of()).defaults().targetFileSize()).isEqualTo(3L << 29);
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\n");
        assertThat(ProjectReader.read(dir, Map.of(), Map.of()).defaults().targetFileSize()).isEqualTo(256L << 20);
        assertThat(ProjectFileParser.bytes("64 MiB")).isEqualTo(64L << 20);
        assertThat(ProjectFileParser.bytes("2TB")).isEqualTo(2L << 40);
        assertThat(ProjectFileParser.bytes("many")).isNull();
    }

    @Test
    void reportsBadDefaultsTogether() {
        ProjectFixture.at(dir).files("sluice.yml", """
                name: shop
                defaults:
                  materialized: snapshot
                  schema: 1bad
                  threads: -1
                  memory_limit: lots
                  parallel: true
                  target_file_size: 100KB
                """);

        SluiceException e = ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of()));

        assertThat(e.problems()).containsExactly(
                "sluice.yml:7:3: Cannot read defaults: unknown key 'parallel'; valid keys are materialized, schema, threads, memory_limit, "
                        + "target_file_size",
                "sluice.yml:3:17: Cannot read defaults materialized: unknown value 'snapshot'; valid values are view, table, ephemeral, "
                        + "incremental",
                "sluice.yml:4:11: Cannot read defaults schema: '1bad' is not a plain identifier; use letters, digits and _, not starting with a digit",
                "sluice.yml:5:12: Cannot read defaults threads: -1 is below the minimum 0",
                "sluice.yml:6:17: Cannot read defaults memory_limit 'lots': expected an amount with a unit such as 4GB, 512MB or 2GiB",
                "sluice.yml:8:21: Cannot read defaults target_file_size '100KB': expected an amount of at least 1MB "
                        + "with a unit, such as 256MB or 1GB");
        assertThat(e.getMessage()).startsWith("Cannot load project 'shop': 6 problems; fix them and run again");
    }

    @Test
    void refusesTooManyThreadsAndANumericMemoryLimit() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\ndefaults: { threads: 5000, memory_limit: 4 }\n");

        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).problems()).containsExactly(
                "sluice.yml:2:22: Cannot read defaults threads: 5000 is more than 1024; use 0 for the engine's choice (DuckDB: one model at a time, Spark: one per core)",
                "sluice.yml:2:42: Cannot read defaults memory_limit '4': expected an amount with a unit such as 4GB, 512MB or 2GiB");
    }

    @Test
    void refusesDefaultsThatAreNotAMapAndThreadsThatAreNotAnInteger() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\ndefaults: table\n");
        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).getMessage()).isEqualTo("sluice.yml:2:11: Cannot read defaults: expected a map of keys, found a string");

        ProjectFixture.at(dir).files("sluice.yml", "name: shop\ndefaults: { threads: many, memory_limit: ~ }\n");
        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).problems()).containsExactly(
                "sluice.yml:2:22: Cannot read defaults threads: expected an integer, found a string",
                "sluice.yml:2:42: Cannot read defaults memory_limit 'null': expected an amount with a unit such as 4GB, 512MB or 2GiB");
    }

    @Test
    void refusesHugeIntegers() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\ndefaults: { threads: 99999999999999999999 }\n");

        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).getMessage())
                .isEqualTo("sluice.yml:2:22: Cannot read defaults threads: '99999999999999999999' is not a decimal integer in the range of a 64-bit integer");
    }

    @Test
    void typesVarsFromYaml() {
        ProjectFixture.at(dir).files("sluice.yml", """
                name: shop
                vars:
                  count: 3
                  big: 123456789012345678901234567890
                  ratio: 1.5e3
                  on: true
                  day: 2024-01-31
                  quoted_day: '2024-02-01'
                  label: north
                  nothing: ~
                """);

        Project project = ProjectReader.read(dir, Map.of(), Map.of());

        assertThat(project.vars()).containsOnly(
                Map.entry("count", 3L),
                Map.entry("big", new BigDecimal("123456789012345678901234567890")),
                Map.entry("ratio", new BigDecimal("1.5e3")),
                Map.entry("on", true),
                Map.entry("day", LocalDate.of(2024, 1, 31)),
                Map.entry("quoted_day", LocalDate.of(2024, 2, 1)),
                Map.entry("label", "north"));
    }

    @Test
    void reportsBadVars() {
        ProjectFixture.at(dir).files("sluice.yml", """
                name: shop
                vars:
                  my-var: 1
                  list: [1, 2]
                  day: 2024-02-30
                  inf: .inf
                """);

        SluiceException e = ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of()));

        assertThat(e.problems()).containsExactly(
                "sluice.yml:3:3: Cannot read var 'my-var': not a parameter name; use letters, digits and _, not starting with a digit",
                "sluice.yml:4:9: Cannot read var list: expected a number, string, boolean or date, found a list; a parameter is one value",
                "sluice.yml:5:8: Cannot read var day: '2024-02-30' is shaped like a date (yyyy-MM-dd) but no such day exists; fix the value",
                "sluice.yml:6:8: Cannot read var inf: '.inf' is not a finite number; fix the value");
        assertThat(e.code()).isEqualTo(ErrorCode.PARAMETER_INVALID);
    }

    @Test
    void refusesVarsThatAreNotAMap() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\nvars: [a]\n");

        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).getMessage()).isEqualTo("sluice.yml:2:7: Cannot read vars: expected a map of keys, found a list");
    }

    @Test
    void overridesVarsFromTheCommandLineTyped() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\nvars: { min_amount: 0, region: north }\n",
                "models/m.sql", "SELECT ${extra} AS e, ${flag} AS f");

        Project project = ProjectReader.read(dir, Map.of("min_amount", "12.50", "extra", "2024-03-01", "flag", "TRUE"), Map.of());

        assertThat(project.vars()).containsOnly(
                Map.entry("min_amount", new BigDecimal("12.50")),
                Map.entry("region", "north"),
                Map.entry("extra", LocalDate.of(2024, 3, 1)),
                Map.entry("flag", true));
    }

    @Test
    void reportsBadOverrides() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\nvars: { day: ~ }\n");

        SluiceException e = ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of("bad name", "1"), Map.of()));
        assertThat(e.getMessage()).isEqualTo("--var: Cannot read --var bad name: 'bad name' is not a parameter name; "
                + "use letters, digits and _, not starting with a digit");

        e = ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of("day", "2023-02-29"), Map.of()));
        assertThat(e.getMessage()).isEqualTo("--var: Cannot read --var day: '2023-02-29' is shaped like a date (yyyy-MM-dd) "
                + "but no such day exists; fix the value");
    }

    @Test
    void parsesVarValuesLikeTheCommandLine() {
        assertThat(ProjectReader.parseVarValue("42")).isEqualTo(42L);
        assertThat(ProjectReader.parseVarValue("-7")).isEqualTo(-7L);
        assertThat(ProjectReader.parseVarValue("99999999999999999999")).isEqualTo(new BigDecimal("99999999999999999999"));
        assertThat(ProjectReader.parseVarValue("0.25")).isEqualTo(new BigDecimal("0.25"));
        assertThat(ProjectReader.parseVarValue("1e3")).isEqualTo(new BigDecimal("1e3"));
        assertThat(ProjectReader.parseVarValue("false")).isEqualTo(false);
        assertThat(ProjectReader.parseVarValue("2024-01-31")).isEqualTo(LocalDate.of(2024, 1, 31));
        assertThat(ProjectReader.parseVarValue("02134")).isEqualTo("02134");
        assertThat(ProjectReader.parseVarValue("north")).isEqualTo("north");
        assertThat(ProjectReader.parseVarValue("")).isEqualTo("");
        assertThatThrownBy(() -> ProjectReader.parseVarValue("2024-13-01"))
                .isInstanceOf(SluiceException.class)
                .hasMessage("Cannot read parameter value: '2024-13-01' is shaped like a date (yyyy-MM-dd) but no such day exists; fix the value");
        assertThatThrownBy(() -> ProjectReader.parseVarValue("1e99999"))
                .hasMessage("Cannot read parameter value: '1e99999' has too many digits to write as a plain number; fix the value");
    }

    @Test
    void readsWithTheProcessEnvironment() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\n");

        assertThat(ProjectReader.read(dir, Map.of()).name()).isEqualTo("shop");
    }
}
