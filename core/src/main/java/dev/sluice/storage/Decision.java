package dev.sluice.storage;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One layout choice with what it was made from and why, as {@code sluice storage} explains it.
 *
 * @param choice the choice in words ({@code zstd level 3}, {@code region, order_date}, {@code none})
 * @param pinned true when the model's front matter fixed it
 * @param inputs the statistics and settings the rule read, by name
 * @param reason one sentence saying why
 * @param trial what a candidate layout measured on a sample (decisions of aspect {@link Aspect#CANDIDATE}); null for
 *     the others
 */
public record Decision(Aspect aspect, String choice, boolean pinned, Map<String, Object> inputs, String reason,
        Trial trial) {
    public Decision {
        requireNonNull(aspect, "aspect");
        requireNonNull(choice, "choice");
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        requireNonNull(reason, "reason");
    }

    /** A decision made by a rule, without a measurement of its own. */
    public Decision(Aspect aspect, String choice, boolean pinned, Map<String, Object> inputs, String reason) {
        this(aspect, choice, pinned, inputs, reason, null);
    }

    /**
     * A candidate layout's measurement on the sample.
     *
     * @param bytes the candidate's bytes on the sample
     * @param filterMs the median time of a filter on the sample in it, or null when no downstream model filters
     * @param cost the stated cost compared between candidates (lowest wins)
     */
    public record Trial(long bytes, Double filterMs, double cost) {
    }

    /** What part of the layout a decision is about; a candidate is a layout tried on a sample. */
    public enum Aspect { FORMAT, COMPRESSION, ENCODING, PARTITIONING, SORT, ROW_GROUP, FILE_SIZE, INDEX, CANDIDATE }
}
