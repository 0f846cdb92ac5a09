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
 */
public record Decision(Aspect aspect, String choice, boolean pinned, Map<String, Object> inputs, String reason) {
    public Decision {
        requireNonNull(aspect, "aspect");
        requireNonNull(choice, "choice");
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
        requireNonNull(reason, "reason");
    }

    /** What part of the layout a decision is about. */
    public enum Aspect { FORMAT, COMPRESSION, ENCODING, PARTITIONING, SORT, ROW_GROUP, FILE_SIZE, INDEX }
}
