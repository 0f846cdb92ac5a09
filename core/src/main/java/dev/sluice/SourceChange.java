package dev.sluice;

import static java.util.Objects.requireNonNull;

/**
 * What a run would find new or changed in one tracked source, before it runs.
 *
 * @param detection {@code manifest}, {@code watermark} or {@code row_hash}
 * @param summary the counts found (files, rows, watermark range), in words
 */
public record SourceChange(String source, String detection, String summary) {
    public SourceChange {
        requireNonNull(source, "source");
        requireNonNull(detection, "detection");
        requireNonNull(summary, "summary");
    }
}
