package dev.sluice.catalog;

/** A row of {@code sluice.source_loads}: one source loaded in one run; {@code rows} null when not counted. */
public record SourceLoadRecord(
        long runId, String source, String status, Long rows, long rejected, long durationMs, String error) {

    /** A load that counted its rows. */
    public SourceLoadRecord(long runId, String source, String status, long rows, long rejected, long durationMs,
            String error) {
        this(runId, source, status, Long.valueOf(rows), rejected, durationMs, error);
    }
}
