package dev.sluice.storage;

import static java.util.Objects.requireNonNull;

import dev.sluice.project.StorageSpec;
import java.util.List;

/**
 * The storage layout chosen for one output, with the decisions that made it.
 *
 * @param codec the Parquet codec (lake outputs; null for the warehouse, where DuckDB compresses each segment)
 * @param level the codec level, or null for codecs without levels
 * @param partitions the hive partition columns of a lake output, outermost first; empty for none
 * @param sortBy the columns rows are ordered by before writing; empty to keep the query's order
 * @param rowGroupSize rows per Parquet row group
 * @param fileSize the target bytes per Parquet file
 * @param index the columns of an ART index to keep on a warehouse table; empty for none
 * @param estimatedBytes the estimated size of a lake output after compression
 */
public record Layout(StorageSpec.Format format, StorageSpec.Codec codec, Integer level, List<Partition> partitions,
        List<String> sortBy, long rowGroupSize, long fileSize, List<String> index, long estimatedBytes,
        List<Decision> decisions) {
    public Layout {
        requireNonNull(format, "format");
        partitions = List.copyOf(partitions);
        sortBy = List.copyOf(sortBy);
        index = List.copyOf(index);
        decisions = List.copyOf(decisions);
    }

    /** Warnings about the decisions (a pinned partition column that makes small files), in decision order. */
    public List<String> warnings() {
        return decisions.stream().map(d -> d.inputs().get(LayoutRules.WARNING)).filter(java.util.Objects::nonNull)
                .map(Object::toString).toList();
    }

    /** This layout for an output of another estimated size, such as a whole lake output rewritten with new rows. */
    public Layout withEstimatedBytes(long bytes) {
        return new Layout(format, codec, level, partitions, sortBy, rowGroupSize, fileSize, index, bytes, decisions);
    }
}
