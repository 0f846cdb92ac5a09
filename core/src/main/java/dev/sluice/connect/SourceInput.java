package dev.sluice.connect;

import dev.sluice.catalog.Catalog;
import dev.sluice.incremental.FileEntry;
import dev.sluice.project.Project;
import dev.sluice.project.Source;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one build read of a source, for its lineage record.
 *
 * @param uri where the source is (secrets shown as their placeholders)
 * @param files the files behind a files source's read, at most {@link #MAX_FILES}; empty for other sources
 * @param fileCount how many files, listed or not; null for sources that are not files
 * @param watermark the high-water marks before and after the read's loads; null when not by watermark
 */
public record SourceInput(URI uri, List<File> files, Long fileCount, Long fileBytes, List<String> watermark) {
    /** Files listed per source at most; beyond that the count and total size stand for the rest. */
    public static final int MAX_FILES = 1000;

    public SourceInput {
        files = List.copyOf(files);
    }

    /** A file read, as it was when read; {@code etag} is an S3 object's ETag (null for local files). */
    public record File(String path, long size, String modifiedAt, String etag) {
        public File(String path, long size, String modifiedAt) {
            this(path, size, modifiedAt, null);
        }
    }

    /** What connectors need to describe a read: the project, its catalog, and files listed once per run. */
    public static final class Context {
        private final Project project;
        private final Catalog catalog;
        private final Map<String, List<FileEntry>> scanned = new ConcurrentHashMap<>();

        public Context(Project project, Catalog catalog) {
            this.project = project;
            this.catalog = catalog;
        }

        public Project project() {
            return project;
        }

        public Catalog catalog() {
            return catalog;
        }

        /** The warehouse, where sources without a place of their own are read from. */
        public URI warehouse() {
            return Path.of(project.warehouse().toString()).toUri();
        }

        /** The watermark range of the source's loads after {@code afterRun} up to {@code upToRun}, or null. */
        public List<String> watermarkRange(Source source, Long afterRun, Long upToRun) {
            return catalog.state().watermarkRange(source.qualifiedName(), afterRun == null ? 0 : afterRun,
                    upToRun == null ? Long.MAX_VALUE : upToRun).orElse(null);
        }

        /** The files of an untracked files source, listed once per run: every model reading it reads the same. */
        List<FileEntry> scanned(Source source, java.util.function.Supplier<List<FileEntry>> scan) {
            return scanned.computeIfAbsent(source.qualifiedName(), k -> scan.get());
        }
    }
}
