package dev.sluice.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ErrorCode;
import dev.sluice.ProjectFixture;
import dev.sluice.SluiceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelReaderTest {
    @TempDir
    Path dir;

    @BeforeEach
    void projectFile() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\nvars: { min_amount: 10 }\ndefaults: { schema: analytics, materialized: table }\n");
    }

    @Test
    void readsModelsRecursivelySortedByName() {
        ProjectFixture.at(dir).files("models/staging/stg_orders.sql", "SELECT 1 AS x",
                "models/marts/b/daily.sql", "SELECT 2 AS y",
                "models/a_first.sql", "SELECT 3 AS z",
                "models/notes.txt", "not a model");

        Project project = ProjectReader.read(dir, Map.of(), Map.of());

        assertThat(project.models()).extracting(Model::name).containsExactly("a_first", "daily", "stg_orders");
        Model daily = project.model("daily").orElseThrow();
        assertThat(daily.relativeFile()).isEqualTo(Path.of("models/marts/b/daily.sql"));
        assertThat(daily.file()).isEqualTo(dir.toAbsolutePath().resolve("models/marts/b/daily.sql"));
        assertThat(daily.file()).isAbsolute();
    }

    @Test
    void appliesProjectDefaultsWithoutFrontMatter() {
        ProjectFixture.at(dir).files("models/m.sql", "SELECT 1 AS x\n");

        Model model = ProjectReader.read(dir, Map.of(), Map.of()).models().get(0);

        assertThat(model.schema()).isEqualTo("analytics");
        assertThat(model.materialized()).isEqualTo(Materialization.TABLE);
        assertThat(model.tags()).isEmpty();
        assertThat(model.description()).isEmpty();
        assertThat(model.columns()).isEmpty();
        assertThat(model.enabled()).isTrue();
        assertThat(model.parser()).isEqualTo(SqlParserChoice.CALCITE);
        assertThat(model.qualifiedName()).isEqualTo("analytics.m");
    }

    @Test
    void readsFrontMatterAndKeepsItInTheSql() {
        String text = """
                  /*---
                materialized: ephemeral
                schema: staging
                tags: [daily, finance]
                description: Paid orders.
                columns:
                  email: { description: Customer e-mail, pii: true }
                  amount: { description: Total }
                  note:
                enabled: false
                parser: duckdb
                ---*/
                SELECT order_id FROM raw.orders WHERE amount >= ${min_amount};
                """;
        ProjectFixture.at(dir).files("models/paid.sql", text);

        Model model = ProjectReader.read(dir, Map.of(), Map.of()).models().get(0);

        assertThat(model.materialized()).isEqualTo(Materialization.EPHEMERAL);
        assertThat(model.schema()).isEqualTo("staging");
        assertThat(model.tags()).containsExactly("daily", "finance");
        assertThat(model.description()).isEqualTo("Paid orders.");
        assertThat(model.columns()).containsOnly(
                Map.entry("email", new ColumnMeta("Customer e-mail", true)),
                Map.entry("amount", new ColumnMeta("Total", false)),
                Map.entry("note", new ColumnMeta("", false)));
        assertThat(model.enabled()).isFalse();
        assertThat(model.parser()).isEqualTo(SqlParserChoice.DUCKDB);
        String expected = text.replace("${min_amount};\n", "10");
        assertThat(model.sql()).isEqualTo(expected);
        // the query keeps its position: line 13 of the file is line 13 of the SQL
        assertThat(model.sql().lines().toList().get(12)).startsWith("SELECT order_id");
    }

    @Test
    void acceptsASingleTagAndEmptyFrontMatter() {
        ProjectFixture.at(dir).files("models/one.sql", "/*---\ntags: nightly\n---*/\nSELECT 1",
                "models/two.sql", "/*---\n# nothing\n---*/\nSELECT 2");

        Project project = ProjectReader.read(dir, Map.of(), Map.of());

        assertThat(project.model("one").orElseThrow().tags()).containsExactly("nightly");
        assertThat(project.model("two").orElseThrow().tags()).isEmpty();
    }

    @Test
    void treatsAnOrdinaryLeadingCommentAsSql() {
        ProjectFixture.at(dir).files("models/m.sql", "/* not front matter: materialized: nonsense */\nSELECT 1");

        assertThat(ProjectReader.read(dir, Map.of(), Map.of()).models().get(0).materialized()).isEqualTo(Materialization.TABLE);
    }

    @Test
    void stripsTrailingWhitespaceAndOneSemicolonAndHashesTheSql() {
        ProjectFixture.at(dir).files("models/m.sql", "SELECT 1 ;; \n\n");

        Model model = ProjectReader.read(dir, Map.of(), Map.of()).models().get(0);

        assertThat(model.sql()).isEqualTo("SELECT 1 ;");
        assertThat(model.sqlHash()).matches("[0-9a-f]{64}").isEqualTo(ModelReader.sha256("SELECT 1 ;"));
        assertThat(ModelReader.sha256("abc")).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void dropsAByteOrderMark() {
        ProjectFixture.at(dir).files("models/m.sql", "\uFEFF/*---\nmaterialized: view\n---*/\nSELECT 1");

        Model model = ProjectReader.read(dir, Map.of(), Map.of()).models().get(0);

        assertThat(model.materialized()).isEqualTo(Materialization.VIEW);
        assertThat(model.sql()).startsWith("/*---");
    }

    @Test
    void refusesNamesThatClashIgnoringCaseNamingBothFiles() {
        ProjectFixture.at(dir).files("models/a/Orders.sql", "SELECT 1", "models/b/orders.sql", "SELECT 2");

        SluiceException e = ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of()));

        assertThat(e.getMessage()).isEqualTo("models/b/orders.sql:1:1: Cannot read model 'orders': models/a/Orders.sql defines a "
                + "model of the same name (names are case-insensitive); rename one of the files");
        assertThat(e.code()).isEqualTo(ErrorCode.MODEL_INVALID);
    }

    @Test
    void refusesFileNamesThatAreNotIdentifiers() {
        ProjectFixture.at(dir).files("models/daily-revenue.sql", "SELECT 1");

        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).getMessage()).isEqualTo("models/daily-revenue.sql:1:1: Cannot read model 'daily-revenue': a model's "
                + "file name is its table name, so it must be letters, digits and _, not starting with a digit; rename the file");
    }

    @Test
    void aTestNamingAMisspelledModelGetsADidYouMean() {
        ProjectFixture.at(dir).files("models/order_lines.sql", "SELECT 1 AS x",
                "tests/lines_positive.sql", "/*---\nmodel: order_linez\n---*/\nSELECT * FROM this WHERE x < 0\n");

        SluiceException e = ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of()));

        assertThat(e.problems()).containsExactly("tests/lines_positive.sql:1:1: Cannot attach test "
                + "tests/lines_positive.sql: there is no model 'order_linez'; did you mean 'order_lines'?; fix its "
                + "model:");
    }

    @Test
    void refusesAModelWithoutSql() {
        ProjectFixture.at(dir).files("models/a.sql", "/*---\nmaterialized: view\n---*/\n  -- only a comment\n /* and another */ ;\n",
                "models/b.sql", "   \n");

        SluiceException e = ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of()));

        assertThat(e.problems()).containsExactly(
                "models/a.sql:3:6: Cannot read model a: it has no SQL query; write one SELECT statement after the front matter",
                "models/b.sql:1:1: Cannot read model b: it has no SQL query; write one SELECT statement");
    }

    @Test
    void refusesUnclosedFrontMatter() {
        ProjectFixture.at(dir).files("models/m.sql", "\n  /*---\nmaterialized: view\nSELECT 1");

        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).getMessage()).isEqualTo("models/m.sql:2:3: Cannot read front matter: the comment opened with /*--- "
                + "is never closed; end it with a line ---*/");
    }

    @Test
    void reportsBadYamlAtTheFileLineAndColumn() {
        ProjectFixture.at(dir).files("models/m.sql", "\n\n/*---\nmaterialized: view\ntags: [a, b\n---*/\nSELECT 1");

        SluiceException e = ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of()));

        assertThat(e.getMessage()).startsWith("models/m.sql:6:1: Cannot read front matter: invalid YAML: ");
    }

    @Test
    void treatsFrontMatterAfterACommentAsSql() {
        ProjectFixture.at(dir).files("models/m.sql", "-- a header line\n/*---\nmaterialized: nonsense\n---*/\nSELECT 1");

        Model model = ProjectReader.read(dir, Map.of(), Map.of()).models().get(0);

        assertThat(model.materialized()).isEqualTo(Materialization.TABLE);
    }

    @Test
    void reportsBadYamlOnTheFirstLineWithTheColumnOfTheFile() {
        ProjectFixture.at(dir).files("models/m.sql", "/*--- a: b: c\n---*/\nSELECT 1");

        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).getMessage()).startsWith("models/m.sql:1:11: Cannot read front matter: invalid YAML: mapping values "
                + "are not allowed here");
    }

    @Test
    void reportsUnknownKeysAndValuesAtTheirLineInTheFile() {
        ProjectFixture.at(dir).files("models/m.sql", """
                /*---
                materialised: table
                materialized: snapshot
                schema: my-schema
                tags: [ok, [nested]]
                description: 3
                enabled: sometimes
                parser: spark
                columns:
                  email: { pii: yes, masked: true }
                  other: [x]
                ---*/
                SELECT 1
                """);

        SluiceException e = ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of()));

        assertThat(e.problems()).containsExactly(
                "models/m.sql:2:1: Cannot read front matter: unknown key 'materialised'; valid keys are materialized, schema, tags, "
                        + "description, columns, enabled, parser, quality, when, otherwise, incremental, storage, time, sink",
                "models/m.sql:3:15: Cannot read front matter materialized: unknown value 'snapshot'; valid values are view, table, ephemeral, "
                        + "incremental",
                "models/m.sql:4:9: Cannot read front matter schema: 'my-schema' is not a plain identifier; use letters, digits and _, "
                        + "not starting with a digit",
                "models/m.sql:6:14: Cannot read front matter description: expected a string, found an integer",
                "models/m.sql:7:10: Cannot read front matter enabled: expected true or false, found a string",
                "models/m.sql:8:9: Cannot read front matter parser: unknown value 'spark'; valid values are calcite, duckdb",
                "models/m.sql:5:12: Cannot read front matter tags (a tag or a list of tags): expected a string, found a list",
                "models/m.sql:10:22: Cannot read front matter column email: unknown key 'masked'; valid keys are description, pii, mask, unmasked",
                "models/m.sql:11:10: Cannot read front matter column other: expected a map of keys, found a list");
    }

    @Test
    void refusesFrontMatterThatIsNotAMap() {
        ProjectFixture.at(dir).files("models/m.sql", "/*---\n- a\n- b\n---*/\nSELECT 1",
                "models/n.sql", "/*---\ncolumns: [a]\nparser: [x]\n---*/\nSELECT 1");

        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).problems()).containsExactly(
                "models/m.sql:2:1: Cannot read front matter: expected a map of keys, found a list",
                "models/n.sql:3:9: Cannot read front matter parser: expected one of calcite, duckdb, found a list",
                "models/n.sql:2:10: Cannot read front matter columns: expected a map of keys, found a list");
    }

    @Test
    void refusesAFileThatIsNotUtf8() throws IOException {
        Files.createDirectories(dir.resolve("models"));
        Files.write(dir.resolve("models/m.sql"), new byte[] {'S', 'E', 'L', (byte) 0xC3, (byte) 0x28});

        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).getMessage()).isEqualTo("models/m.sql: Cannot read model file: it is not UTF-8 text; save it as UTF-8");
    }

    @Test
    void reportsEveryProblemOfEveryFileAtOnce() {
        ProjectFixture.at(dir).files("models/a_bad_yaml.sql", "/*---\ntags: [a\n---*/\nSELECT 1",
                "models/b_unknown_key.sql", "/*---\nowner: me\n---*/\nSELECT 1",
                "models/c_undefined.sql", "SELECT *\nFROM t\nWHERE x > ${threshold}",
                "models/d_fine.sql", "SELECT 1");

        SluiceException e = ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of()));

        assertThat(e.problems()).hasSize(3);
        assertThat(e.problems().get(0)).startsWith("models/a_bad_yaml.sql:3:1: Cannot read front matter: invalid YAML: ");
        assertThat(e.problems().get(1)).startsWith("models/b_unknown_key.sql:2:1: Cannot read front matter: unknown key 'owner'");
        assertThat(e.problems().get(2)).startsWith("models/c_undefined.sql:3:11: Cannot substitute parameter ${threshold}");
        assertThat(e.getMessage()).startsWith("Cannot load project 'shop': 3 problems; fix them and run again")
                .contains(e.problems().get(0)).contains(e.problems().get(2));
        assertThat(e.code()).isEqualTo(ErrorCode.MODEL_INVALID);
    }

    @Test
    void reportsModelProblemsEvenWhenSluiceYmlIsBrokenButNotUndefinedParameters() {
        ProjectFixture.at(dir).files("sluice.yml", "name: [\n", "models/m.sql", "/*---\nowner: me\n---*/\nSELECT ${anything}");

        SluiceException e = ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of()));

        assertThat(e.problems()).hasSize(2);
        assertThat(e.problems().get(0)).startsWith("sluice.yml:2:1: Cannot read sluice.yml: invalid YAML:");
        assertThat(e.problems().get(1)).startsWith("models/m.sql:2:1: Cannot read front matter: unknown key 'owner'");
        assertThat(e.getMessage()).startsWith("Cannot load project " + dir.toAbsolutePath() + ": 2 problems");
    }

    @Test
    void helpersFindSqlAndStripTheEnd() {
        assertThat(ModelReader.hasSql("-- x\n/* y */ ; \n", 0)).isFalse();
        assertThat(ModelReader.hasSql("-- x", 0)).isFalse();
        assertThat(ModelReader.hasSql("/* unclosed", 0)).isFalse();
        assertThat(ModelReader.hasSql("-- x\nSELECT", 0)).isTrue();
        assertThat(ModelReader.stripEnd("SELECT 1 ; \n")).isEqualTo("SELECT 1");
        assertThat(ModelReader.stripEnd("SELECT 1")).isEqualTo("SELECT 1");
        assertThat(List.of(ModelReader.nameOf(Path.of("models/a/x.sql")))).containsExactly("x");
    }

    @Test
    void readsIncrementalSettingsAndRefusesInconsistentOnes() {
        ProjectFixture.at(dir).files("models/inc.sql", "/*---\nmaterialized: incremental\nincremental: { strategy: merge, unique_key: [a, b], "
                + "on_schema_change: sync_all_columns }\n---*/\nSELECT 1 AS a, 2 AS b");
        ProjectFixture.at(dir).files("models/plain_inc.sql", "/*---\nmaterialized: incremental\n---*/\nSELECT 1 AS a");
        ProjectFixture.at(dir).files("models/ordered.sql", "/*---\nmaterialized: incremental\nincremental: { strategy: merge, unique_key: a, "
                + "order_by: b }\n---*/\nSELECT 1 AS a, 2 AS b");
        Project project = ProjectReader.read(dir, Map.of(), Map.of());
        assertThat(project.model("inc").get().incremental()).isEqualTo(new Incremental(Incremental.Strategy.MERGE,
                List.of("a", "b"), Incremental.OnSchemaChange.SYNC_ALL_COLUMNS));
        assertThat(project.model("ordered").get().incremental()).isEqualTo(new Incremental(Incremental.Strategy.MERGE,
                List.of("a"), Incremental.OnSchemaChange.FAIL, "b"));
        assertThat(project.model("plain_inc").get().incremental()).isEqualTo(new Incremental(
                Incremental.Strategy.APPEND, List.of(), Incremental.OnSchemaChange.FAIL));

        ProjectFixture.at(dir).files("models/bad_key.sql", "/*---\nmaterialized: incremental\nincremental: { strategy: merge }\n---*/\nSELECT 1");
        ProjectFixture.at(dir).files("models/not_inc.sql", "/*---\nincremental: { strategy: append }\n---*/\nSELECT 1");
        ProjectFixture.at(dir).files("models/otherwise_alone.sql", "/*---\notherwise: x\n---*/\nSELECT 1");
        ProjectFixture.at(dir).files("models/ordered_append.sql", "/*---\nmaterialized: incremental\nincremental: { strategy: "
                + "delete_insert, unique_key: a, order_by: b }\n---*/\nSELECT 1 AS a, 2 AS b");
        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).problems()).containsExactly(
                "models/bad_key.sql:3:14: Cannot read front matter: incremental strategy merge needs unique_key (a "
                        + "column or a list of columns)",
                "models/not_inc.sql:2:14: Cannot read front matter: 'incremental' settings need materialized: "
                        + "incremental; add it or remove the incremental block",
                "models/ordered_append.sql:3:66: Cannot read front matter: incremental order_by decides which row of a "
                        + "key a merge keeps, so it needs strategy: merge (it is delete_insert); remove order_by or use "
                        + "strategy: merge",
                "models/otherwise_alone.sql:2:12: Cannot read front matter: 'otherwise' names the model to run when "
                        + "the 'when' condition is false, but there is no 'when'; add one or remove 'otherwise'");
    }

    @Test
    void readsStorageSettingsAndRefusesUnknownOrMisplacedOnes() {
        ProjectFixture.at(dir).files("models/lake.sql", "/*---\nstorage: { format: parquet, path: lake/orders, compression: zstd, "
                + "compression_level: 7, partition_by: region, sort_by: [region, day], row_group_size: 65536, "
                + "access: archive, measure: true }\n---*/\nSELECT 1 AS region, 2 AS day");
        ProjectFixture.at(dir).files("models/plain.sql", "SELECT 1 AS a");
        ProjectFixture.at(dir).files("models/unsorted.sql", "/*---\nstorage: { sort_by: [], optimize: false }\n---*/\nSELECT 1 AS a");
        Project project = ProjectReader.read(dir, Map.of(), Map.of());
        assertThat(project.model("lake").get().storage()).isEqualTo(new StorageSpec(StorageSpec.Format.PARQUET,
                "lake/orders", StorageSpec.Codec.ZSTD, 7, List.of("region"), List.of("region", "day"), 65536L,
                StorageSpec.Access.ARCHIVE, true, true));
        assertThat(project.model("plain").get().storage()).isEqualTo(StorageSpec.NONE);
        assertThat(StorageSpec.NONE.effectiveFormat()).isEqualTo(StorageSpec.Format.WAREHOUSE);
        assertThat(project.model("unsorted").get().storage()).isEqualTo(new StorageSpec(null, null, null, null, null,
                List.of(), null, null, false));

        ProjectFixture.at(dir).files("models/bad.sql", """
                /*---
                storage:
                  format: orc
                  compresion: zstd
                  access: warm
                  sort_by: [[a]]
                ---*/
                SELECT 1 AS a
                """);
        ProjectFixture.at(dir).files("models/misplaced.sql", "/*---\nstorage: { compression: zstd, partition_by: [a] }\n---*/\nSELECT 1 AS a");
        ProjectFixture.at(dir).files("models/levels.sql", "/*---\nstorage: { format: parquet, compression: snappy, compression_level: 3 }"
                + "\n---*/\nSELECT 1 AS a");
        ProjectFixture.at(dir).files("models/too_high.sql", "/*---\nstorage: { format: parquet, compression_level: 30 }\n---*/\nSELECT 1");
        ProjectFixture.at(dir).files("models/view_lake.sql", "/*---\nmaterialized: view\nstorage: { format: parquet }\n---*/\nSELECT 1");
        ProjectFixture.at(dir).files("models/not_map.sql", "/*---\nstorage: parquet\n---*/\nSELECT 1");
        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).problems()).containsExactly(
                "models/bad.sql:4:3: Cannot read front matter storage: unknown key 'compresion'; valid keys are format, "
                        + "path, compression, compression_level, partition_by, sort_by, row_group_size, access, optimize, "
                        + "measure",
                "models/bad.sql:3:11: Cannot read front matter storage format: unknown value 'orc'; valid values are "
                        + "warehouse, parquet, iceberg",
                "models/bad.sql:5:11: Cannot read front matter storage access: unknown value 'warm'; valid values are "
                        + "hot, cold, archive",
                "models/bad.sql:6:13: Cannot read front matter storage sort_by (a column or a list of columns): "
                        + "expected a string, found a list",
                "models/levels.sql:2:69: Cannot read front matter storage compression_level: snappy has no levels; "
                        + "use zstd (levels 1 to 22) or gzip (1 to 9), or remove the level",
                "models/misplaced.sql:2:25: Cannot read front matter storage compression: it applies to Parquet outputs "
                        + "only (DuckDB chooses the compression of warehouse tables itself); add format: parquet or "
                        + "remove compression",
                "models/misplaced.sql:2:45: Cannot read front matter storage partition_by: it applies to Parquet "
                        + "outputs only (DuckDB chooses the compression of warehouse tables itself); add format: "
                        + "parquet or remove partition_by",
                "models/not_map.sql:2:10: Cannot read front matter storage: expected a map of keys, found a string",
                "models/too_high.sql:2:48: Cannot read front matter storage compression_level: 30 is above 22, the "
                        + "highest zstd level; use 1 to 22",
                "models/view_lake.sql:1:6: Cannot read model view_lake: storage format parquet needs materialized: "
                        + "table or incremental (it is view); change materialized or remove format: parquet");
    }

    @Test
    void anIcebergOutputNeedsATableOrAnIncrementalModelWithoutWindows() {
        ProjectFixture.at(dir).files("models/view_ice.sql", "/*---\nmaterialized: view\nstorage: { format: iceberg }\n"
                + "---*/\nSELECT 1 AS a");
        ProjectFixture.at(dir).files("models/windowed_ice.sql", "/*---\nmaterialized: incremental\ntime: { column: ts, "
                + "grain: 1 day, start: 2024-01-01 }\nstorage: { format: iceberg }\n---*/\nSELECT TIMESTAMP '2024-01-01' "
                + "AS ts");
        ProjectFixture.at(dir).files("models/fine_ice.sql", "/*---\nmaterialized: table\nstorage: { format: iceberg, "
                + "compression: zstd, partition_by: [a] }\n---*/\nSELECT 1 AS a");
        assertThat(ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of())).problems()).containsExactly(
                "models/view_ice.sql:1:6: Cannot read model view_ice: storage format iceberg needs materialized: table "
                        + "or incremental without time: (it is view); change materialized, or use format: parquet for a "
                        + "windowed model",
                "models/windowed_ice.sql:1:6: Cannot read model windowed_ice: storage format iceberg needs "
                        + "materialized: table or incremental without time: (it is incremental, windowed); change "
                        + "materialized, or use format: parquet for a windowed model");
    }
}
