package dev.sluice;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A lateness proposed for a windowed model from the measured arrival lags of one source it reads. Immutable.
 *
 * @param current the model's lateness now ({@code 3 hours})
 * @param lateRows the late rows measured over all recorded runs
 * @param p50Seconds the highest of the recorded runs' own median lags (likewise p95, p99 and max): the worst run
 * @param options candidate settings, smallest first, each with the share of late rows it would have caught
 * @param recommended the smallest setting catching at least 99% of them, or null when no late row was measured
 */
public record LatenessAdvice(String model, String source, String column, String clock, String current, long lateRows,
        Double p50Seconds, Double p95Seconds, Double p99Seconds, Double maxSeconds, List<Option> options,
        Option recommended) {
    public LatenessAdvice {
        requireNonNull(model, "model");
        requireNonNull(source, "source");
        options = List.copyOf(options);
    }

    /** A candidate lateness ({@code 2 days}) and the share of late rows (0 to 1) it would have caught. */
    public record Option(String lateness, double shareCaught) {
    }
}
