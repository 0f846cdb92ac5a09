package dev.sluice.catalog;

import java.time.LocalDateTime;

/** A row of {@code sluice.file_manifest}: a file as a source last read it. */
public record ManifestRecord(String source, String path, long size, LocalDateTime modifiedAt, String contentHash,
        long rowCount, long runId) {
}
