package dev.sluice.storage;

import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.project.StorageSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Candidate layouts of a Parquet output tried on a sample of its rows, the cheapest chosen by a stated cost: the
 * query's order, the sort the rules propose, the columns downstream models filter on, time then those columns, and
 * for the winning order a higher zstd level. Each candidate's bytes and filter time are kept as a decision of aspect
 * {@code candidate}. Writes only under a scratch folder it deletes. Stateless.
 *
 * <p>The cost of a candidate, lowest wins: {@code bytes / bytes of the query's order + FILTER_WEIGHT x sum over the
 * filtered columns of (filters on it x share of row groups the filter reads / that share in the query's order)}. The
 * share read is what a point filter on the column's median value cannot skip by the row groups' min/max statistics:
 * the expected cost of the filter, exact where its measured time (recorded beside it) varies with the machine's
 * load. A filter counts {@value #FILTER_WEIGHT} of the output's size: sorting for one filter must not cost more than
 * a few percent of bytes, while many filters on a column pay for a sort that lets them skip most row groups.
 */
public final class LayoutTrials {
    /** Rows of the sample the candidates are written from: a few row groups, in a fraction of a second each. */
    static final long SAMPLE_ROWS = 524_288;
    /** What one downstream filter weighs in the cost, against the bytes of the output (1). */
    static final double FILTER_WEIGHT = 0.05;
    /** A candidate larger than the query's order by more than this share needs its reason stated. */
    static final double SIZE_TOLERANCE = 0.05;
    /** A higher zstd level must save at least this share of the bytes to pay for its slower writes. */
    static final double LEVEL_GAIN = 0.03;
    /** The higher zstd level tried for the winning order. */
    static final int HIGH_LEVEL = 9;
    static final int REPETITIONS = 3;
    /**
     * A sorted candidate must cost this much less than the query's order: a sort is paid at every write, and filter
     * times on a sample vary by a few percent between runs.
     */
    static final double SORT_MARGIN = 0.02;

    private LayoutTrials() {
    }

    /** One candidate: its order and codec, and what it measured on the sample. */
    record Candidate(String name, List<String> sortBy, StorageSpec.Codec codec, Integer level, long bytes,
            Map<String, Double> filterMs, Map<String, Double> readShare) {
    }

    /** True when the layout of a model with this spec is tried on a sample: a Parquet output the optimiser decides. */
    static boolean applies(StorageSpec spec, Layout proposed, TableStats stats) {
        return proposed.format() == StorageSpec.Format.PARQUET && spec.optimize() && spec.sortBy() == null
                && stats.bytes() >= LayoutRules.TINY_BYTES;
    }

    /**
     * The layout to write {@code relation} (a table of {@code stats.rows()} rows) in: the proposal of the rules with
     * the order and codec of the cheapest candidate, its size estimated from the sample, and a decision per
     * candidate.
     */
    public static Layout choose(Session session, String relation, TableStats stats, StorageSpec spec, Layout proposed,
            LayoutRules.Context context, Path scratch) {
        try {
            LakeWriter.deleteTree(scratch);
            Files.createDirectories(scratch);
            try {
                return choose(session, relation, stats, spec, proposed, context, scratch, sample(session, relation,
                        stats.rows()));
            } finally {
                LakeWriter.deleteTree(scratch);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Layout choose(Session session, String relation, TableStats stats, StorageSpec spec,
            Layout proposed, LayoutRules.Context context, Path scratch, String sample) {
        StorageSpec.Codec codec = proposed.codec();
        Integer level = proposed.level();
        Map<String, Integer> filters = new LinkedHashMap<>();
        context.filterUses().forEach((column, uses) -> {
            if (uses > 0 && stats.column(column).isPresent()) {
                filters.put(stats.column(column).get().name(), uses);
            }
        });
        List<String> filtered = filters.entrySet().stream()
                .sorted((a, b) -> b.getValue() - a.getValue()).map(Map.Entry::getKey)
                .limit(LayoutRules.MAX_SORT_KEYS).toList();
        Map<String, List<String>> orders = new LinkedHashMap<>();
        orders.put("query order", List.of());
        orders.putIfAbsent("rules: " + String.join(", ", proposed.sortBy()), proposed.sortBy());
        if (!filtered.isEmpty()) {
            orders.put("filtered: " + String.join(", ", filtered), filtered);
            Optional<ColumnStats> time = stats.columns().stream()
                    .filter(c -> c.temporal() && c.sortedness() >= 0.9 && !filtered.contains(c.name())).findFirst();
            time.ifPresent(t -> {
                List<String> keys = new ArrayList<>(List.of(t.name()));
                keys.addAll(filtered);
                orders.put("time then filtered: " + String.join(", ", keys), keys);
            });
        }
        long rowGroup = Math.max(16_384, Math.min(SAMPLE_ROWS, stats.rows()) / 8 / 2048 * 2048);
        Path base = scratch.resolve("query_order");
        write(session, sample, base, new Trial(List.of(), codec, level, rowGroup));
        String baseScan = LakeWriter.scan(session.dialect(), base, trialLayout(codec, level, List.of(), rowGroup));
        Map<String, Probe> probes = probes(session, baseScan, filters.keySet());
        List<Candidate> candidates = new ArrayList<>();
        java.util.Set<List<String>> tried = new java.util.HashSet<>();
        int index = 0;
        for (Map.Entry<String, List<String>> order : orders.entrySet()) {
            if (!tried.add(order.getValue())) {
                continue;
            }
            Path folder = order.getValue().isEmpty() ? base : scratch.resolve("candidate_" + index++);
            if (!order.getValue().isEmpty()) {
                write(session, baseScan, folder, new Trial(order.getValue(), codec, level, rowGroup));
            }
            candidates.add(measure(session, order.getKey(), order.getValue(), codec, level, folder, rowGroup,
                    probes));
        }
        Candidate input = candidates.get(0);
        Candidate best = candidates.get(0);
        for (Candidate candidate : candidates) {
            if (cost(candidate, input, filters) < cost(best, input, filters)
                    && cost(candidate, input, filters) < cost(input, input, filters) - SORT_MARGIN) {
                best = candidate;
            }
        }
        // the codec: a higher zstd level for the winning order, unless the model pins its codec or reads hot
        Candidate chosen = best;
        StorageSpec.Access access = spec.access() == null ? StorageSpec.Access.COLD : spec.access();
        if (spec.compression() == null && codec == StorageSpec.Codec.ZSTD && access != StorageSpec.Access.HOT
                && (level == null || level < HIGH_LEVEL)) {
            Path folder = scratch.resolve("candidate_level");
            write(session, baseScan, folder, new Trial(best.sortBy(), StorageSpec.Codec.ZSTD, HIGH_LEVEL, rowGroup));
            Candidate higher = measure(session, best.name(), best.sortBy(),
                    StorageSpec.Codec.ZSTD, HIGH_LEVEL, folder, rowGroup, probes);
            candidates.add(higher);
            if (higher.bytes() <= best.bytes() * (1 - LEVEL_GAIN)) {
                chosen = higher;
            }
        }
        return layout(stats, spec, proposed, context, candidates, chosen, input, filters);
    }

    /** The cost of a candidate against the query's order (see the class comment). */
    static double cost(Candidate candidate, Candidate input, Map<String, Integer> filters) {
        double cost = (double) candidate.bytes() / Math.max(1, input.bytes());
        for (Map.Entry<String, Integer> filter : filters.entrySet()) {
            Double share = candidate.readShare().get(filter.getKey());
            Double inputShare = input.readShare().get(filter.getKey());
            if (share != null && inputShare != null) {
                cost += FILTER_WEIGHT * filter.getValue() * share / Math.max(1e-3, inputShare);
            }
        }
        return cost;
    }

    private static Layout layout(TableStats stats, StorageSpec spec, Layout proposed, LayoutRules.Context context,
            List<Candidate> candidates, Candidate chosen, Candidate input, Map<String, Integer> filters) {
        // the rules again with the chosen order and codec fixed, so that row groups and files follow from them
        StorageSpec fixed = new StorageSpec(spec.format(), spec.path(), chosen.codec(), chosen.level(),
                spec.partitionBy(), chosen.sortBy(), spec.rowGroupSize(), spec.access(), spec.optimize(),
                spec.measure());
        long sampleRows = Math.min(SAMPLE_ROWS, stats.rows());
        long estimated = (long) ((double) chosen.bytes() * stats.rows() / Math.max(1, sampleRows));
        Layout decided = LayoutRules.decide(stats, fixed, context);
        double larger = (double) chosen.bytes() / Math.max(1, input.bytes()) - 1;
        String measured = String.format(Locale.ROOT, "measured on a sample of %,d rows: %s", sampleRows,
                String.join("; ", candidates.stream().map(c -> String.format(Locale.ROOT, "%s %s%s (cost %.3f)",
                        c.name(), LayoutRules.mib(c.bytes()), c.filterMs().isEmpty() ? "" : ", filters "
                                + String.join(", ", c.filterMs().entrySet().stream().map(e -> String.format(
                                        Locale.ROOT, "%s %.1f ms reading %.0f%% of row groups", e.getKey(),
                                        e.getValue(), 100 * c.readShare().get(e.getKey()))).toList()),
                        cost(c, input, filters))).toList()));
        String why;
        if (chosen.sortBy().isEmpty()) {
            why = "the query's order is kept: no candidate order costs less (bytes, plus "
                    + String.format(Locale.ROOT, "%.2f", FILTER_WEIGHT) + " per downstream filter x the relative "
                    + "share of row groups it reads); " + measured;
        } else if (larger > SIZE_TOLERANCE) {
            why = String.format(Locale.ROOT, "sorted by %s although it is %.0f%% larger than the query's order: "
                    + "the downstream filters (%s) read it so much faster that its cost is lower; %s",
                    String.join(", ", chosen.sortBy()), larger * 100, String.join(", ", filters.entrySet().stream()
                            .map(e -> e.getKey() + " x" + e.getValue()).toList()), measured);
        } else {
            why = String.format(Locale.ROOT, "sorted by %s: the lowest cost (bytes, plus %.2f per downstream filter "
                    + "x the relative share of row groups it reads); %s", String.join(", ", chosen.sortBy()), FILTER_WEIGHT, measured);
        }
        List<Decision> decisions = new ArrayList<>();
        for (Decision decision : decided.decisions()) {
            if (decision.aspect() == Decision.Aspect.SORT) {
                Map<String, Object> inputs = new LinkedHashMap<>(decision.inputs());
                inputs.put("sample_rows", sampleRows);
                decisions.add(new Decision(Decision.Aspect.SORT, chosen.sortBy().isEmpty() ? "none"
                        : String.join(", ", chosen.sortBy()), false, inputs, why));
            } else if (decision.aspect() == Decision.Aspect.COMPRESSION && spec.compression() == null) {
                Decision rule = proposed.decisions().stream().filter(d -> d.aspect() == Decision.Aspect.COMPRESSION)
                        .findFirst().orElse(decision);
                decisions.add(chosen.level() != null && !chosen.level().equals(proposed.level())
                        ? new Decision(Decision.Aspect.COMPRESSION, decision.choice(), false, rule.inputs(),
                                String.format(Locale.ROOT, "zstd level %d is %.1f%% smaller than level %s on the "
                                        + "sample, worth its slower writes", chosen.level(),
                                        100 - 100.0 * chosen.bytes() / candidates.stream().filter(c -> c.sortBy()
                                                .equals(chosen.sortBy()) && c != chosen).findFirst()
                                                .orElse(chosen).bytes(), proposed.level()))
                        : rule);
            } else {
                decisions.add(decision);
            }
        }
        for (Candidate candidate : candidates) {
            Double filterMs = candidate.filterMs().isEmpty() ? null
                    : candidate.filterMs().values().stream().mapToDouble(Double::doubleValue).sum();
            decisions.add(new Decision(Decision.Aspect.CANDIDATE, candidate.name() + ", " + codecName(candidate),
                    false, LayoutRules.inputs("sort_by", candidate.sortBy(), "sample_rows", sampleRows,
                            "filter_ms", candidate.filterMs(), "row_groups_read", candidate.readShare()), candidate == chosen ? "chosen" : "not chosen",
                    new Decision.Trial(candidate.bytes(), filterMs, cost(candidate, input, filters))));
        }
        return new Layout(decided.format(), decided.codec(), decided.level(), decided.partitions(), decided.sortBy(),
                decided.rowGroupSize(), decided.fileSize(), decided.index(), estimated, decisions);
    }

    private static String codecName(Candidate candidate) {
        return candidate.codec().name().toLowerCase(Locale.ROOT) + (candidate.level() == null ? ""
                : " level " + candidate.level());
    }

    /** The rows the candidates are written from, in the relation's order. */
    private static String sample(Session session, String relation, long rows) {
        if (rows <= SAMPLE_ROWS) {
            return "(SELECT * FROM " + relation + ") AS sluice_sample";
        }
        return String.format(Locale.ROOT, "(SELECT * EXCLUDE (sluice_row) FROM (SELECT *, %s AS sluice_row %s) "
                + "ORDER BY sluice_row) AS sluice_sample", session.dialect().rowId(), session.dialect().sampleFrom(
                        relation, 100.0 * SAMPLE_ROWS / rows, StatisticsCollector.SAMPLE_SEED));
    }

    private record Trial(List<String> sortBy, StorageSpec.Codec codec, Integer level, long rowGroup) {
    }

    private static Layout trialLayout(StorageSpec.Codec codec, Integer level, List<String> sortBy, long rowGroup) {
        return new Layout(StorageSpec.Format.PARQUET, codec, level, List.of(), sortBy, rowGroup, Long.MAX_VALUE,
                List.of(), 0, List.of());
    }

    private static void write(Session session, String source, Path folder, Trial trial) {
        String from = source.startsWith("(") ? source : "(SELECT * FROM " + source + ") AS sluice_sample";
        LakeWriter.copy(session, from, trialLayout(trial.codec(), trial.level(), trial.sortBy(), trial.rowGroup()),
                folder, "data");
    }

    /** A filtered column's point filter: the predicate, and the value it looks for with its type. */
    private record Probe(String filter, String value, String type) {
    }

    /** The median value of each filtered column on the sample, the value its point filter looks for. */
    private static Map<String, Probe> probes(Session session, String scan, java.util.Set<String> columns) {
        Map<String, Probe> probes = new LinkedHashMap<>();
        List<List<Object>> described = session.query("DESCRIBE SELECT * FROM " + scan).values();
        for (String column : columns) {
            String type = described.stream().filter(c -> ((String) c.get(0)).equalsIgnoreCase(column)).findFirst()
                    .map(c -> (String) c.get(1)).orElseThrow();
            Object probe = session.query("SELECT CAST(quantile_disc(" + Sql.identifier(column) + ", 0.5) AS VARCHAR)"
                    + " FROM " + scan).single();
            probes.put(column, probe == null ? new Probe(Sql.identifier(column) + " IS NULL", null, type)
                    : new Probe(Sql.identifier(column) + " = CAST(" + Sql.string((String) probe) + " AS " + type + ")",
                            (String) probe, type));
        }
        return probes;
    }

    private static Candidate measure(Session session, String name, List<String> sortBy, StorageSpec.Codec codec,
            Integer level, Path folder, long rowGroup, Map<String, Probe> probes) {
        String scan = LakeWriter.scan(session.dialect(), folder, trialLayout(codec, level, sortBy, rowGroup));
        Map<String, Double> times = new LinkedHashMap<>();
        Map<String, Double> shares = new LinkedHashMap<>();
        probes.forEach((column, probe) -> {
            times.put(column, Measurement.time(session, Measurement.filterQuery(scan, probe.filter()), REPETITIONS));
            shares.put(column, readShare(session, folder, column, probe));
        });
        return new Candidate(name, sortBy, codec, level, LakeWriter.bytes(folder), times, shares);
    }

    /**
     * The share of the row groups of the files in {@code folder} whose min/max statistics of {@code column} do not
     * rule the probe's value out: what its point filter reads (all of them for a filter on NULL, or without
     * statistics).
     */
    private static double readShare(Session session, Path folder, String column, Probe probe) {
        if (probe.value() == null) {
            return 1;
        }
        String value = "CAST(" + Sql.string(probe.value()) + " AS " + probe.type() + ")";
        String low = "TRY_CAST(low AS " + probe.type() + ")";
        String high = "TRY_CAST(high AS " + probe.type() + ")";
        Object share = session.query("SELECT avg(CASE WHEN " + low + " IS NULL OR " + high + " IS NULL THEN 1.0 "
                + "WHEN " + value + " BETWEEN " + low + " AND " + high + " THEN 1.0 ELSE 0.0 END) FROM ("
                + session.dialect().parquetColumnBoundsQuery() + ") AS bounds(low, high)",
                folder.resolve("**").resolve("*.parquet").toString(), column.toLowerCase(Locale.ROOT)).single();
        return share == null ? 1 : ((Number) share).doubleValue();
    }
}
