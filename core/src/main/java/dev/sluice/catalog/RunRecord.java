package dev.sluice.catalog;

import java.time.LocalDateTime;

/**
 * A row of {@code sluice.runs}. {@code finishedAt} is null while the run goes on (or when it was killed); {@code
 * schedule} names the schedule that started it, null for a run started by hand.
 */
public record RunRecord(
        long runId,
        LocalDateTime startedAt,
        LocalDateTime finishedAt,
        String status,
        String command,
        String args,
        String engineVersion,
        String host,
        long pid,
        String schedule) {
    /** A run no schedule started. */
    public RunRecord(long runId, LocalDateTime startedAt, LocalDateTime finishedAt, String status, String command,
            String args, String engineVersion, String host, long pid) {
        this(runId, startedAt, finishedAt, status, command, args, engineVersion, host, pid, null);
    }
}
