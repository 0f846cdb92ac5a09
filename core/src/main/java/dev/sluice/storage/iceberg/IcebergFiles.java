package dev.sluice.storage.iceberg;

import dev.sluice.engine.Dialect;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.storage.Layout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.PartitionData;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.mapping.NameMapping;
import org.apache.iceberg.parquet.ParquetUtil;
import org.apache.iceberg.types.Types;

/**
 * The data files of an Iceberg table: DuckDB writes them (Parquet, the layout's codec, row groups and file size,
 * grouped by the partition spec's values, sorted), and each becomes an Iceberg {@link DataFile} with the metrics read
 * from its Parquet footer by Iceberg's own reader (column sizes, value and null counts, lower and upper bounds) and
 * its partition read from its rows. The files carry no Iceberg field ids: the table's default name mapping maps
 * their columns, as for files added to a table from elsewhere.
 */
final class IcebergFiles {
    private IcebergFiles() {
    }

    /**
     * Writes the rows of {@code source} (a relation or a parenthesised query of the session, with the model's
     * columns) into new files under {@code folder}, named {@code <prefix>_<n>.parquet}; returns the files written.
     */
    static List<Path> write(Session session, String source, List<IcebergTypes.Column> columns, Schema schema,
            PartitionSpec spec, List<String> sortBy, Layout layout, long estimatedBytes, Path folder, String prefix) {
        List<String> select = new ArrayList<>(List.of(IcebergTypes.written(columns)));
        List<String> values = IcebergLayout.partitionValues(schema, spec);
        List<String> groups = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            String group = Sql.identifier(IcebergLayout.GROUP + i);
            select.add(values.get(i) + " AS " + group);
            groups.add(group);
        }
        String query = "SELECT " + String.join(", ", select) + " FROM " + source + order(sortBy);
        String settings = IcebergLayout.fileSettings(layout);
        try {
            Files.createDirectories(folder);
            if (groups.isEmpty() && estimatedBytes < layout.fileSize()) {
                // one file keeps the query's order
                Path file = folder.resolve(prefix + "_0.parquet");
                session.execute(session.dialect().copyToParquet(query, file,
                        new Dialect.ParquetOptions(settings, List.of())));
                return List.of(file);
            }
            session.execute(session.dialect().copyToParquet(query, folder, new Dialect.ParquetOptions(settings,
                    groups, layout.fileSize(), prefix + "_{i}")));
            List<Path> files = files(folder, prefix);
            if (!groups.isEmpty() && !sortBy.isEmpty()) {
                // DuckDB's partitioned writer does not keep the query's order inside a partition's files
                for (Path file : files) {
                    Path sorted = file.resolveSibling(file.getFileName() + ".sorting");
                    session.execute(session.dialect().copyToParquet("SELECT * FROM " + session.dialect().readParquet(
                            Sql.string(file.toString()), false) + order(sortBy), sorted,
                            new Dialect.ParquetOptions(settings, List.of())));
                    Files.move(sorted, file, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return files;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String order(List<String> sortBy) {
        return sortBy.isEmpty() ? "" : " ORDER BY " + String.join(", ", sortBy.stream().map(Sql::identifier).toList());
    }

    /** The Parquet files named {@code <prefix>_<n>.parquet} under a folder, at any depth, in name order. */
    private static List<Path> files(Path folder, String prefix) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(f -> f.getFileName().toString().startsWith(prefix + "_")
                    && f.getFileName().toString().endsWith(".parquet")).sorted().toList();
        }
    }

    /**
     * The written files as Iceberg data files of a table with {@code schema}, {@code spec} and {@code order}: metrics
     * from each footer under the table's metrics settings, the partition from each file's rows.
     */
    static List<DataFile> dataFiles(Session session, List<Path> files, Schema schema, PartitionSpec spec,
            SortOrder order, Map<String, String> properties, NameMapping mapping, LocalFileIO io) {
        if (files.isEmpty()) {
            return List.of();
        }
        Map<String, PartitionData> partitions = partitions(session, files, schema, spec);
        MetricsConfig metricsConfig = MetricsConfig.from(properties, schema, order);
        List<DataFile> dataFiles = new ArrayList<>();
        for (Path file : files) {
            String location = LocalFileIO.location(file);
            Metrics metrics = metrics(file, metricsConfig, mapping);
            DataFiles.Builder builder = DataFiles.builder(spec).withPath(location).withFormat(FileFormat.PARQUET)
                    .withFileSizeInBytes(file.toFile().length()).withMetrics(metrics);
            if (spec.isPartitioned()) {
                builder.withPartition(partitions.get(file.toAbsolutePath().normalize().toString()));
            }
            if (order.isSorted()) {
                builder.withSortOrder(order);
            }
            dataFiles.add(builder.build());
        }
        return dataFiles;
    }

    /**
     * Iceberg's metrics of a Parquet file from its footer (the metadata before the file's last 8 bytes: its length
     * and {@code PAR1}). Read with Parquet's own footer parser, not through Iceberg's {@code fileMetrics}, whose
     * Hadoop configuration would bring Hadoop onto Sluice's class path for nothing.
     */
    static Metrics metrics(Path file, MetricsConfig config, NameMapping mapping) {
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
            long size = channel.size();
            java.nio.ByteBuffer tail = java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            channel.read(tail, size - 8);
            int length = tail.getInt(0);
            java.nio.ByteBuffer footer = java.nio.ByteBuffer.allocate(length);
            channel.read(footer, size - 8 - length);
            org.apache.parquet.format.FileMetaData metadata = org.apache.parquet.format.Util.readFileMetaData(
                    new java.io.ByteArrayInputStream(footer.array()));
            org.apache.parquet.hadoop.metadata.ParquetMetadata parquet =
                    new org.apache.parquet.format.converter.ParquetMetadataConverter().fromParquetMetadata(metadata);
            return ParquetUtil.footerMetrics(parquet, Stream.empty(), config, mapping);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Each file's partition, keyed by its absolute path: the spec's values of its rows (one partition per file). */
    private static Map<String, PartitionData> partitions(Session session, List<Path> files, Schema schema,
            PartitionSpec spec) {
        Map<String, PartitionData> partitions = new HashMap<>();
        if (!spec.isPartitioned()) {
            return partitions;
        }
        List<String> values = IcebergLayout.partitionValues(schema, spec);
        String list = "[" + String.join(", ", files.stream().map(f -> Sql.string(f.toAbsolutePath().normalize()
                .toString())).toList()) + "]";
        String query = "SELECT filename, " + String.join(", ", values.stream().map(v -> "any_value(" + v + ")")
                .toList()) + " FROM " + session.dialect().readFiles(Dialect.FileFormat.PARQUET, list,
                List.of("filename = true")) + " GROUP BY filename";
        Types.StructType type = spec.partitionType();
        for (List<Object> row : session.query(query).values()) {
            PartitionData partition = new PartitionData(type);
            for (int i = 0; i < values.size(); i++) {
                partition.set(i, IcebergLayout.partitionValue(type.fields().get(i).type(), row.get(i + 1)));
            }
            partitions.put(Path.of((String) row.get(0)).toAbsolutePath().normalize().toString(), partition);
        }
        // a file without rows (an empty output) holds no partition's values: it goes in the null partition
        for (Path file : files) {
            partitions.putIfAbsent(file.toAbsolutePath().normalize().toString(), new PartitionData(type));
        }
        return partitions;
    }
}
