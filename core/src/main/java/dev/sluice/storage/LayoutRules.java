package dev.sluice.storage;

import dev.sluice.project.StorageSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The layout rules: pure functions from a table's statistics, the model's pins, the project's own queries and the
 * target file size to a {@link Layout}, each choice recorded as a {@link Decision} with its inputs and reason.
 * Stateless and thread-safe.
 */
public final class LayoutRules {
    /**
     * Below this many uncompressed bytes a table is tiny: a few pages, where a codec saves a few kilobytes and
     * costs decoding on every read, and sorting or partitioning buys no pruning.
     */
    static final long TINY_BYTES = 64L << 10;
    /** The input of a decision that holds a warning about it, for the build to report. */
    static final String WARNING = "warning";
    /** A column holding at most this many distinct values (or at most 1% distinct) is low-cardinality. */
    static final long LOW_CARDINALITY = 1_000;
    /** A partition column must not give one value more than this share of the rows. */
    static final double SKEW_LIMIT = 0.5;
    /** Partitions averaging below this fraction of the target file size are too small. */
    static final double SMALL_PARTITION = 0.5;
    /** DuckDB's row group size in the warehouse, and its Parquet default. */
    static final long DUCKDB_ROW_GROUP = 122_880;
    static final int MAX_SORT_KEYS = 3;

    private LayoutRules() {
    }

    /**
     * What the optimiser reads besides the statistics.
     *
     * @param filterUses column → how many predicates of downstream models filter on it
     * @param lookupKey the unique key a merge or delete+insert model looks rows up by; empty otherwise
     * @param targetFileSize bytes per Parquet file the project aims at
     * @param appended true for an incremental lake output, whose later builds add files to its folders
     */
    public record Context(Map<String, Integer> filterUses, List<String> lookupKey, long targetFileSize,
            boolean appended) {
        public Context {
            filterUses = Map.copyOf(filterUses);
            lookupKey = List.copyOf(lookupKey);
        }

        /** The settings of an output rewritten whole by each build. */
        public Context(Map<String, Integer> filterUses, List<String> lookupKey, long targetFileSize) {
            this(filterUses, lookupKey, targetFileSize, false);
        }
    }

    /** The layout for a table with these statistics, filling what {@code spec} does not pin. */
    public static Layout decide(TableStats stats, StorageSpec spec, Context context) {
        List<Decision> decisions = new ArrayList<>();
        StorageSpec.Format format = spec.effectiveFormat();
        boolean lake = format.lake();
        boolean optimize = spec.optimize();
        boolean tiny = stats.bytes() < TINY_BYTES;
        decisions.add(new Decision(Decision.Aspect.FORMAT, lower(format), spec.format() != null, Map.of(),
                lake ? "the model declares format: " + lower(format) + "; it is written to a lake folder and read through a view"
                        : "DuckDB warehouse table (the default)"));

        StorageSpec.Codec codec = null;
        Integer level = null;
        if (lake) {
            Decision compression = compression(stats, spec, tiny);
            decisions.add(compression);
            codec = StorageSpec.Codec.valueOf(compression.choice().split(" ")[0].toUpperCase(Locale.ROOT));
            level = compression.choice().contains(" level ") ? Integer.valueOf(compression.choice()
                    .substring(compression.choice().lastIndexOf(' ') + 1)) : null;
        } else {
            decisions.add(new Decision(Decision.Aspect.COMPRESSION, "duckdb lightweight", false, Map.of(),
                    "DuckDB compresses each column segment of a warehouse table itself (dictionary, FSST, RLE, "
                            + "bit-packing, ALP) and picks per segment; what it picked is read back after the build"));
        }
        if (optimize) {
            decisions.addAll(encodings(stats, lake));
        }
        long estimated = estimateBytes(stats, codec);

        List<Partition> partitions = List.of();
        if (lake) {
            PartitionRules.PartitionChoice choice = PartitionRules.partitioning(stats, spec, context, estimated,
                    optimize);
            partitions = choice.partitions();
            decisions.add(choice.decision());
        }

        List<String> sortBy = sortOrder(stats, spec, context, partitions, tiny, optimize, lake, decisions);

        long fileSize = context.targetFileSize();
        boolean severalFiles = !partitions.isEmpty() || estimated >= fileSize;
        long rowGroup = rowGroupSize(stats, spec, context, lake, tiny, !sortBy.isEmpty() && severalFiles, decisions);
        if (lake) {
            long files = Math.max(1, (estimated + fileSize - 1) / fileSize);
            decisions.add(new Decision(Decision.Aspect.FILE_SIZE, mib(fileSize), false, inputs("estimated_bytes",
                    estimated, "target_file_size", fileSize), String.format(Locale.ROOT, "files are cut at the "
                    + "project's target size (defaults target_file_size); about %s compressed make %d file(s)%s",
                    mib(estimated), files, partitions.isEmpty() ? "" : " before partitioning")));
        }

        List<String> index = List.of();
        if (!lake && optimize) {
            if (!context.lookupKey().isEmpty() && !tiny) {
                index = context.lookupKey();
                decisions.add(new Decision(Decision.Aspect.INDEX, "art on " + String.join(", ", index), false,
                        inputs("unique_key", index), "the model merges new rows by this key: an ART index serves the "
                        + "lookups of each merge"));
            } else {
                decisions.add(new Decision(Decision.Aspect.INDEX, "none", false, inputs("unique_key",
                        context.lookupKey()), context.lookupKey().isEmpty() ? "no unique key is used for lookups; the "
                        + "zone maps of the sort order serve scans, and an index would only cost writes and memory"
                        : "the table is tiny: a scan is as fast as an index lookup"));
            }
        }
        return new Layout(format, codec, level, partitions, sortBy, rowGroup, fileSize, index, estimated, decisions);
    }

    private static Decision compression(TableStats stats, StorageSpec spec, boolean tiny) {
        StorageSpec.Access access = spec.access() == null ? StorageSpec.Access.COLD : spec.access();
        double floatShare = stats.rowWidth() == 0 ? 0 : stats.columns().stream().filter(ColumnStats::floating)
                .mapToDouble(ColumnStats::averageWidth).sum() / stats.rowWidth();
        Map<String, Object> inputs = inputs("bytes", stats.bytes(), "access", lower(access), "float_share",
                round(floatShare));
        if (spec.compression() != null) {
            String level = spec.compressionLevel() == null ? "" : " level " + spec.compressionLevel();
            return new Decision(Decision.Aspect.COMPRESSION, lower(spec.compression()) + level, true, inputs,
                    "pinned in the model's front matter");
        }
        if (!spec.optimize()) {
            return new Decision(Decision.Aspect.COMPRESSION, "snappy", false, inputs,
                    "the optimiser is off for this model (optimize: false): DuckDB's default codec");
        }
        if (tiny) {
            return new Decision(Decision.Aspect.COMPRESSION, "uncompressed", false, inputs, String.format(Locale.ROOT,
                    "the table is tiny (%s): a codec would save a few kilobytes and cost decoding time on every read",
                    mib(stats.bytes())));
        }
        int level = spec.compressionLevel() == null ? 0 : spec.compressionLevel();
        return switch (access) {
            case HOT -> floatShare > 0.5
                    ? new Decision(Decision.Aspect.COMPRESSION, "snappy", false, inputs, String.format(Locale.ROOT,
                            "access is hot and %.0f%% of the bytes are floating point values, which general-purpose "
                                    + "codecs barely shrink: the fastest codec to decode", floatShare * 100))
                    : new Decision(Decision.Aspect.COMPRESSION, "zstd level " + (level > 0 ? level : 1), false, inputs,
                            "access is hot: zstd at its fastest level decodes about as fast as snappy and is smaller");
            case COLD -> new Decision(Decision.Aspect.COMPRESSION, "zstd level " + (level > 0 ? level : 3), false,
                    inputs, "balanced access (cold, the default): zstd at level 3 gives most of zstd's gain at a "
                            + "write speed close to snappy's");
            case ARCHIVE -> new Decision(Decision.Aspect.COMPRESSION, "zstd level " + (level > 0 ? level : 9), false,
                    inputs, "access is archive: rarely read, so a high zstd level trades write time for the "
                            + "smallest files");
        };
    }

    private static List<Decision> encodings(TableStats stats, boolean lake) {
        List<Decision> decisions = new ArrayList<>();
        for (ColumnStats column : stats.columns()) {
            Map<String, Object> inputs = inputs("column", column.name(), "distinct", column.distinct(),
                    "distinct_ratio", round(column.distinctRatio(stats.rows())), "sortedness", round(column.sortedness()));
            String choice;
            String reason;
            if (lowCardinality(column, stats.rows()) && !column.floating()) {
                choice = "dictionary";
                reason = String.format(Locale.ROOT, "%d distinct value(s): each row stores a small dictionary code%s",
                        column.distinct(), lake ? " (DuckDB's Parquet writer dictionary-encodes below its size limit)"
                                : " (DuckDB's Dictionary and RLE compression cover it)");
            } else if (column.floating()) {
                choice = lake ? "byte_stream_split" : "alp";
                reason = lake ? "floating point values: Parquet v2 byte-stream-split lets the codec see repeating "
                        + "exponent bytes" : "floating point values: DuckDB's ALP compression covers them";
            } else if (column.text()) {
                choice = lake ? "plain" : "fsst";
                reason = lake ? "high-cardinality text: plain pages, left to the codec" : "high-cardinality text: "
                        + "DuckDB's FSST compression covers it";
            } else {
                choice = column.sortedness() >= 0.9 ? "delta" : "bitpacking";
                reason = column.sortedness() >= 0.9 ? "numbers mostly in ascending order: small deltas"
                        + (lake ? " (Parquet v2 DELTA_BINARY_PACKED)" : " (DuckDB's bit-packing of deltas)")
                        : "numbers: bit-packed to the width of their range" + (lake ? " (Parquet v2)" : " by DuckDB");
            }
            decisions.add(new Decision(Decision.Aspect.ENCODING, column.name() + ": " + choice, false, inputs, reason));
        }
        return decisions;
    }

    /**
     * How many partitions a time column makes at a grain: the months or years between its min and max (from the
     * span when they cannot be read), bounded by the days that hold rows.
     */
    static long partitions(ColumnStats column, Partition.Grain grain) {
        long byDay = Math.max(1, column.distinctDays());
        java.time.LocalDate min = date(column.min());
        java.time.LocalDate max = date(column.max());
        long bySpan = switch (grain) {
            case DAY -> byDay;
            case MONTH -> min != null && max != null
                    ? (max.getYear() * 12L + max.getMonthValue()) - (min.getYear() * 12L + min.getMonthValue()) + 1
                    : (long) Math.ceil(column.spanDays() / 30.44) + 1;
            case YEAR -> min != null && max != null ? max.getYear() - min.getYear() + 1
                    : (long) Math.ceil(column.spanDays() / 365.25) + 1;
        };
        return Math.max(1, Math.min(byDay, bySpan));
    }

    /** The date a DATE or TIMESTAMP value's text starts with, or null. */
    private static java.time.LocalDate date(String text) {
        if (text == null || text.length() < 10) {
            return null;
        }
        try {
            return java.time.LocalDate.parse(text.substring(0, 10));
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static List<String> sortOrder(TableStats stats, StorageSpec spec, Context context,
            List<Partition> partitions, boolean tiny, boolean optimize, boolean lake, List<Decision> decisions) {
        Map<String, Object> inputs = inputs("filter_uses", new java.util.TreeMap<>(context.filterUses()));
        if (spec.sortBy() != null) {
            decisions.add(new Decision(Decision.Aspect.SORT, spec.sortBy().isEmpty() ? "none"
                    : String.join(", ", spec.sortBy()), true, inputs, "pinned in the model's front matter"));
            return spec.sortBy();
        }
        if (!optimize || tiny) {
            decisions.add(new Decision(Decision.Aspect.SORT, "none", false, inputs, optimize ? "the table is tiny: "
                    + "it fits in one row group, so an order buys no pruning" : "the optimiser is off for this model "
                    + "(optimize: false)"));
            return List.of();
        }
        List<String> valuePartitions = partitions.stream().filter(p -> p.grain() == null).map(Partition::column)
                .toList();
        List<ColumnStats> filtered = stats.columns().stream()
                .filter(c -> context.filterUses().getOrDefault(c.name(), 0) > 0 && !valuePartitions.contains(c.name()))
                .sorted(Comparator.comparingInt((ColumnStats c) -> -context.filterUses().get(c.name()))
                        .thenComparingLong(ColumnStats::distinct))
                .toList();
        if (!lake && filtered.isEmpty()) {
            decisions.add(new Decision(Decision.Aspect.SORT, "none", false, inputs, "no downstream model filters on "
                    + "a column of it: a warehouse table is never sorted for compression alone (the rewrite is a "
                    + "full sort of the table, and DuckDB compresses each segment well in the query's order); the "
                    + "query's order is kept"));
            return List.of();
        }
        // A warehouse table is sorted by its filtered columns only; a lake output's proposal is tried against
        // other candidates on a sample (LayoutTrials).
        List<ColumnStats> lowCardinality = !lake ? List.of() : stats.columns().stream()
                .filter(c -> lowCardinality(c, stats.rows()) && c.distinct() >= 2 && !c.floating()
                        && !valuePartitions.contains(c.name()) && !filtered.contains(c))
                .sorted(Comparator.comparingLong(ColumnStats::distinct)).toList();
        List<String> keys = new ArrayList<>();
        filtered.stream().limit(MAX_SORT_KEYS).forEach(c -> keys.add(c.name()));
        lowCardinality.stream().limit(MAX_SORT_KEYS - keys.size()).forEach(c -> keys.add(c.name()));
        String reason;
        if (keys.isEmpty()) {
            Optional<ColumnStats> ordered = stats.columns().stream().filter(c -> c.temporal() && c.sortedness() >= 0.9)
                    .findFirst();
            if (ordered.isPresent()) {
                keys.add(ordered.get().name());
                reason = String.format(Locale.ROOT, "no downstream filter and no low-cardinality column; %s is "
                        + "already %.0f%% in order, so keeping it sorted costs little and gives zone maps on time",
                        ordered.get().name(), ordered.get().sortedness() * 100);
            } else {
                decisions.add(new Decision(Decision.Aspect.SORT, "none", false, inputs, "no downstream model filters "
                        + "on a column of it and no column has few enough values to gain from runs; the query's "
                        + "order is kept"));
                return List.of();
            }
        } else {
            List<String> parts = new ArrayList<>();
            if (!filtered.isEmpty()) {
                parts.add("downstream models filter on " + String.join(", ", filtered.stream().limit(MAX_SORT_KEYS)
                        .map(c -> c.name() + " (" + context.filterUses().get(c.name()) + ")").toList())
                        + ": sorted first, zone maps let those filters skip row groups");
            }
            int lowUsed = keys.size() - (int) Math.min(MAX_SORT_KEYS, filtered.size());
            if (lowUsed > 0) {
                parts.add("then the low-cardinality columns " + String.join(", ", lowCardinality.stream()
                        .limit(lowUsed).map(c -> c.name() + " (" + c.distinct() + " values)").toList())
                        + ", fewest values first, for long runs that compress well");
            }
            reason = String.join("; ", parts);
        }
        inputs.put("sortedness", keys.stream().map(k -> round(stats.column(k).orElseThrow().sortedness())).toList());
        decisions.add(new Decision(Decision.Aspect.SORT, String.join(", ", keys), false, inputs, reason));
        return keys;
    }

    private static long rowGroupSize(TableStats stats, StorageSpec spec, Context context, boolean lake, boolean tiny,
            boolean sortedAcrossFiles, List<Decision> decisions) {
        Map<String, Object> inputs = inputs("rows", stats.rows(), "row_width", round(stats.rowWidth()));
        if (spec.rowGroupSize() != null) {
            decisions.add(new Decision(Decision.Aspect.ROW_GROUP, spec.rowGroupSize() + " rows", true, inputs,
                    "pinned in the model's front matter"));
            return spec.rowGroupSize();
        }
        if (!lake) {
            decisions.add(new Decision(Decision.Aspect.ROW_GROUP, DUCKDB_ROW_GROUP + " rows", false, inputs,
                    "DuckDB fixes the row group size per database file; the sort order decides what each holds"));
            return DUCKDB_ROW_GROUP;
        }
        if (tiny || !spec.optimize()) {
            decisions.add(new Decision(Decision.Aspect.ROW_GROUP, DUCKDB_ROW_GROUP + " rows", false, inputs,
                    tiny ? "the table is tiny: DuckDB's default" : "the optimiser is off for this model: DuckDB's "
                            + "default"));
            return DUCKDB_ROW_GROUP;
        }
        boolean filtered = context.filterUses().values().stream().anyMatch(uses -> uses > 0);
        long bytesPerGroup = filtered ? 16L << 20 : 64L << 20;
        long rows = (long) (bytesPerGroup / Math.max(1, stats.rowWidth()));
        rows = Math.max(16_384, Math.min(1_048_576, rows / 2048 * 2048));
        if (sortedAcrossFiles && rows > DUCKDB_ROW_GROUP) {
            decisions.add(new Decision(Decision.Aspect.ROW_GROUP, DUCKDB_ROW_GROUP + " rows", false, inputs,
                    "the sorted output spans several files, and DuckDB 2.0 keeps the order across files only with row "
                            + "groups up to its default size"));
            return DUCKDB_ROW_GROUP;
        }
        decisions.add(new Decision(Decision.Aspect.ROW_GROUP, rows + " rows", false, inputs, String.format(
                Locale.ROOT, "about %s uncompressed per row group at %.0f bytes a row: %s", mib(bytesPerGroup),
                stats.rowWidth(), filtered ? "smaller groups give the downstream filters finer zone maps to skip"
                        : "no downstream filter, so larger groups for better compression and fewer footers")));
        return rows;
    }

    /** Low-cardinality: few distinct values in absolute terms or relative to the rows. */
    static boolean lowCardinality(ColumnStats column, long rows) {
        return column.distinct() <= LOW_CARDINALITY || column.distinctRatio(rows) <= 0.01;
    }

    /**
     * The size of the table as Parquet, estimated from its statistics: dictionary codes for low-cardinality columns,
     * small deltas for ordered numbers, and typical codec ratios for the rest. Used for partitioning, file counts
     * and the free-space check, never as a measurement.
     */
    public static long estimateBytes(TableStats stats, StorageSpec.Codec codec) {
        double total = 0;
        for (ColumnStats column : stats.columns()) {
            double present = stats.rows() * (1 - column.nullFraction());
            double perValue;
            if (lowCardinality(column, stats.rows()) && !column.floating()) {
                perValue = Math.max(1, Math.ceil(Math.log(column.distinct() + 1.0) / Math.log(2))) / 8;
            } else if (column.floating()) {
                perValue = column.averageWidth() * 0.9;
            } else if (column.text()) {
                perValue = column.averageWidth() * 0.45;
            } else {
                perValue = column.averageWidth() * (column.sortedness() >= 0.9 ? 0.25 : 0.6);
            }
            double dictionary = lowCardinality(column, stats.rows()) ? column.distinct() * column.averageWidth() : 0;
            total += present * perValue + dictionary + stats.rows() / 8.0;
        }
        if (codec == StorageSpec.Codec.UNCOMPRESSED) {
            total = Math.max(total, stats.bytes());
        }
        return (long) total + 4096;
    }

    static Map<String, Object> inputs(Object... pairs) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }

    static String mib(long bytes) {
        if (bytes < (1L << 20)) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }

    private static String lower(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }
}
