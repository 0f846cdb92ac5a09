package dev.sluice.engine.spark;

import dev.sluice.engine.Rows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * Sluice's metadata functions on Spark ({@link SparkStatements#TABLE_BYTES} and the others), answered from Iceberg's
 * table metadata and Parquet's footers, read with Parquet's own reader, where DuckDB answers them in SQL.
 */
final class SparkMetadata {
    private SparkMetadata() {
    }

    static Rows answer(SparkSqlSession session, SparkStatements.Call call) {
        List<String> arguments = call.arguments();
        return switch (call.function()) {
            case SparkStatements.TABLE_BYTES -> session.query("SELECT coalesce(sum(file_size_in_bytes), 0) FROM "
                    + arguments.get(0) + ".files");
            case SparkStatements.COLUMN_CODECS -> columnCodecs(session, arguments.get(0));
            case SparkStatements.PARQUET_CODECS -> parquetCodecs(session, arguments.get(0));
            case SparkStatements.PARQUET_BOUNDS -> parquetBounds(session, arguments.get(0), arguments.get(1));
            case SparkStatements.WAREHOUSE -> new Rows(List.of("path"),
                    List.of(List.of(session.engine().warehouse().toString())));
            default -> throw new IllegalArgumentException("no Sluice function " + call.function());
        };
    }

    private static Rows columnCodecs(SparkSqlSession session, String table) {
        List<String> parts = new ArrayList<>();
        for (String part : table.split("\\.(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)")) {
            parts.add(SparkStatements.unquote(part));
        }
        Table iceberg = session.engine().catalog().loadTable(TableIdentifier.of(parts.toArray(
                String[]::new)));
        String codec = iceberg.properties().getOrDefault(TableProperties.PARQUET_COMPRESSION,
                TableProperties.PARQUET_COMPRESSION_DEFAULT).toUpperCase(java.util.Locale.ROOT);
        List<List<Object>> rows = new ArrayList<>();
        iceberg.schema().columns().forEach(column -> rows.add(List.of(column.name(), codec)));
        return new Rows(List.of("column_name", "compression"), rows);
    }

    private static Rows parquetCodecs(SparkSqlSession session, String glob) {
        Map<String, Object[]> columns = new TreeMap<>();
        for (ParquetMetadata footer : footers(session, glob)) {
            for (BlockMetaData block : footer.getBlocks()) {
                for (ColumnChunkMetaData column : block.getColumns()) {
                    Object[] totals = columns.computeIfAbsent(column.getPath().toDotString(),
                            path -> new Object[] {new TreeSet<String>(), 0L, 0L});
                    @SuppressWarnings("unchecked")
                    TreeSet<String> codecs = (TreeSet<String>) totals[0];
                    codecs.add(column.getCodec().name());
                    totals[1] = (Long) totals[1] + column.getTotalSize();
                    totals[2] = (Long) totals[2] + column.getTotalUncompressedSize();
                }
            }
        }
        List<List<Object>> rows = new ArrayList<>();
        columns.forEach((path, totals) -> {
            @SuppressWarnings("unchecked")
            TreeSet<String> codecs = (TreeSet<String>) totals[0];
            rows.add(List.of(path, String.join(",", codecs), totals[1], totals[2]));
        });
        return new Rows(List.of("path_in_schema", "compression", "compressed", "uncompressed"), rows);
    }

    private static Rows parquetBounds(SparkSqlSession session, String glob, String column) {
        List<List<Object>> rows = new ArrayList<>();
        for (ParquetMetadata footer : footers(session, glob)) {
            for (BlockMetaData block : footer.getBlocks()) {
                for (ColumnChunkMetaData chunk : block.getColumns()) {
                    if (chunk.getPath().toDotString().toLowerCase(java.util.Locale.ROOT).equals(column)) {
                        var statistics = chunk.getStatistics();
                        boolean known = statistics != null && statistics.hasNonNullValue();
                        rows.add(java.util.Arrays.asList(known ? statistics.minAsString() : null,
                                known ? statistics.maxAsString() : null));
                    }
                }
            }
        }
        return new Rows(List.of("stats_min_value", "stats_max_value"), rows);
    }

    /** The footers of the Parquet files {@code glob} names (folders read whole), in path order. */
    private static List<ParquetMetadata> footers(SparkSqlSession session, String glob) {
        Configuration conf = session.spark().sparkContext().hadoopConfiguration();
        List<ParquetMetadata> footers = new ArrayList<>();
        try {
            Path pattern = new Path(glob);
            FileSystem fs = pattern.getFileSystem(conf);
            FileStatus[] matched = fs.globStatus(pattern);
            List<Path> files = new ArrayList<>();
            for (FileStatus status : matched == null ? new FileStatus[0] : matched) {
                collect(fs, status, files);
            }
            files.sort(null);
            for (Path file : files) {
                try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
                    footers.add(reader.getFooter());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return footers;
    }

    private static void collect(FileSystem fs, FileStatus status, List<Path> files) throws IOException {
        if (status.isDirectory()) {
            for (FileStatus child : fs.listStatus(status.getPath())) {
                collect(fs, child, files);
            }
        } else if (status.getPath().getName().endsWith(".parquet")) {
            files.add(status.getPath());
        }
    }
}
