package dev.sluice;

import dev.sluice.catalog.ArrivalLatenessRecord;
import dev.sluice.catalog.MetricRecord;
import dev.sluice.catalog.ModelRunRecord;
import dev.sluice.catalog.QualityResultRecord;
import dev.sluice.catalog.RunRecord;
import dev.sluice.plan.PlannedModel;
import dev.sluice.project.Project;
import dev.sluice.window.LatenessRecommendation;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Converts internal values into the public API's own immutable ones at the boundary, so that nothing {@link Sluice}
 * returns exposes the project, plan or catalog types (which may change between versions).
 */
final class ApiValues {
    private ApiValues() {
    }

    static ProjectInfo project(Project project) {
        return new ProjectInfo(project.name(), project.root(), project.warehouse(), project.sources().stream()
                .map(source -> new ProjectInfo.SourceInfo(source.qualifiedName(),
                        source.spec().type(),
                        String.valueOf(source.location())))
                .toList());
    }

    static ModelInfo model(PlannedModel planned) {
        dev.sluice.project.Model model = planned.model();
        List<String> uniqueKey = model.incremental() != null
                && model.incremental().strategy() == dev.sluice.project.Incremental.Strategy.MERGE
                ? model.incremental().uniqueKey() : List.of();
        return new ModelInfo(planned.name(), model.qualifiedName(),
                model.materialized().name().toLowerCase(Locale.ROOT), model.relativeFile().toString(),
                model.tags(), planned.columns().stream().map(c -> column(model, c.name(), c.type())).toList(),
                new java.util.TreeSet<>(planned.upstreamModels()).stream().toList(),
                new java.util.TreeSet<>(planned.upstreamSources()).stream().toList(), planned.lineageProblem(),
                model.description(), uniqueKey);
    }

    /** A column with what the model's front matter declares of it (declared names match case-insensitively). */
    private static ModelInfo.Column column(dev.sluice.project.Model model, String name, String type) {
        return model.columns().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                .map(e -> new ModelInfo.Column(name, type, e.getValue().description(), e.getValue().pii()))
                .orElseGet(() -> new ModelInfo.Column(name, type));
    }

    static QualityCheck check(QualityResultRecord r) {
        return new QualityCheck(r.runId(), r.model(), r.rule(), r.ruleType(), r.severity(), r.rowsChecked(),
                r.rowsFailed(), r.failFraction(), r.thresholds(), r.verdict(), r.message(), r.sample(), r.durationMs(),
                r.checkedAt());
    }

    static QualityMetric metric(MetricRecord m) {
        return new QualityMetric(m.runId(), m.model(), m.column(), m.metric(), m.value());
    }

    static Schedule schedule(dev.sluice.project.ScheduleSpec s) {
        Schedule.CatchUp catchUp = switch (s.catchUp()) {
            case NONE -> Schedule.CatchUp.NONE;
            case LAST -> Schedule.CatchUp.LAST;
            case ALL -> Schedule.CatchUp.ALL;
        };
        return new Schedule(s.name(), s.cron(), s.zone(), s.select(), s.exclude(), s.vars(), catchUp,
                s.maxConcurrency());
    }

    static Run run(RunRecord r) {
        return new Run(r.runId(), r.startedAt(), r.finishedAt(), r.status(), r.command(), r.args(), r.engineVersion(),
                r.host(), r.pid(), r.schedule());
    }

    static ModelRun modelRun(ModelRunRecord r) {
        return new ModelRun(r.runId(), r.model(), r.relation(), r.materialized(), r.status(), r.rows(), r.bytes(),
                r.startedAt(), r.durationMs(), r.sqlHash(), r.reason(), r.error(), r.snapshotId());
    }

    /** Lateness advice for one windowed model and source, from the arrival lags measured in past runs. */
    static LatenessAdvice advice(String model, dev.sluice.project.TimeWindow window, String clock,
            String source, List<ArrivalLatenessRecord> measured) {
        long lateRows = 0;
        Map<Long, Long> caught = new java.util.TreeMap<>();
        Double p50 = null;
        Double p95 = null;
        Double p99 = null;
        Double max = null;
        for (ArrivalLatenessRecord record : measured) {
            lateRows += record.lateRows();
            histogram(record.histogram()).forEach((bound, rows) -> caught.merge(bound, rows, Long::sum));
            p50 = larger(p50, record.p50());
            p95 = larger(p95, record.p95());
            p99 = larger(p99, record.p99());
            max = larger(max, record.max());
        }
        LatenessRecommendation recommendation = LatenessRecommendation.of(lateRows, caught);
        List<LatenessAdvice.Option> options = recommendation.options().stream()
                .map(o -> new LatenessAdvice.Option(o.lateness().toString(), o.shareCaught())).toList();
        LatenessAdvice.Option recommended = recommendation.recommended() == null ? null
                : new LatenessAdvice.Option(recommendation.recommended().lateness().toString(),
                        recommendation.recommended().shareCaught());
        return new LatenessAdvice(model, source, window.inputColumn(), clock, window.lateness().toString(), lateRows,
                p50, p95, p99, max, options, recommended);
    }

    private static Double larger(Double a, Double b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return Math.max(a, b);
    }

    private static Map<Long, Long> histogram(String json) {
        try {
            Map<Long, Long> counts = new java.util.TreeMap<>();
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).fields().forEachRemaining(
                    entry -> counts.put(Long.valueOf(entry.getKey()), entry.getValue().asLong()));
            return counts;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new SluiceException(ErrorCode.INTERNAL, e, "Cannot read an arrival histogram of the catalog: %s",
                    e.getMessage());
        }
    }
}
