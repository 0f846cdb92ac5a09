package dev.sluice.connect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.SluiceException;
import dev.sluice.engine.Dialect;
import dev.sluice.engine.duckdb.DuckDbDialect;
import dev.sluice.engine.duckdb.DuckDbEngine;
import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import dev.sluice.project.Location;
import dev.sluice.project.Source;
import dev.sluice.project.SourceSpec;
import dev.sluice.project.SourceSpec.SyntheticColumn;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceSqlTest {
    private static final Dialect DIALECT = DuckDbDialect.INSTANCE;

    @TempDir
    Path dir;

    private static Source source(SourceSpec spec) {
        return new Source("raw", "t", spec, Map.of(), new Location(Path.of("sluice.yml"), 3, 3), List.of());
    }

    private static Source synthetic(long seed, SyntheticColumn... columns) {
        return source(new SourceSpec.Synthetic(1000, seed, List.of(columns)));
    }

    private static Rows read(Source source, String query) {
        try (DuckDbEngine engine = DuckDbEngine.inMemory(); Session session = engine.session()) {
            return session.query(query.replace("$SOURCE", "(" + SourceSql.select(session.dialect(), source) + ")"));
        }
    }

    @Test
    void syntheticDataIsDeterministicPerSeed() {
        SyntheticColumn amount = new SyntheticColumn("amount", "DECIMAL(10,2)", "uniform", Map.of("min", 1, "max", 500));
        String sum = "SELECT sum(amount) FROM $SOURCE";
        Object first = read(synthetic(1, amount), sum).single();
        assertThat(read(synthetic(1, amount), sum).single()).isEqualTo(first);
        assertThat(read(synthetic(2, amount), sum).single()).isNotEqualTo(first);
    }

    @Test
    void generatorsStayWithinTheirBounds() {
        Source source = synthetic(5,
                new SyntheticColumn("id", "BIGINT", "sequence", Map.of("start", 10)),
                new SyntheticColumn("qty", "INTEGER", "uniform", Map.of("min", 1, "max", 3)),
                new SyntheticColumn("ref", "BIGINT", "reference", Map.of("max", 50)),
                new SyntheticColumn("status", "VARCHAR", "choice", Map.of("values", List.of("a", "b'c"))),
                new SyntheticColumn("day", "DATE", "date", Map.of("start", "2024-01-01", "end", "2024-01-31")),
                new SyntheticColumn("happened", "TIMESTAMP", "timestamp",
                        Map.of("start", "2024-01-01 00:00:00", "end", "2024-01-02 00:00:00")),
                new SyntheticColumn("name", "VARCHAR", "text", Map.of("prefix", "n_", "max", 10)),
                new SyntheticColumn("maybe", "DOUBLE", "uniform", Map.of("min", 0, "max", 1, "null_fraction", 0.5)));
        Rows rows = read(source, "SELECT min(id), max(id), min(qty), max(qty), min(ref), max(ref), "
                + "count(DISTINCT status), min(day), max(day), count(DISTINCT name), count(maybe), "
                + "bool_and(status IN ('a', 'b''c')), bool_and(starts_with(name, 'n_')), "
                + "min(happened) >= TIMESTAMP '2024-01-01', max(happened) <= TIMESTAMP '2024-01-02' FROM $SOURCE");
        List<Object> row = rows.values().get(0);
        assertThat(row.subList(0, 7)).containsExactly(10L, 1009L, 1, 3, 1L, 50L, 2L);
        assertThat((LocalDate) row.get(7)).isAfterOrEqualTo(LocalDate.of(2024, 1, 1));
        assertThat((LocalDate) row.get(8)).isBeforeOrEqualTo(LocalDate.of(2024, 1, 31));
        assertThat((Long) row.get(9)).isLessThanOrEqualTo(10);
        assertThat((Long) row.get(10)).isBetween(400L, 600L);
        assertThat(row.subList(11, 15)).containsOnly(true);
    }

    @Test
    void badGeneratorOptionsNameTheSourceAndColumn() {
        assertThatThrownBy(() -> SourceSql.select(DIALECT, synthetic(1, new SyntheticColumn("c", "INT", "uniform", Map.of()))))
                .isInstanceOf(SluiceException.class)
                .hasMessage("Cannot generate source raw.t column 'c' (sluice.yml:3:3): generator 'uniform' needs 'max'");
        assertThatThrownBy(() -> SourceSql.select(DIALECT, synthetic(1,
                new SyntheticColumn("c", "INT", "uniform", Map.of("min", 5, "max", 1)))))
                .hasMessageContaining("'max' 1 is below 'min' 5");
        assertThatThrownBy(() -> SourceSql.select(DIALECT, synthetic(1,
                new SyntheticColumn("c", "INT", "uniform", Map.of("max", "lots")))))
                .hasMessageContaining("'max' must be a number, not 'lots'");
        assertThatThrownBy(() -> SourceSql.select(DIALECT, synthetic(1, new SyntheticColumn("c", "INT", "choice", Map.of()))))
                .hasMessageContaining("needs a non-empty list 'values'");
        assertThatThrownBy(() -> SourceSql.select(DIALECT, synthetic(1, new SyntheticColumn("c", "DATE", "date", Map.of()))))
                .hasMessageContaining("generator 'date' needs 'start'");
        assertThatThrownBy(() -> SourceSql.select(DIALECT, synthetic(1, new SyntheticColumn("c", "INT", "gaussian", Map.of()))))
                .hasMessageContaining("unknown generator 'gaussian'; use one of sequence");
    }

    @Test
    void readsCsvWithOptionsAndKeepsRejectedLines() throws Exception {
        Path csv = dir.resolve("data.csv");
        Files.writeString(csv, "id;amount\n1;2.5\n2;oops\n3;4\n");
        Map<String, String> columns = new LinkedHashMap<>();
        columns.put("id", "BIGINT");
        columns.put("amount", "DOUBLE");
        Source source = source(SourceSpec.Files.full(csv.toString(), SourceSpec.FileFormat.CSV,
                new SourceSpec.CsvOptions(";", true, "\"", "%Y-%m-%d", columns), 0.5));
        try (DuckDbEngine engine = DuckDbEngine.inMemory(); Session session = engine.session()) {
            Rows rows = session.query(SourceSql.select(session.dialect(), source, "rej") + " ORDER BY id");
            assertThat(rows.values()).containsExactly(List.of(1L, 2.5), List.of(3L, 4.0));
            assertThat(session.query("SELECT line FROM rej_errors").singleLong()).isEqualTo(3);
        }
    }

    @Test
    void readsParquetAndJson() throws Exception {
        Path parquet = dir.resolve("a.parquet");
        Path json = dir.resolve("a.ndjson");
        Files.writeString(json, "{\"id\": 1}\n{\"id\": 2}\n");
        try (DuckDbEngine engine = DuckDbEngine.inMemory(); Session session = engine.session()) {
            session.execute("COPY (SELECT 7 AS id) TO '" + parquet + "' (FORMAT parquet)");
            Source fromParquet = source(SourceSpec.Files.full(parquet.toString(), SourceSpec.FileFormat.PARQUET,
                    SourceSpec.CsvOptions.detect(), 0));
            Source fromJson = source(SourceSpec.Files.full(json.toString(), SourceSpec.FileFormat.JSON,
                    SourceSpec.CsvOptions.detect(), 0));
            assertThat(session.query(SourceSql.select(session.dialect(), fromParquet)).singleLong()).isEqualTo(7);
            assertThat(session.query("SELECT sum(id) FROM (" + SourceSql.select(session.dialect(), fromJson) + ")").singleLong())
                    .isEqualTo(3);
        }
    }
}
