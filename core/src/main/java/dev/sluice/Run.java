package dev.sluice;

import static java.util.Objects.requireNonNull;

import java.time.LocalDateTime;

/**
 * One command that ran on a warehouse (run, test, backfill, optimize...), as the catalog keeps it. Immutable.
 *
 * @param finishedAt null while the run goes on, or when it was killed
 * @param status {@code running}, {@code success}, {@code failed} or {@code killed}
 * @param args the command's arguments as recorded (var values included, secrets never)
 * @param schedule the schedule of sluice.yml that started the run, or null for a run started by hand (or by an
 *     external scheduler)
 */
public record Run(long runId, LocalDateTime startedAt, LocalDateTime finishedAt, String status, String command,
        String args, String engineVersion, String host, long pid, String schedule) {
    public Run {
        requireNonNull(status, "status");
        requireNonNull(command, "command");
    }

    /** A run no schedule started. */
    public Run(long runId, LocalDateTime startedAt, LocalDateTime finishedAt, String status, String command,
            String args, String engineVersion, String host, long pid) {
        this(runId, startedAt, finishedAt, status, command, args, engineVersion, host, pid, null);
    }
}
