package dev.sluice.window;

import static java.util.Objects.requireNonNull;

import dev.sluice.project.TimeSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A lateness proposed from measured arrival lags: for each candidate setting, the share of late rows it would have
 * caught, and the smallest setting that catches at least {@link #TARGET} of them. A row whose lag (arrival minus
 * event time) is at most a setting is always caught by it, since its interval ends after its event time: the shares
 * are lower bounds.
 *
 * @param lateRows the late rows measured
 * @param options every candidate setting with the share it catches, smallest first
 * @param recommended the proposed lateness, or null when no late row was measured
 */
public record LatenessRecommendation(long lateRows, List<Option> options, Option recommended) {
    /** The share of late rows a recommended setting must catch. */
    public static final double TARGET = 0.99;

    /** Upper bounds (seconds) of the lag histogram each run records. */
    public static final List<Long> BOUNDS = List.of(60L, 300L, 900L, 3_600L, 7_200L, 21_600L, 43_200L, 86_400L,
            172_800L, 259_200L, 604_800L, 1_209_600L, 2_592_000L, 7_776_000L, 31_536_000L);

    public LatenessRecommendation {
        options = List.copyOf(options);
    }

    /** A candidate lateness and the share of late rows it catches. */
    public record Option(TimeSpan lateness, double shareCaught) {
        public Option {
            requireNonNull(lateness, "lateness");
        }
    }

    /**
     * The recommendation from histograms summed over runs: bound in seconds → late rows with a lag at most that;
     * {@code lateRows} counts every late row, also those beyond the last bound.
     */
    public static LatenessRecommendation of(long lateRows, Map<Long, Long> caughtByBound) {
        List<Option> options = new ArrayList<>();
        Option recommended = null;
        if (lateRows > 0) {
            for (Map.Entry<Long, Long> bound : new TreeMap<>(caughtByBound).entrySet()) {
                Option option = new Option(span(bound.getKey()), (double) bound.getValue() / lateRows);
                options.add(option);
                if (recommended == null && option.shareCaught() >= TARGET) {
                    recommended = option;
                }
            }
        }
        return new LatenessRecommendation(lateRows, options, recommended);
    }

    /** Seconds as the largest unit that divides them: 172800 → 2 days. */
    static TimeSpan span(long seconds) {
        TimeSpan.Unit[] units = {TimeSpan.Unit.WEEK, TimeSpan.Unit.DAY, TimeSpan.Unit.HOUR, TimeSpan.Unit.MINUTE};
        for (TimeSpan.Unit unit : units) {
            if (seconds % unit.seconds() == 0) {
                return new TimeSpan(seconds / unit.seconds(), unit);
            }
        }
        return new TimeSpan(seconds, TimeSpan.Unit.SECOND);
    }
}
