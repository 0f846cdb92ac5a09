package dev.sluice.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ErrorCode;
import dev.sluice.ProjectFixture;
import dev.sluice.SluiceException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceParserTest {
    @TempDir
    Path dir;

    private Project readSources(String sources) {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\nsources:\n" + sources);
        return ProjectReader.read(dir, Map.of(), Map.of());
    }

    private SluiceException failSources(String sources) {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\nsources:\n" + sources);
        return ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of()));
    }

    @Test
    void readsAFilesSourceWithCsvOptions() {
        Project project = readSources("""
                  raw.orders:
                    type: files
                    path: data/orders/*.csv
                    delimiter: ';'
                    header: true
                    quote: '"'
                    date_format: '%d/%m/%Y'
                    columns: { order_id: BIGINT, amount: 'DECIMAL(10,2)', note: VARCHAR }
                    max_rejected_fraction: 0.05
                """);

        Source source = project.sources().get(0);
        assertThat(source.schema()).isEqualTo("raw");
        assertThat(source.table()).isEqualTo("orders");
        assertThat(source.columns()).isEmpty();
        assertThat(source.location()).isEqualTo(new Location(Path.of("sluice.yml"), 3, 3));
        SourceSpec.Files files = (SourceSpec.Files) source.spec();
        assertThat(files.path()).isEqualTo(dir.toAbsolutePath() + "/data/orders/*.csv");
        assertThat(files.format()).isEqualTo(SourceSpec.FileFormat.CSV);
        assertThat(files.maxRejectedFraction()).isEqualTo(0.05);
        assertThat(files.csv()).isEqualTo(new SourceSpec.CsvOptions(";", true, "\"", "%d/%m/%Y",
                Map.of("order_id", "BIGINT", "amount", "DECIMAL(10,2)", "note", "VARCHAR")));
        assertThat(files.csv().columns().keySet()).containsExactly("order_id", "amount", "note");
    }

    @Test
    void detectsTheFormatFromTheExtension() {
        // a folder outside the project is readable once listed in allowed_paths
        ProjectFixture.at(dir).files("sluice.yml", """
                name: shop
                allowed_paths: [/abs]
                sources:
                  raw.a: { type: files, path: 'a/*.parquet' }
                  raw.b: { type: files, path: b.ndjson }
                  raw.c: { type: files, path: c.jsonl }
                  raw.d: { type: files, path: d.JSON }
                  raw.e: { type: files, path: e.csv.gz }
                  raw.f: { type: files, path: /abs/f.tsv }
                  raw.g: { type: files, path: g.data, format: PARQUET }
                """);
        Project project = ProjectReader.read(dir, Map.of(), Map.of());

        assertThat(project.allowedPaths()).containsExactly(Path.of("/abs"));
        assertThat(project.readableRoots()).containsExactly(dir.toAbsolutePath().normalize(), Path.of("/abs"));
        assertThat(project.sources()).extracting(s -> ((SourceSpec.Files) s.spec()).format()).containsExactly(
                SourceSpec.FileFormat.PARQUET, SourceSpec.FileFormat.JSON, SourceSpec.FileFormat.JSON, SourceSpec.FileFormat.JSON,
                SourceSpec.FileFormat.CSV, SourceSpec.FileFormat.CSV, SourceSpec.FileFormat.PARQUET);
        assertThat(((SourceSpec.Files) project.sources().get(5).spec()).path()).isEqualTo("/abs/f.tsv");
        assertThat(((SourceSpec.Files) project.sources().get(0).spec()).csv()).isEqualTo(SourceSpec.CsvOptions.detect());
        assertThat(((SourceSpec.Files) project.sources().get(0).spec()).maxRejectedFraction()).isZero();
    }

    @Test
    void refusesSourcesOutsideTheProjectFolderAndItsAllowedPaths() {
        SluiceException e = failSources("""
                  raw.a: { type: files, path: ../../../etc/passwd, format: csv }
                  raw.b: { type: table, database: /srv/other.duckdb, table: t }
                  raw.c: { type: files, path: 'data/../../x/*.csv' }
                  raw.d: { type: files, path: 'data/*.csv' }
                """);

        String fix = " is outside the project folder and its allowed_paths (symbolic links are followed); move the "
                + "files into the project folder, or add their folder to allowed_paths: in sluice.yml if this project "
                + "may read it";
        assertThat(e.problems()).containsExactly(
                "sluice.yml:3:31: Cannot read source raw.a path: '../../../etc/passwd'" + fix,
                "sluice.yml:4:35: Cannot read source raw.b database: '/srv/other.duckdb'" + fix,
                "sluice.yml:5:31: Cannot read source raw.c path: 'data/../../x/*.csv'" + fix);
        assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_INVALID);
    }

    @Test
    void refusesAnUnclearOrUnknownFormat() {
        SluiceException e = failSources("""
                  raw.a: { type: files, path: 'data/*' }
                  raw.b: { type: files, path: b.csv, format: xlsx }
                """);

        assertThat(e.problems()).containsExactly(
                "sluice.yml:3:31: Cannot read source raw.a: the format of 'data/*' is not clear from its extension; "
                        + "set format: to one of csv, parquet, json",
                "sluice.yml:4:46: Cannot read source raw.b format: unknown value 'xlsx'; valid values are csv, parquet, json");
        assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_INVALID);
    }

    @Test
    void readsLoadAndRefusesInPlaceBesideWhatNeedsACopy() {
        Project project = readSources("""
                  raw.a: { type: files, path: a.csv }
                  raw.b: { type: files, path: b.csv, load: in_place, columns: { id: BIGINT } }
                  raw.c: { type: files, path: c.csv, load: copy, change_detection: manifest }
                """);
        assertThat(project.sources()).extracting(s -> ((SourceSpec.Files) s.spec()).load())
                .containsExactly(null, SourceSpec.Load.IN_PLACE, SourceSpec.Load.COPY);

        SluiceException e = failSources("""
                  raw.a: { type: files, path: a.csv, load: in_place, change_detection: manifest }
                  raw.b: { type: files, path: b.csv, load: in_place, max_rejected_fraction: 0.1 }
                  raw.c: { type: files, path: c.csv, load: inplace }
                """);
        assertThat(e.problems()).containsExactly(
                "sluice.yml:3:38: Cannot read source raw.a: load: in_place cannot track files by change_detection: "
                        + "manifest (the rows of each file read are kept in the warehouse); set load: copy, or remove "
                        + "change_detection",
                "sluice.yml:4:38: Cannot read source raw.b: load: in_place keeps no rejected lines, so "
                        + "max_rejected_fraction cannot apply; set load: copy, or remove max_rejected_fraction",
                "sluice.yml:5:44: Cannot read source raw.c load: unknown value 'inplace'; valid values are in_place, copy");
        assertThat(e.code()).isEqualTo(ErrorCode.SOURCE_INVALID);
    }

    @Test
    void refusesCsvOptionsOnOtherFormatsAndBadOptionValues() {
        SluiceException e = failSources("""
                  raw.a:
                    type: files
                    path: a.parquet
                    delimiter: ','
                    columns: { id: BIGINT }
                  raw.b:
                    type: files
                    path: b.csv
                    header: maybe
                    columns: [id]
                    max_rejected_fraction: 2
                    detect_changes: manifest
                  raw.c:
                    type: files
                    path: c.csv
                    columns: { id: 1 }
                    max_rejected_fraction: high
                """);

        assertThat(e.problems()).containsExactly(
                "sluice.yml:6:5: Cannot read source raw.a: delimiter applies only to format csv, this source is parquet; remove it",
                "sluice.yml:7:5: Cannot read source raw.a: columns applies only to format csv, this source is parquet; remove it",
                "sluice.yml:14:5: Cannot read source raw.b: unknown key 'detect_changes'; valid keys are type, path, format, "
                        + "delimiter, header, quote, date_format, columns, max_rejected_fraction, quality, change_detection, "
                        + "content_hash, on_delete, pii, ignore_errors, null_padding, strict_mode, s3, retries, timeout, backoff, load, mask",
                "sluice.yml:11:13: Cannot read source raw.b header: expected true or false, found a string",
                "sluice.yml:12:14: Cannot read source raw.b columns (column name: DuckDB type): expected a map of keys, found a list",
                "sluice.yml:13:28: Cannot read source raw.b max_rejected_fraction: '2' is not a fraction between 0 and 1",
                "sluice.yml:18:20: Cannot read source raw.c column id (a DuckDB type such as VARCHAR): expected a string, found an integer",
                "sluice.yml:19:28: Cannot read source raw.c max_rejected_fraction: expected a number between 0 and 1, found a string");
    }

    @Test
    void refusesBadNamesTypesAndMissingPaths() {
        SluiceException e = failSources("""
                  orders: { type: files, path: o.csv }
                  raw.x.y: { type: files, path: o.csv }
                  raw.pigeon: { type: pigeon }
                  raw.notype: { path: o.csv }
                  raw.nopath: { type: files }
                  raw.list: [a]
                  raw.numtype: { type: 3 }
                  raw.numpath: { type: files, path: 3 }
                """);

        assertThat(e.problems()).containsExactly(
                "sluice.yml:3:3: Cannot read source 'orders': a source is named schema.table (for example raw.orders), "
                        + "each part letters, digits and _",
                "sluice.yml:4:3: Cannot read source 'raw.x.y': a source is named schema.table (for example raw.y), "
                        + "each part letters, digits and _",
                "sluice.yml:5:23: Cannot read source raw.pigeon: unknown type 'pigeon'; valid types are files, http, jdbc, kafka, memory, synthetic, table",
                "sluice.yml:6:3: Cannot read source raw.notype: type is missing; set type: to one of files, http, jdbc, kafka, memory, synthetic, table",
                "sluice.yml:7:3: Cannot read source raw.nopath: path is missing; set path: to a file or glob relative to the "
                        + "project folder, such as data/orders/*.csv",
                "sluice.yml:8:13: Cannot read source raw.list: expected a map of keys, found a list",
                "sluice.yml:9:24: Cannot read source raw.numtype type: expected a string, found an integer",
                "sluice.yml:10:37: Cannot read source raw.numpath path: expected a string, found an integer");
    }

    @Test
    void suggestsTheInstalledTypeAMistypedOneIsCloseTo() {
        assertThat(failSources("  raw.a: { type: fils, path: a.csv }\n").getMessage()).isEqualTo("sluice.yml:3:18: "
                + "Cannot read source raw.a: unknown type 'fils'; valid types are files, http, jdbc, kafka, memory, synthetic, table; "
                + "did you mean 'files'?");
    }

    @Test
    void refusesSourcesThatAreNotAMapAndAnInvalidPath() {
        assertThat(failSources("  - raw.orders\n").getMessage())
                .isEqualTo("sluice.yml:3:3: Cannot read sources: expected a map of keys, found a list");
        assertThat(failSources("  raw.a: { type: files, path: \"a\\0b.csv\" }\n").getMessage())
                .startsWith("sluice.yml:3:31: Cannot read source raw.a path 'a\0b.csv': ");
    }

    @Test
    void readsASyntheticSource() {
        Project project = readSources("""
                  raw.orders:
                    type: synthetic
                    rows: 1000
                    columns:
                      order_id: { type: BIGINT }
                      customer_id: { type: BIGINT, generator: reference, max: 100 }
                      amount: { type: 'DECIMAL(10,2)', generator: uniform, min: 1, max: 499.5, null_fraction: 0.1 }
                      order_date: { type: DATE, generator: date, start: 2024-01-01, end: 2024-03-31 }
                      status: { type: VARCHAR, generator: choice, values: [placed, shipped, 3] }
                      note: { type: VARCHAR, generator: text, prefix: n- }
                """);

        SourceSpec.Synthetic synthetic = (SourceSpec.Synthetic) project.sources().get(0).spec();
        assertThat(synthetic.rows()).isEqualTo(1000);
        assertThat(synthetic.seed()).isEqualTo(42);
        assertThat(synthetic.columns()).containsExactly(
                new SourceSpec.SyntheticColumn("order_id", "BIGINT", "sequence", Map.of()),
                new SourceSpec.SyntheticColumn("customer_id", "BIGINT", "reference", Map.of("max", 100L)),
                new SourceSpec.SyntheticColumn("amount", "DECIMAL(10,2)", "uniform",
                        Map.of("min", 1L, "max", new BigDecimal("499.5"), "null_fraction", new BigDecimal("0.1"))),
                new SourceSpec.SyntheticColumn("order_date", "DATE", "date",
                        Map.of("start", LocalDate.of(2024, 1, 1), "end", LocalDate.of(2024, 3, 31))),
                new SourceSpec.SyntheticColumn("status", "VARCHAR", "choice", Map.of("values", List.of("placed", "shipped", 3L))),
                new SourceSpec.SyntheticColumn("note", "VARCHAR", "text", Map.of("prefix", "n-")));
    }

    @Test
    void readsAnExplicitSeedAndZeroRows() {
        Project project = readSources("  raw.t: { type: synthetic, rows: 0, seed: -7, columns: { id: { type: integer } } }\n");

        assertThat(project.sources().get(0).spec()).isEqualTo(new SourceSpec.Synthetic(0, -7,
                List.of(new SourceSpec.SyntheticColumn("id", "integer", "sequence", Map.of()))));
    }

    @Test
    void refusesBadSyntheticSources() {
        SluiceException e = failSources("""
                  raw.a: { type: synthetic, columns: { id: { type: BIGINT } } }
                  raw.b: { type: synthetic, rows: -1, seed: x, columns: { id: { type: BIGINT } }, path: p }
                  raw.c: { type: synthetic, rows: 1 }
                  raw.d: { type: synthetic, rows: 1, columns: [id] }
                  raw.e: { type: synthetic, rows: 1, columns: {} }
                """);

        assertThat(e.problems()).containsExactly(
                "sluice.yml:3:3: Cannot read source raw.a: rows is missing; set rows: to the number of rows to generate",
                "sluice.yml:4:83: Cannot read source raw.b: unknown key 'path'; valid keys are type, rows, seed, columns, quality, pii, mask",
                "sluice.yml:4:35: Cannot read source raw.b rows: -1 is below the minimum 0",
                "sluice.yml:4:45: Cannot read source raw.b seed: expected an integer, found a string",
                "sluice.yml:5:3: Cannot read source raw.c: columns is missing; list the columns to generate, such as "
                        + "columns: { id: { type: BIGINT } }",
                "sluice.yml:6:47: Cannot read source raw.d columns: expected a map of keys, found a list",
                "sluice.yml:7:47: Cannot read source raw.e: columns is empty; list at least one column");
    }

    @Test
    void refusesBadSyntheticColumns() {
        SluiceException e = failSources("""
                  raw.t:
                    type: synthetic
                    rows: 10
                    columns:
                      a: { generator: sequence }
                      b: { type: VARCHAR }
                      c: { type: BIGINT, generator: normal }
                      d: { type: BIGINT, generator: uniform, mean: 3 }
                      e: { type: VARCHAR, generator: choice, values: placed }
                      f: { type: VARCHAR, generator: choice, values: [] }
                      g: { type: BIGINT, generator: uniform, min: 9, max: 1, null_fraction: 2 }
                      h: { type: BIGINT, generator: reference, max: [1] }
                      i: { type: VARCHAR, generator: choice, values: [a, ~] }
                      j: BIGINT
                      k: { type: 7 }
                      l: { type: BIGINT, generator: 7 }
                      m: { type: DATE, generator: date, start: 2024-02-31 }
                      n: { type: BIGINT, generator: sequence, null_fraction: x }
                """);

        assertThat(e.problems()).containsExactly(
                "sluice.yml:7:7: Cannot read source raw.t column a: type is missing; set type: to a DuckDB type such as BIGINT or VARCHAR",
                "sluice.yml:8:7: Cannot read source raw.t column b: generator is missing (only integer columns default to sequence); "
                        + "set generator: to one of sequence, uniform, choice, date, timestamp, text, reference",
                "sluice.yml:9:37: Cannot read source raw.t column c: unknown generator 'normal'; valid generators are sequence, "
                        + "uniform, choice, date, timestamp, text, reference",
                "sluice.yml:10:46: Cannot read source raw.t column d: unknown key 'mean'; valid keys are type, generator, min, max, "
                        + "values, start, end, null_fraction, prefix, pii, description, mask",
                "sluice.yml:10:7: Cannot read source raw.t column d: generator uniform needs min; set min:",
                "sluice.yml:10:7: Cannot read source raw.t column d: generator uniform needs max; set max:",
                "sluice.yml:11:54: Cannot read source raw.t column e values: expected a list such as [placed, shipped], found a string",
                "sluice.yml:12:7: Cannot read source raw.t column f: values is empty; list at least one value",
                "sluice.yml:13:7: Cannot read source raw.t column g: null_fraction 2 is not a number between 0 and 1",
                "sluice.yml:13:7: Cannot read source raw.t column g: min 9 is above max 1; swap them",
                "sluice.yml:14:53: Cannot read source raw.t column h max: expected a single value, found a list",
                "sluice.yml:15:58: Cannot read source raw.t column i values: expected a number, string or date, found null",
                "sluice.yml:16:10: Cannot read source raw.t column j: expected a map of keys, found a string",
                "sluice.yml:17:18: Cannot read source raw.t column k type: expected a string, found an integer",
                "sluice.yml:18:37: Cannot read source raw.t column l generator: expected a string, found an integer",
                "sluice.yml:19:48: Cannot read source raw.t column m start: '2024-02-31' is shaped like a date (yyyy-MM-dd) but no "
                        + "such day exists; fix the value",
                "sluice.yml:20:7: Cannot read source raw.t column n: null_fraction x is not a number between 0 and 1");
    }

    @Test
    void readsTrackedFilesAndTableSources() {
        Project project = readSources("""
                  raw.events:
                    type: files
                    path: data/*.csv
                    change_detection: manifest
                    content_hash: true
                    on_delete: retract
                  crm.customers:
                    type: table
                    database: data/crm.duckdb
                    table: main.customers
                    watermark: updated_at
                    overlap: 1 hour
                    key: customer_id
                  crm.segments:
                    type: table
                    database: data/crm.duckdb
                    table: segments
                    change_detection: row_hash
                    key: [a, b]
                  crm.plain:
                    type: table
                    database: data/crm.duckdb
                    table: plain
                """);
        SourceSpec.Files files = (SourceSpec.Files) project.sources().get(0).spec();
        assertThat(files.changeDetection()).isEqualTo(SourceSpec.ChangeDetection.MANIFEST);
        assertThat(files.contentHash()).isTrue();
        assertThat(files.onDelete()).isEqualTo(SourceSpec.OnDelete.RETRACT);
        assertThat(project.sources().get(1).spec()).isEqualTo(new SourceSpec.Table(
                dir.toAbsolutePath().resolve("data/crm.duckdb").toString(), "main.customers",
                SourceSpec.TableDetection.WATERMARK, "updated_at", "1 hour", List.of("customer_id")));
        assertThat(((SourceSpec.Table) project.sources().get(2).spec()).detection())
                .isEqualTo(SourceSpec.TableDetection.ROW_HASH);
        assertThat(((SourceSpec.Table) project.sources().get(2).spec()).key()).containsExactly("a", "b");
        assertThat(((SourceSpec.Table) project.sources().get(3).spec()).detection())
                .isEqualTo(SourceSpec.TableDetection.FULL);
    }

    @Test
    void refusesInconsistentTrackingSettings() {
        SluiceException e = failSources("""
                  raw.a:
                    type: files
                    path: data/*.csv
                    on_delete: retract
                  raw.b:
                    type: table
                    table: t
                  raw.c:
                    type: table
                    database: x.duckdb
                    table: t
                    change_detection: watermark
                  raw.d:
                    type: table
                    database: x.duckdb
                    table: t
                    change_detection: row_hash
                  raw.e:
                    type: table
                    database: x.duckdb
                    table: t
                    change_detection: row_hash
                    key: id
                    overlap: 5
                  raw.f:
                    type: table
                    database: x.duckdb
                    table: t
                    change_detection: sometimes
                """);
        assertThat(e.problems()).containsExactly(
                "sluice.yml:6:5: Cannot read source raw.a: on_delete applies only with change_detection: manifest; "
                        + "add it or remove on_delete",
                "sluice.yml:7:3: Cannot read source raw.b: a table source needs database: (a DuckDB file relative to "
                        + "the project folder) and table: (schema.table inside it)",
                "sluice.yml:10:3: Cannot read source raw.c: change_detection: watermark needs watermark: (a "
                        + "monotonic column such as updated_at or an id)",
                "sluice.yml:15:3: Cannot read source raw.d: change_detection: row_hash needs key: (the columns "
                        + "identifying a row)",
                "sluice.yml:26:14: Cannot read source raw.e: overlap applies only with a watermark",
                e.problems().get(5));
        assertThat(e.problems().get(5)).contains("raw.f").contains("sometimes");
    }

    @Test
    void tagsPersonalDataColumnsOfASource() {
        Project project = readSources("""
                  raw.people:
                    type: synthetic
                    rows: 1
                    pii: [email, phone]
                    columns: { email: { type: VARCHAR, generator: text } }
                  raw.one:
                    type: synthetic
                    rows: 1
                    pii: email
                    columns: { email: { type: VARCHAR, generator: text } }
                """);
        assertThat(project.sources().get(0).columns()).containsOnlyKeys("email", "phone")
                .allSatisfy((column, meta) -> assertThat(meta.pii()).isTrue());
        assertThat(project.sources().get(1).columns()).containsOnlyKeys("email");
    }

    @Test
    void tagsPersonalDataAndDescribesColumnsWhereTheyAreDeclared() {
        Project project = readSources("""
                  raw.people:
                    type: synthetic
                    rows: 1
                    columns:
                      id: { type: BIGINT, generator: sequence }
                      email: { type: VARCHAR, generator: text, pii: true, description: Contact address }
                  raw.signups:
                    type: files
                    path: data/signups.csv
                    columns: { phone: { type: VARCHAR, pii: true }, day: DATE }
                """);
        assertThat(project.sources().get(0).columns()).containsOnly(
                org.assertj.core.api.Assertions.entry("email", new ColumnMeta("Contact address", true)));
        assertThat(project.sources().get(1).columns()).containsOnly(
                org.assertj.core.api.Assertions.entry("phone", new ColumnMeta("", true)));
        assertThat(((SourceSpec.Files) project.sources().get(1).spec()).csv().columns())
                .containsExactly(org.assertj.core.api.Assertions.entry("phone", "VARCHAR"),
                        org.assertj.core.api.Assertions.entry("day", "DATE"));
    }

    @Test
    void aCsvColumnDeclaredAsAMappingNeedsAType() {
        assertThat(failSources("""
                  raw.signups:
                    type: files
                    path: data/signups.csv
                    columns: { phone: { pii: true }, day: { type: DATE, size: 3 } }
                """)).hasMessageContaining("Cannot read source raw.signups column phone: type is missing")
                .hasMessageContaining("source raw.signups column day: unknown key 'size'; valid keys are type, pii, "
                        + "description, mask");
    }
}
