package dev.sluice;

import static java.util.Objects.requireNonNull;

/**
 * The measured size and query times of one form of a model's table.
 *
 * @param model the model as {@code schema.name}
 * @param layout {@code csv}, {@code parquet_default} (snappy, no sort, no partitions) or {@code chosen}
 * @param filterMs median milliseconds of a filter on the chosen sort key, or null where not timed
 * @param aggregateMs median milliseconds of a full aggregate, or null where not timed
 */
public record StorageEffect(String model, String layout, long bytes, Double filterMs, Double aggregateMs) {
    public StorageEffect {
        requireNonNull(model, "model");
        requireNonNull(layout, "layout");
    }
}
