package dev.sluice;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * One source loaded in a run: rows loaded, lines rejected as corrupt, the error when the load failed, and the
 * results of the source's quality rules on the loaded data.
 */
public record SourceResult(String source, boolean loaded, long rows, long rejected, Duration duration, String error,
        List<QualityResult> quality) {
    public SourceResult {
        requireNonNull(source, "source");
        requireNonNull(duration, "duration");
        quality = List.copyOf(quality);
    }
}
