package dev.sluice.storage;

import static dev.sluice.storage.LayoutRules.SKEW_LIMIT;
import static dev.sluice.storage.LayoutRules.SMALL_PARTITION;
import static dev.sluice.storage.LayoutRules.WARNING;
import static dev.sluice.storage.LayoutRules.inputs;
import static dev.sluice.storage.LayoutRules.mib;
import static dev.sluice.storage.LayoutRules.partitions;

import dev.sluice.project.StorageSpec;
import dev.sluice.storage.LayoutRules.Context;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The partitioning rule of {@link LayoutRules}: the finest split whose partitions reach half the target file size
 * without skew, preferring the columns downstream models filter on, and the warning for a pinned partitioning that
 * writes many small files. Stateless and thread-safe.
 */
final class PartitionRules {
    private PartitionRules() {
    }

    /** A partitioning and the decision that chose it. */
    record PartitionChoice(List<Partition> partitions, Decision decision) {
    }

    static PartitionChoice partitioning(TableStats stats, StorageSpec spec, Context context, long estimated,
            boolean optimize) {
        long target = context.targetFileSize();
        Map<String, Object> inputs = inputs("estimated_bytes", estimated, "target_file_size", target);
        if (spec.partitionBy() != null) {
            List<Partition> pinned = spec.partitionBy().stream().map(column -> new Partition(column, null)).toList();
            String reason = "pinned in the model's front matter";
            Optional<String> warning = pinWarning(stats, spec.partitionBy(), estimated, target);
            if (warning.isPresent()) {
                StorageSpec unpinned = new StorageSpec(spec.format(), spec.path(), spec.compression(),
                        spec.compressionLevel(), null, spec.sortBy(), spec.rowGroupSize(), spec.access(),
                        spec.optimize(), spec.measure());
                Decision instead = partitioning(stats, unpinned, context, estimated, true).decision();
                String text = warning.get() + "; without the pin the optimiser would choose partitioning "
                        + instead.choice() + " (" + instead.reason() + "): remove partition_by from the front matter "
                        + "to let it";
                inputs.put(WARNING, text);
                reason += "; warning: " + text;
            }
            return new PartitionChoice(pinned, new Decision(Decision.Aspect.PARTITIONING, pinned.isEmpty() ? "none"
                    : String.join(", ", spec.partitionBy()), true, inputs, reason));
        }
        if (!optimize) {
            return new PartitionChoice(List.of(), new Decision(Decision.Aspect.PARTITIONING, "none", false, inputs,
                    "the optimiser is off for this model (optimize: false)"));
        }
        if (context.appended()) {
            return new PartitionChoice(List.of(), new Decision(Decision.Aspect.PARTITIONING, "none", false, inputs,
                    "an incremental output adds files to its folders on every build, so its partitions must not "
                            + "change with the data of one build; pin partition_by to partition it"));
        }
        if (estimated < 2 * target) {
            return new PartitionChoice(List.of(), new Decision(Decision.Aspect.PARTITIONING, "none", false, inputs,
                    String.format(Locale.ROOT, "about %s compressed fits in %s of the target size %s; partitions "
                            + "would only make small files", mib(estimated), estimated < target ? "one file" : "two files",
                            mib(target))));
        }
        List<String> rejected = new ArrayList<>();
        List<Candidate> candidates = new ArrayList<>();
        for (ColumnStats column : stats.columns()) {
            int uses = context.filterUses().getOrDefault(column.name(), 0);
            if (column.temporal() && column.spanDays() > 0) {
                Partition.Grain chosen = null;
                long count = 0;
                for (Partition.Grain grain : Partition.Grain.values()) {
                    long partitions = partitions(column, grain);
                    if (estimated / partitions >= SMALL_PARTITION * target) {
                        chosen = grain;
                        count = partitions;
                        break;
                    }
                }
                if (chosen == null) {
                    rejected.add(column.name() + " (even by year the partitions would be below half the target size)");
                } else if (column.nullFraction() > SKEW_LIMIT) {
                    rejected.add(String.format(Locale.ROOT, "%s (%.0f%% NULL would make one giant partition)",
                            column.name(), column.nullFraction() * 100));
                } else {
                    candidates.add(new Candidate(new Partition(column.name(), chosen), count, uses, true));
                }
            } else if (!column.floating() && !column.temporal() && column.distinct() >= 2) {
                long partitions = column.distinct();
                if (column.topShare() > SKEW_LIMIT) {
                    rejected.add(String.format(Locale.ROOT, "%s (one value holds %.0f%% of the rows: one giant "
                            + "partition)", column.name(), column.topShare() * 100));
                } else if (estimated / partitions < SMALL_PARTITION * target) {
                    rejected.add(String.format(Locale.ROOT, "%s (%d values: partitions of about %s, below half the "
                            + "target)", column.name(), partitions, mib(estimated / partitions)));
                } else {
                    candidates.add(new Candidate(new Partition(column.name(), null), partitions, uses, false));
                }
            }
        }
        Optional<Candidate> best = candidates.stream().max(Comparator.comparingInt(Candidate::uses)
                .thenComparing(Candidate::temporal).thenComparingLong(Candidate::partitions));
        inputs.put("rejected", rejected);
        if (best.isEmpty()) {
            return new PartitionChoice(List.of(), new Decision(Decision.Aspect.PARTITIONING, "none", false, inputs,
                    "no column splits the data into partitions of a useful size without skew"
                            + (rejected.isEmpty() ? "" : "; rejected: " + String.join("; ", rejected))));
        }
        Candidate chosen = best.get();
        inputs.put("partitions", chosen.partitions());
        return new PartitionChoice(List.of(chosen.partition()), new Decision(Decision.Aspect.PARTITIONING,
                chosen.partition().toString(), false, inputs, String.format(Locale.ROOT, "%d partitions of about %s "
                        + "each, the finest split whose partitions reach half the target size %s%s%s", chosen.partitions(),
                        mib(estimated / chosen.partitions()), mib(target), chosen.uses() > 0
                                ? "; downstream models filter on it " + chosen.uses() + " time(s)" : "",
                        chosen.temporal() ? "; the grain fits the data's span of " + Math.round(stats.column(
                                chosen.partition().column()).orElseThrow().spanDays()) + " days" : "")));
    }

    private record Candidate(Partition partition, long partitions, int uses, boolean temporal) {
    }

    /**
     * What is wrong with pinned partition columns, with the statistics that show it, or empty when nothing is: a
     * column whose values make at least {@link LakeWriter#COMPACT_AFTER} partitions below half the target size
     * writes that many small files (with one value holding most rows, the others share what is left).
     */
    static Optional<String> pinWarning(TableStats stats, List<String> partitionBy, long estimated, long target) {
        List<String> problems = new ArrayList<>();
        for (String name : partitionBy) {
            Optional<ColumnStats> found = stats.column(name);
            if (found.isEmpty() || found.get().distinct() < 2) {
                continue;
            }
            ColumnStats column = found.get();
            long values = column.distinct() + (column.nullFraction() > 0 ? 1 : 0);
            boolean skewed = column.topShare() > SKEW_LIMIT;
            long others = skewed ? values - 1 : values;
            long each = (long) (estimated * (skewed ? 1 - column.topShare() : 1.0) / others);
            if (others < LakeWriter.COMPACT_AFTER || each >= SMALL_PARTITION * target) {
                continue;
            }
            problems.add(String.format(Locale.ROOT, "partition_by %s makes about %,d partitions of %,d rows%s; %s"
                    + "%,d partitions of about %s each, below half the target file size %s: about %,d files, "
                    + "%,d of them small", column.name(), values, stats.rows(), skewed ? String.format(Locale.ROOT,
                    ", one value holding %.0f%% of them", column.topShare() * 100) : "", skewed ? "the other " : "",
                    others, mib(each), mib(target), values, others));
        }
        return problems.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", problems));
    }
}
