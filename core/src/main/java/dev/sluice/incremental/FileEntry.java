package dev.sluice.incremental;

import static java.util.Objects.requireNonNull;

import java.time.Instant;

/**
 * A file as change detection sees it: path, size, modification time and, when asked for, a content hash.
 *
 * @param contentHash hex SHA-256 of the content, or null when not computed
 */
public record FileEntry(String path, long size, Instant modifiedAt, String contentHash) {
    public FileEntry {
        requireNonNull(path, "path");
        requireNonNull(modifiedAt, "modifiedAt");
    }

    /** Same size and modification time: by metadata alone, the same file. */
    boolean sameMetadata(FileEntry other) {
        return size == other.size && modifiedAt.equals(other.modifiedAt);
    }
}
