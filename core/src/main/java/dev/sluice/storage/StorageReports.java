package dev.sluice.storage;

import dev.sluice.StorageDecision;
import dev.sluice.StorageEffect;
import dev.sluice.catalog.Catalog;
import dev.sluice.catalog.StorageStore;
import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import dev.sluice.project.Model;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The storage reports of built tables as the API's values: recorded decisions, statistics measured now, proposed
 * layouts and measured effects. The caller opens the engine and chooses the models.
 */
public final class StorageReports {
    private StorageReports() {
    }

    /** The catalog's rows of latest decisions as the API's values. */
    public static List<StorageDecision> decisions(Rows rows) {
        return rows.values().stream().map(row -> new StorageDecision((String) row.get(0),
                ((Number) row.get(1)).longValue(), (String) row.get(2), (String) row.get(3), (Boolean) row.get(4),
                (String) row.get(5), (String) row.get(6))).toList();
    }

    /**
     * One row per column of a relation's statistics: type, distinct count, null fraction, min, max, width,
     * sortedness, skew, and for time columns span and density.
     */
    public static Rows statistics(TableStats stats) {
        List<List<Object>> rows = new ArrayList<>();
        for (ColumnStats c : stats.columns()) {
            rows.add(Arrays.asList(c.name(), c.type(), stats.rows(), c.distinct(), c.nullFraction(),
                    c.min(), c.max(), c.averageWidth(), c.sortedness(), c.topShare(),
                    c.temporal() ? c.spanDays() : null, c.temporal() ? c.distinctDays() : null));
        }
        return new Rows(List.of("column", "type", "rows", "distinct", "null_fraction", "min", "max",
                "average_width", "sortedness", "top_share", "span_days", "distinct_days"), rows);
    }

    /** The layout the optimiser chooses for a built model now, from its statistics. */
    public static Layout layout(Session session, StorageOptimizer optimizer, Model model) {
        TableStats stats = StatisticsCollector.collect(session, model.schema(), model.name());
        return LayoutRules.decide(stats, model.storage(), optimizer.context(model));
    }

    /** The decisions of a proposed layout, recorded by no run. */
    public static List<StorageDecision> proposals(Model model, Layout layout) {
        List<StorageDecision> proposals = new ArrayList<>();
        for (Decision decision : layout.decisions()) {
            proposals.add(new StorageDecision(model.qualifiedName(), null,
                    decision.aspect().name().toLowerCase(Locale.ROOT), decision.choice(), decision.pinned(),
                    StorageOptimizer.json(decision.inputs()), decision.reason()));
        }
        return proposals;
    }

    /**
     * Measures a built model in its layout against CSV and DuckDB's default Parquet, and records the figures in
     * {@code sluice.storage_effects} with the model's last build that recorded decisions.
     */
    public static List<StorageEffect> measure(Session session, Catalog catalog, StorageOptimizer optimizer,
            Model model) {
        Layout layout = layout(session, optimizer, model);
        List<Measurement.Effect> measured = optimizer.effects(session, model, layout);
        Optional<Long> lastRun = catalog.storage().lastDecisionRun(session, model.qualifiedName());
        if (lastRun.isPresent()) {
            catalog.storage().recordStorage(session, StorageStore.StorageTable.STORAGE_EFFECTS, Measurement.rows(
                    lastRun.get(), model.qualifiedName(), measured));
        }
        return measured.stream().map(effect -> new StorageEffect(model.qualifiedName(), effect.layout(),
                effect.bytes(), effect.filterMs(), effect.aggregateMs())).toList();
    }
}
