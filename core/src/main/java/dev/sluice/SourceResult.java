package dev.sluice;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;

/**
 * One source loaded in a run: rows loaded ({@link #UNCOUNTED} for CSV or JSON files read in place, which a load does
 * not read: counting them would parse every file once more than the models reading them do), lines rejected as
 * corrupt, the error when the load failed, and the results of the source's quality rules on the loaded data.
 */
public record SourceResult(String source, boolean loaded, long rows, long rejected, Duration duration, String error,
        List<QualityResult> quality) {
    /** The rows of a load that did not count them (text files read in place). */
    public static final long UNCOUNTED = -1;

    public SourceResult {
        requireNonNull(source, "source");
        requireNonNull(duration, "duration");
        quality = List.copyOf(quality);
    }

    /** True when the load counted its rows (every load but text files read in place). */
    public boolean counted() {
        return rows != UNCOUNTED;
    }
}
