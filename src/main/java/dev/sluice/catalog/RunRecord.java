package dev.sluice.catalog;

import java.time.LocalDateTime;

/** A row of {@code sluice.runs}. {@code finishedAt} is null while the run goes on (or when it was killed). */
public record RunRecord(
        long runId,
        LocalDateTime startedAt,
        LocalDateTime finishedAt,
        String status,
        String command,
        String args,
        String engineVersion,
        String host,
        long pid) {
}
