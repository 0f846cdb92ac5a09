package dev.sluice.engine.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Copies a query's rows to files as DuckDB's COPY does ({@link SparkDialect#copyToParquet},
 * {@link SparkDialect#copyToCsv}): Spark writes a folder of part files beside the target, which are then moved where
 * Sluice asked: one file at the target, or one file per partition folder ({@code key=value}), named by the copy's
 * pattern ({@code {i}} numbered from 0 in each folder) or Spark's names.
 */
final class SparkCopy {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CODEC = Pattern.compile("(?i)COMPRESSION\\s*'?([a-z0-9_]+)'?");
    private static final Pattern ROW_GROUP = Pattern.compile("(?i)ROW_GROUP_SIZE\\s*(\\d+)");

    private SparkCopy() {
    }

    static void run(SparkSqlSession session, String spec, Dataset<Row> rows) {
        JsonNode copy;
        try {
            copy = JSON.readTree(spec);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path target = Path.of(copy.get("target").asText());
        boolean csv = "csv".equals(copy.get("format").asText());
        List<String> partitions = new ArrayList<>();
        if (copy.has("partitionBy")) {
            copy.get("partitionBy").forEach(column -> partitions.add(column.asText()));
        }
        String pattern = copy.hasNonNull("filenamePattern") ? copy.get("filenamePattern").asText() : null;
        boolean oneFile = !csv && partitions.isEmpty() && pattern == null && !copy.hasNonNull("fileSizeBytes");
        Path scratch = target.resolveSibling("_sluice_copy_" + UUID.randomUUID());
        Dataset<Row> distributed = partitions.isEmpty() ? rows.coalesce(1)
                : rows.repartition(partitions.stream().map(functions::col).toArray(org.apache.spark.sql.Column[]::new));
        DataFrameWriter<Row> writer = distributed.write().mode("overwrite");
        try {
            if (csv) {
                writer.option("header", "true").option("timestampNTZFormat", "yyyy-MM-dd HH:mm:ss[.SSSSSS]")
                        .csv(scratch.toString());
                moveOne(scratch, target, ".csv");
                return;
            }
            String settings = copy.hasNonNull("settings") ? copy.get("settings").asText() : "";
            Matcher codec = CODEC.matcher(settings);
            writer.option("compression", codec.find() ? codec.group(1).toLowerCase(Locale.ROOT) : "snappy");
            Matcher rowGroup = ROW_GROUP.matcher(settings);
            if (rowGroup.find()) {
                // Spark sizes row groups in bytes: about 100 bytes a row is what DuckDB's default rows come to
                writer.option("parquet.block.size", String.valueOf(Long.parseLong(rowGroup.group(1)) * 100));
            }
            if (!partitions.isEmpty()) {
                writer.partitionBy(partitions.toArray(String[]::new));
            }
            writer.parquet(scratch.toString());
            if (oneFile) {
                moveOne(scratch, target, ".parquet");
            } else {
                moveAll(scratch, target, pattern);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            delete(scratch);
        }
    }

    private static void moveOne(Path scratch, Path target, String suffix) throws IOException {
        List<Path> parts = parts(scratch, suffix);
        Files.createDirectories(target.toAbsolutePath().getParent());
        if (parts.isEmpty()) {
            throw new IllegalStateException("Spark wrote no file for " + target);
        }
        Files.move(parts.get(0), target, StandardCopyOption.REPLACE_EXISTING);
    }

    private static void moveAll(Path scratch, Path target, String pattern) throws IOException {
        for (Path part : parts(scratch, ".parquet")) {
            Path folder = target.resolve(scratch.relativize(part.getParent()).toString());
            Files.createDirectories(folder);
            String name = part.getFileName().toString();
            if (pattern != null) {
                int i = 0;
                while (Files.exists(folder.resolve(pattern.replace("{i}", String.valueOf(i)) + ".parquet"))
                        && !Files.isSameFile(folder.resolve(pattern.replace("{i}", String.valueOf(i)) + ".parquet"),
                        part)) {
                    i++;
                }
                name = pattern.replace("{i}", String.valueOf(i)) + ".parquet";
            }
            Files.move(part, folder.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static List<Path> parts(Path folder, String suffix) throws IOException {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk.filter(path -> path.getFileName().toString().startsWith("part-")
                    && path.toString().endsWith(suffix)).sorted().toList();
        }
    }

    private static void delete(Path folder) {
        if (!Files.exists(folder)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a scratch folder beside the target: left for the next copy's owner to see
        }
    }
}
