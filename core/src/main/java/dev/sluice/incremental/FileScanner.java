package dev.sluice.incremental;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
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
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Lists the files matching a glob with their metadata, reading no content: the walk starts at the glob's fixed
 * leading folder and stats each match once.
 */
public final class FileScanner {
    private FileScanner() {
    }

    /** Every regular file matching the absolute glob ({@code /data/orders/*.csv}, {@code /data/**}{@code /*.csv}). */
    public static List<FileEntry> scan(String glob) {
        Path base = fixedPrefix(glob);
        if (!Files.isDirectory(base)) {
            return List.of();
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + glob);
        List<FileEntry> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(base)) {
            walk.forEach(path -> {
                if (matcher.matches(path)) {
                    try {
                        BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class,
                                LinkOption.NOFOLLOW_LINKS);
                        if (attributes.isRegularFile()) {
                            files.add(new FileEntry(path.toString(), attributes.size(),
                                    // the catalog keeps microseconds: compare at that precision
                                    attributes.lastModifiedTime().toInstant().truncatedTo(ChronoUnit.MICROS), null));
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        files.sort(java.util.Comparator.comparing(FileEntry::path));
        return files;
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
