package dev.sluice.engine.spark;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.Dialect;
import dev.sluice.engine.Engine;
import dev.sluice.engine.EngineOptions;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.engine.duckdb.DuckDbEngineFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A files source read by Spark gives the rows DuckDB reads, for each format the files connector reads, with the
 * reader options the connector passes (CSV sniffed with a header, Parquet and JSON matched by name): compared row by
 * row, with their Java types.
 */
class SparkFilesIT {
    @TempDir
    static Path dir;
    private static Engine spark;
    private static Engine duckDb;
    private static Session onSpark;
    private static Session onDuckDb;

    @BeforeAll
    static void open() {
        System.setProperty(SparkSettings.MASTER_PROPERTY, "local[2]");
        spark = new SparkEngineFactory().open(EngineOptions.inMemory(List.of(dir)));
        duckDb = new DuckDbEngineFactory().open(EngineOptions.inMemory(List.of(dir)));
        onSpark = spark.session();
        onDuckDb = duckDb.session();
    }

    @AfterAll
    static void close() {
        onSpark.close();
        onDuckDb.close();
        spark.close();
        duckDb.close();
    }

    private static List<List<Object>> both(String select, Dialect.FileFormat format, Path file, List<String> options) {
        List<List<Object>> sparkRows = onSpark.query(select + " FROM " + onSpark.dialect().readFiles(format,
                Sql.string(file.toString()), options) + " ORDER BY 1").values();
        List<List<Object>> duckDbRows = onDuckDb.query(select + " FROM " + onDuckDb.dialect().readFiles(format,
                Sql.string(file.toString()), options) + " ORDER BY 1").values();
        assertThat(sparkRows).isEqualTo(duckDbRows);
        return sparkRows;
    }

    @Test
    void csvWithAHeaderIsSniffedAlike() throws IOException {
        Path csv = Files.writeString(dir.resolve("orders.csv"), "order_id,amount,status\n1,10.5,placed\n"
                + "2,,\"shipped, late\"\n3,7,cancelled\n");
        List<List<Object>> rows = both("SELECT order_id, amount, status", Dialect.FileFormat.CSV, csv,
                List.of("header = true", "quote = '\"'", "escape = '\"'", "union_by_name = true"));
        assertThat(rows).containsExactly(List.of(1L, 10.5, "placed"), java.util.Arrays.asList(2L, null,
                "shipped, late"), List.of(3L, 7.0, "cancelled"));
    }

    @Test
    void parquetIsReadAlike() {
        Path parquet = dir.resolve("items.parquet");
        onDuckDb.execute(onDuckDb.dialect().copyToParquet("SELECT range AS item_id, 'item ' || range AS name, "
                + "CAST(range AS DECIMAL(10,2)) / 4 AS price FROM range(100)", parquet,
                Dialect.ParquetOptions.defaults()));
        List<List<Object>> rows = both("SELECT item_id, name, price", Dialect.FileFormat.PARQUET, parquet,
                List.of("union_by_name = true"));
        assertThat(rows).hasSize(100);
    }

    @Test
    void newlineDelimitedJsonIsReadAlike() throws IOException {
        Path json = Files.writeString(dir.resolve("events.json"), "{\"id\": 2, \"name\": \"b\", \"score\": 0.5}\n"
                + "{\"id\": 1, \"name\": \"a\", \"score\": 2.5}\n{\"id\": 3, \"name\": null, \"score\": 1.0}\n");
        List<List<Object>> rows = both("SELECT id, name, score", Dialect.FileFormat.JSON, json,
                List.of("format = 'auto'", "union_by_name = true"));
        assertThat(rows).extracting(row -> row.get(0)).containsExactly(1L, 2L, 3L);
    }
}
