package dev.sluice.incremental;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.temporal.ChronoUnit;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveTask;

/**
 * Lists the files matching a glob with their metadata, reading no content: the walk starts at the glob's fixed
 * leading folder and stats each entry once.
 */
public final class FileScanner {
    private static final Comparator<FileEntry> BY_PATH = Comparator.comparing(FileEntry::path);

    private FileScanner() {
    }

    /**
     * Every regular file matching the absolute glob ({@code /data/orders/*.csv}, {@code /data/**}{@code /*.csv}),
     * sorted by path. Folders are listed in parallel (a million files in thousands of folders is mostly system calls,
     * which overlap), each on a fork/join task of its own.
     */
    public static List<FileEntry> scan(String glob) {
        Path base = fixedPrefix(glob);
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        List<FileEntry> files = new ArrayList<>();
        // Threads beyond the cores: listing and stat calls wait on the file system (the common pool has cores - 1).
        ForkJoinPool pool = new ForkJoinPool(Math.min(16, 4 * Runtime.getRuntime().availableProcessors()));
        try {
            pool.invoke(new Folder(base, matcher)).forEach(files::addAll);
        } finally {
            pool.shutdown();
        }
        // Each folder's files came sorted (on the pool): merging those runs is a fraction of a full sort.
        files.sort(BY_PATH);
        return files;
    }

    /** Lists one folder: its matching files, and its subfolders as tasks forked beside it. */
    private static final class Folder extends RecursiveTask<List<List<FileEntry>>> {
        private final Path folder;
        private final PathMatcher matcher;

        Folder(Path folder, PathMatcher matcher) {
            this.folder = folder;
            this.matcher = matcher;
        }

        @Override
        protected List<List<FileEntry>> compute() {
            List<FileEntry> found = new ArrayList<>();
            List<Folder> below = new ArrayList<>();
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
                for (Path path : entries) {
                    BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS);
                    if (attributes.isDirectory()) {
                        Folder task = new Folder(path, matcher);
                        task.fork();
                        below.add(task);
                    } else if (attributes.isRegularFile() && matcher.matches(path)) {
                        found.add(new FileEntry(path.toString(), attributes.size(),
                                // the catalog keeps microseconds: compare at that precision
                                attributes.lastModifiedTime().toInstant().truncatedTo(ChronoUnit.MICROS), null));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            found.sort(BY_PATH);
            List<List<FileEntry>> all = new ArrayList<>();
            all.add(found);
            for (Folder task : below) {
                all.addAll(task.join());
            }
            return all;
        }
    }

    /** The folders of the glob before its first wildcard. */
    static Path fixedPrefix(String glob) {
        Path path = Path.of(glob);
        Path prefix = path.getRoot() == null ? Path.of("") : path.getRoot();
        for (Path part : path) {
            if (part.toString().matches(".*[*?\\[{].*")) {
                break;
            }
            prefix = prefix.resolve(part);
        }
        return prefix.equals(path) ? path.getParent() : prefix;
    }

    /** Hex SHA-256 of a file's content: read only when a source opts into content hashing. */
    public static String contentHash(String file) {
        try (InputStream in = Files.newInputStream(Path.of(file))) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                digest.update(buffer, 0, read);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
