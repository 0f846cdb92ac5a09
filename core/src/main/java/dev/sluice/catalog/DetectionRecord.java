package dev.sluice.catalog;

/** A row of {@code sluice.detections}: what change detection found for one source in one run. */
public record DetectionRecord(long runId, String source, long filesSeen, long newFiles, long modifiedFiles,
        long deletedFiles, long newRows, long changedRows, long retractedRows, String watermarkFrom,
        String watermarkTo, long durationMs, String details) {
}
