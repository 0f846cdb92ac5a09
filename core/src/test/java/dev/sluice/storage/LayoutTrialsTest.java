package dev.sluice.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.engine.Session;
import dev.sluice.engine.duckdb.DuckDbEngine;
import dev.sluice.project.StorageSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Candidate layouts tried on a sample of a table of known character, and the cost that picks one. */
class LayoutTrialsTest {
    private static final StorageSpec LAKE = new StorageSpec(StorageSpec.Format.PARQUET, null, null, null, null, null,
            null, null, true);

    @TempDir
    Path dir;

    /**
     * 1.2M sales in time order: an id and a timestamp that compress to almost nothing in that order, a customer of
     * 50,000 in random order, a country of 8, an amount.
     */
    private static void sales(Session session) {
        session.execute("CREATE TABLE sales AS SELECT i AS sale_id, TIMESTAMP '2024-01-01' + INTERVAL (i // 4) SECOND "
                + "AS sold_at, CAST(hash(i) % 50000 AS BIGINT) AS customer_id, ['DE', 'FR', 'US', 'GB', 'NL', 'ES', "
                + "'IT', 'PL'][CAST(hash(i * 7) % 8 AS INTEGER) + 1] AS country, CAST(hash(i * 31) % 100000 AS "
                + "DECIMAL(12, 2)) / 100 AS amount FROM range(1200000) r(i)");
    }

    private static Layout choose(Session session, Map<String, Integer> filters, Path scratch) {
        TableStats stats = StatisticsCollector.collect(session, "main", "sales");
        LayoutRules.Context context = new LayoutRules.Context(filters, List.of(), 256L << 20);
        Layout proposed = LayoutRules.decide(stats, LAKE, context);
        assertThat(LayoutTrials.applies(LAKE, proposed, stats)).isTrue();
        return LayoutTrials.choose(session, "main.sales", stats, LAKE, proposed, context, scratch);
    }

    private static Decision decision(Layout layout, Decision.Aspect aspect) {
        return layout.decisions().stream().filter(d -> d.aspect() == aspect).findFirst().orElseThrow();
    }

    @Test
    @SuppressWarnings("unchecked")
    void oneFilterDoesNotPayForASortThatBreaksTheNaturalOrder() {
        try (DuckDbEngine engine = DuckDbEngine.inMemory(); Session session = engine.session()) {
            sales(session);
            Layout layout = choose(session, Map.of("customer_id", 1), dir.resolve("trials"));
            List<Decision> candidates = layout.decisions().stream()
                    .filter(d -> d.aspect() == Decision.Aspect.CANDIDATE).toList();
            assertThat(candidates).extracting(Decision::choice).startsWith("query order, zstd level 3",
                    "rules: customer_id, country, zstd level 3", "filtered: customer_id, zstd level 3",
                    "time then filtered: sold_at, customer_id, zstd level 3");
            assertThat(candidates).allSatisfy(d -> {
                assertThat(d.trial().bytes()).isPositive();
                assertThat(d.trial().filterMs()).isPositive();
                assertThat(d.inputs()).containsKeys("sort_by", "sample_rows", "filter_ms", "row_groups_read");
            });
            Decision input = candidates.get(0);
            Decision sorted = candidates.get(2);
            // sorting by the customer breaks the order of sale_id and sold_at: larger, and not worth one filter
            assertThat(sorted.trial().bytes()).isGreaterThan((long) (input.trial().bytes() * 1.05));
            // while its filter on customer_id reads one row group of the sample's eight or so, where the query's
            // order reads them all
            assertThat((Double) ((Map<Object, Object>) sorted.inputs().get("row_groups_read")).get("customer_id"))
                    .isLessThanOrEqualTo(0.2);
            assertThat((Map<Object, Object>) input.inputs().get("row_groups_read")).containsEntry("customer_id", 1.0);
            Decision chosen = candidates.stream().filter(d -> d.reason().equals("chosen")).findFirst().orElseThrow();
            long best = candidates.stream().filter(d -> d.choice().startsWith("query order"))
                    .mapToLong(d -> d.trial().bytes()).min().orElseThrow();
            assertThat(chosen.trial().bytes()).isLessThanOrEqualTo((long) (best * 1.05));
            assertThat(layout.sortBy()).isEmpty();
            assertThat(decision(layout, Decision.Aspect.SORT).reason()).startsWith("the query's order is kept: no "
                    + "candidate order costs less").contains("measured on a sample of 524,288 rows: query order ");
            // the size of the output estimated from the chosen candidate on the sample
            assertThat(layout.estimatedBytes()).isBetween(chosen.trial().bytes() * 2, chosen.trial().bytes() * 3);
            assertThat(Files.exists(dir.resolve("trials"))).isFalse();
        }
    }

    @Test
    void manyFiltersPayForASortAndTheDecisionSaysWhy() {
        try (DuckDbEngine engine = DuckDbEngine.inMemory(); Session session = engine.session()) {
            sales(session);
            Layout layout = choose(session, Map.of("customer_id", 60), dir.resolve("trials"));
            assertThat(layout.sortBy()).as(decision(layout, Decision.Aspect.SORT).reason()).startsWith("customer_id");
            assertThat(decision(layout, Decision.Aspect.SORT).reason()).matches("sorted by customer_id.* although "
                    + "it is \\d+% larger than the query's order: the downstream filters \\(customer_id x60\\) read it "
                    + "so much faster that its cost is lower; measured on a sample .*");
        }
    }

    @Test
    void theCostIsBytesPlusWeightedRelativeFilterTime() {
        LayoutTrials.Candidate input = new LayoutTrials.Candidate("query order", List.of(), StorageSpec.Codec.ZSTD, 3,
                1000, Map.of("k", 10.0), Map.of("k", 1.0));
        LayoutTrials.Candidate sorted = new LayoutTrials.Candidate("k", List.of("k"), StorageSpec.Codec.ZSTD, 3,
                1500, Map.of("k", 20.0), Map.of("k", 0.1));
        Map<String, Integer> once = Map.of("k", 1);
        assertThat(LayoutTrials.cost(input, input, once)).isEqualTo(1.05);
        assertThat(LayoutTrials.cost(sorted, input, once)).isEqualTo(1.5 + 0.005);
        // twenty filters: 1 + 20 x 0.05 = 2 against 1.5 + 20 x 0.005 = 1.6
        assertThat(LayoutTrials.cost(sorted, input, Map.of("k", 20))).isLessThan(LayoutTrials.cost(input, input,
                Map.of("k", 20)));
    }
}
