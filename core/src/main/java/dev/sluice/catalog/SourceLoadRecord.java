package dev.sluice.catalog;

/** A row of {@code sluice.source_loads}: one source loaded in one run. */
public record SourceLoadRecord(
        long runId, String source, String status, long rows, long rejected, long durationMs, String error) {
}
