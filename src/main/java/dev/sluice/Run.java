package dev.sluice;

import static java.util.Objects.requireNonNull;

import java.time.LocalDateTime;

/**
 * One command that ran on a warehouse (run, test, backfill, optimize...), as the catalog keeps it. Immutable.
 *
 * @param finishedAt null while the run goes on, or when it was killed
 * @param status {@code running}, {@code success}, {@code failed} or {@code killed}
 * @param args the command's arguments as recorded (var values included, secrets never)
 */
public record Run(long runId, LocalDateTime startedAt, LocalDateTime finishedAt, String status, String command,
        String args, String engineVersion, String host, long pid) {
    public Run {
        requireNonNull(status, "status");
        requireNonNull(command, "command");
    }
}
