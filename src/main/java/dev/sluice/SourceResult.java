package dev.sluice;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/** One source loaded in a run: rows loaded, lines rejected as corrupt, and the error when the load failed. */
public record SourceResult(String source, boolean loaded, long rows, long rejected, Duration duration, String error) {
    public SourceResult {
        requireNonNull(source, "source");
        requireNonNull(duration, "duration");
    }
}
