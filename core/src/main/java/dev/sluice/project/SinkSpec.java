package dev.sluice.project;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Where a model's published result is also written ({@code sink:} in its front matter), after the warehouse
 * publish, which stays the source of truth.
 *
 * @param mode how the target table follows the model: replaced whole, or merged by {@code key}
 * @param key the columns identifying a row in the target, for {@link Mode#MERGE}; empty for {@link Mode#REPLACE}
 * @param settings the sink type's own settings (connection, target table, retries)
 * @param location where the front matter declares the sink
 */
public record SinkSpec(Mode mode, List<String> key, SinkSettings settings, Location location) {
    /** Keys every sink has, read by Sluice itself; the sink type reads the others. */
    public static final List<String> COMMON_KEYS = List.of("type", "mode", "key");

    public SinkSpec {
        requireNonNull(mode, "mode");
        key = List.copyOf(key);
        requireNonNull(settings, "settings");
        requireNonNull(location, "location");
        if (mode == Mode.MERGE && key.isEmpty()) {
            throw new IllegalArgumentException("a merging sink needs a key");
        }
    }

    /** How the target table follows the model. */
    public enum Mode {
        /** Every write replaces the target table whole (staged, then swapped in one transaction). */
        REPLACE,
        /** An incremental build's rows are merged into the target by key; a full build syncs it by key. */
        MERGE
    }
}
