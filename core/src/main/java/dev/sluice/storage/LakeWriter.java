package dev.sluice.storage;

import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import dev.sluice.engine.Dialect;
import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.project.StorageSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Writes a lake output: a new version folder {@code <folder>/run-<id>} of Parquet files (hive partitioning), then
 * the view of the model's name switched to it inside the caller's transaction, so readers see the old version
 * until the commit and the new one after it; older versions are deleted once the switch is committed
 * ({@link LakeVersions}). A write that would not fit on the disk fails before anything is written. The view names
 * its files relative to the project folder (the dialect's projectFile), so a moved project reads its own.
 */
public final class LakeWriter {
    /** Room kept free on top of the estimate: estimates are rough and a full disk breaks more than this run. */
    static final double MARGIN = 1.5;
    /**
     * The least room a write asks for: Parquet footers, folders and the file system's blocks make a tiny output
     * take more than its estimate.
     */
    static final long FLOOR_BYTES = 1L << 20;
    static final String VERSION_PREFIX = "run-";
    /** Files below half the target size one folder may gather from appends before a publish compacts them. */
    static final int COMPACT_AFTER = 8;

    private final FreeSpace freeSpace;
    private final Path projectRoot;

    /** A writer of the lake outputs of the project in {@code projectRoot}. */
    public LakeWriter(FreeSpace freeSpace, Path projectRoot) {
        this.freeSpace = freeSpace;
        this.projectRoot = projectRoot;
    }

    /**
     * Writes {@code source} (a relation of the session) into the new version folder {@code target} (claimed, not
     * existing) with the layout, and points the view {@code view} (schema-qualified, quoted) at it. {@code what}
     * names the model and its file for messages. Returns the new version folder.
     */
    public Path write(Session session, String source, String view, Layout layout, Path target, String what) {
        Path folder = target.getParent();
        checkSpace(needed(layout.estimatedBytes()), folder, what);
        ParquetTypes.checkFits(session, source, ParquetTypes.columns(session, source), what);
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new SluiceException(ErrorCode.RUN_FAILED, e, "Cannot write %s to %s: %s; check the folder's "
                    + "permissions or set storage.path", what, folder, e.getMessage());
        }
        copy(session, source, layout, target, "data");
        switchView(session, source, view, layout, target);
        return target;
    }

    /** Bytes a write of an estimated size asks to be free: the estimate with its margin, at least the floor. */
    static long needed(long estimatedBytes) {
        return Math.max((long) (estimatedBytes * MARGIN), FLOOR_BYTES);
    }

    /**
     * Folds the new rows {@code staging} of an incremental lake output into the new version folder {@code target}
     * (claimed, not existing) and points the view at it: appended rows become new files beside links to the current
     * files, unless a folder has gathered {@link #COMPACT_AFTER} files below half the target size, when everything
     * is rewritten into target-sized files; rows with a {@code mergeKey} replace the rows of the same key, which
     * rewrites the whole output. Without a {@code current} version on record the output is rewritten from its view.
     */
    public Path fold(Session session, String staging, String view, Path current, Layout layout, Path target,
            List<String> mergeKey, String what) {
        List<List<Object>> before = session.query("DESCRIBE " + view).values();
        List<List<Object>> after = session.query("DESCRIBE " + staging).values();
        if (!columns(before).equals(columns(after))) {
            throw new SluiceException(ErrorCode.RUN_FAILED, "its columns changed (%s before, %s now); an "
                    + "incremental lake output keeps its columns: rebuild it with --full-refresh",
                    String.join(", ", columns(before)), String.join(", ", columns(after)));
        }
        boolean rewrite = current == null || !mergeKey.isEmpty()
                || smallFiles(current, layout.fileSize() / 2) + 1 >= COMPACT_AFTER;
        // A rewrite writes the current output with the new rows: its size, not the new rows', decides the files.
        Layout written = rewrite && current != null
                ? layout.withEstimatedBytes(layout.estimatedBytes() + bytes(current)) : layout;
        Path folder = target.getParent();
        checkSpace(needed(written.estimatedBytes()), folder, what);
        ParquetTypes.checkFits(session, staging, ParquetTypes.columns(session, staging), what);
        try {
            Files.createDirectories(target);
            if (rewrite) {
                String kept = mergeKey.isEmpty() ? "" : " WHERE NOT EXISTS (SELECT 1 FROM " + staging + " AS s WHERE "
                        + String.join(" AND ", mergeKey.stream().map(key -> "s." + Sql.identifier(key)
                        + " IS NOT DISTINCT FROM t." + Sql.identifier(key)).toList()) + ")";
                copy(session, "(SELECT * FROM " + view + " AS t" + kept + " UNION ALL SELECT * FROM " + staging
                        + ") AS folded", written, target, "data");
            } else {
                try (Stream<Path> files = Files.walk(current)) {
                    for (Path file : files.filter(Files::isRegularFile).toList()) {
                        Path link = target.resolve(current.relativize(file).toString());
                        Files.createDirectories(link.getParent());
                        link(link, file);
                    }
                }
                // named after the version that appended them: unique among the linked files of earlier appends
                copy(session, staging, layout, target, "part_" + target.getFileName().toString()
                        .substring(VERSION_PREFIX.length()));
            }
        } catch (IOException e) {
            throw new SluiceException(ErrorCode.RUN_FAILED, e, "Cannot write %s to %s: %s; check the folder's "
                    + "permissions or set storage.path", what, folder, e.getMessage());
        }
        switchView(session, staging, view, layout, target);
        return target;
    }

    /** A hard link to a published file (no copy); a copy where the file system has no hard links. */
    static void link(Path link, Path file) throws IOException {
        try {
            Files.createLink(link, file);
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw e;
        } catch (UnsupportedOperationException | java.nio.file.FileSystemException e) {
            Files.copy(file, link);
        }
    }

    private static List<String> columns(List<List<Object>> described) {
        return described.stream().map(row -> row.get(0) + " " + row.get(1)).toList();
    }

    /** The most files below {@code limit} bytes that one folder of a version holds. */
    static long smallFiles(Path version, long limit) {
        try (Stream<Path> files = Files.walk(version)) {
            return files.filter(f -> f.toString().endsWith(".parquet")).filter(f -> f.toFile().length() < limit)
                    .collect(java.util.stream.Collectors.groupingBy(Path::getParent,
                            java.util.stream.Collectors.counting()))
                    .values().stream().mapToLong(Long::longValue).max().orElse(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void checkSpace(long needed, Path folder, String what) {
        long usable = freeSpace.usableBytes(folder);
        if (usable < needed) {
            throw new SluiceException(ErrorCode.RUN_FAILED, "Cannot write %s to %s: its Parquet files need about %s "
                    + "(estimate with a %.0f%% margin), but only %s is free there; free some space or set "
                    + "storage.path to a disk with room. Nothing was written and the published table is unchanged",
                    what, folder, LayoutRules.mib(needed), (MARGIN - 1) * 100, LayoutRules.mib(usable));
        }
    }

    /**
     * Points the view at a version. It lists the model's columns (those of {@code source}) in their order and
     * types ({@link ParquetTypes}): hive partition values come back as text or inferred types, some types come back
     * from Parquet as others, and derived time partitions are not columns of the model. DuckDB percent-encodes a
     * partition column's name in its folder names ({@code odd col} becomes {@code odd%20col}) and reads it back
     * encoded: the view reads the column by the name the scan has.
     */
    private void switchView(Session session, String source, String view, Layout layout, Path version) {
        String scan = scan(session.dialect(),
                session.dialect().projectFile(projectRoot, version.resolve("**").resolve("*.parquet")), layout);
        session.execute("CREATE OR REPLACE VIEW " + view + " AS SELECT " + ParquetTypes.viewed(
                ParquetTypes.columns(session, source), ParquetTypes.scanned(session, scan)) + " FROM " + scan);
    }

    /** {@code %XX} escapes decoded as UTF-8 bytes; everything else (a {@code +} too) as it is. */
    static String percentDecoded(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
            int low = i + 2 < text.length() ? Character.digit(text.charAt(i + 2), 16) : -1;
            if (c == '%' && high >= 0 && low >= 0) {
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Writes {@code source} in the layout into the folder {@code target} (its files, no view), in files named
     * {@code <prefix>_<n>.parquet}, each column in the type that keeps its values exactly
     * ({@link ParquetTypes#written}).
     */
    public static void copy(Session session, String source, Layout layout, Path target, String prefix) {
        List<String> select = new ArrayList<>(List.of(ParquetTypes.written(ParquetTypes.columns(session,
                "SELECT * FROM " + source))));
        for (Partition partition : layout.partitions()) {
            if (partition.grain() != null) {
                select.add(partition.expression() + " AS " + Sql.identifier(partition.name()));
            }
        }
        String query = "SELECT " + String.join(", ", select) + " FROM " + source + order(layout.sortBy());
        if (singleFile(layout)) {
            try {
                Files.createDirectories(target);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            session.execute(session.dialect().copyToParquet(query, target.resolve(prefix + "_0.parquet"),
                    options(layout, null)));
        } else {
            session.execute(session.dialect().copyToParquet(query, target, options(layout, prefix + "_{i}")));
            sortPartitionFiles(session, layout, target, prefix);
        }
    }

    /**
     * DuckDB's partitioned writer does not keep the query's order inside a partition's files: each file written is
     * sorted again on its own (partition columns are not in the files, and constant within one).
     */
    private static void sortPartitionFiles(Session session, Layout layout, Path target, String prefix) {
        List<String> keys = layout.sortBy().stream().filter(key -> layout.partitions().stream()
                .noneMatch(p -> p.grain() == null && p.column().equalsIgnoreCase(key))).toList();
        if (layout.partitions().isEmpty() || keys.isEmpty()) {
            return;
        }
        try (Stream<Path> files = Files.walk(target)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(prefix + "_")
                    && f.toString().endsWith(".parquet")).toList()) {
                Path sorted = file.resolveSibling(file.getFileName() + ".sorting");
                session.execute(session.dialect().copyToParquet("SELECT * FROM "
                        + session.dialect().readParquet(Sql.string(file.toString())) + order(keys), sorted,
                        new Dialect.ParquetOptions(fileOptions(layout), List.of())));
                Files.move(sorted, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An output expected below the target file size is written as one file, which also keeps its order. */
    static boolean singleFile(Layout layout) {
        return layout.partitions().isEmpty() && layout.estimatedBytes() < layout.fileSize();
    }

    /** A scan of every file of a version folder, as written by {@link #copy}, in {@code dialect}. */
    public static String scan(Dialect dialect, Path version, Layout layout) {
        return scan(dialect, Sql.string(version.resolve("**").resolve("*.parquet").toString()), layout);
    }

    /** A scan of the files {@code files} (an SQL expression) names. */
    private static String scan(Dialect dialect, String files, Layout layout) {
        return dialect.readParquet(files, !layout.partitions().isEmpty());
    }

    /**
     * The Parquet options of a layout: its file settings, partitions, and (unless it is one file) the file size
     * and the names of the files ({@code pattern}, null for one file).
     */
    static Dialect.ParquetOptions options(Layout layout, String pattern) {
        List<String> partitionBy = layout.partitions().stream().map(p -> Sql.identifier(p.name())).toList();
        return singleFile(layout) ? new Dialect.ParquetOptions(fileOptions(layout), partitionBy)
                : new Dialect.ParquetOptions(fileOptions(layout), partitionBy, layout.fileSize(), pattern);
    }

    /** The engine's settings of one file in a layout: codec and row groups. */
    public static String fileOptions(Layout layout) {
        List<String> options = new ArrayList<>();
        options.add("COMPRESSION " + layout.codec().name().toLowerCase(Locale.ROOT));
        if (layout.level() != null) {
            options.add("COMPRESSION_LEVEL " + layout.level());
        }
        if (layout.codec() != StorageSpec.Codec.UNCOMPRESSED) {
            options.add("PARQUET_VERSION v2");
        }
        options.add("ROW_GROUP_SIZE " + layout.rowGroupSize());
        return String.join(", ", options);
    }

    static String order(List<String> sortBy) {
        return sortBy.isEmpty() ? "" : " ORDER BY " + String.join(", ", sortBy.stream().map(Sql::identifier).toList());
    }

    /** Bytes of the Parquet files of a version folder. */
    public static long bytes(Path version) {
        try (Stream<Path> files = Files.walk(version)) {
            long total = 0;
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                total += Files.size(file);
            }
            return total;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    /** Per column: codec, compressed and uncompressed bytes of the Parquet files of a version folder. */
    public static Rows columnCompression(Session session, Path version) {
        return session.query(session.dialect().parquetCompressionQuery(),
                version.resolve("**").resolve("*.parquet").toString());
    }
}
