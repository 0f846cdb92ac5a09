package dev.sluice.catalog;

import dev.sluice.engine.Session;
import java.util.List;

/**
 * The quality gates' results and the metrics they measured ({@code quality_results}, {@code quality_metrics}).
 * Thread-safe; a method taking a {@link Session} writes in that session's (publishing) transaction.
 */
public interface QualityStore {
    /** Records a gate's rule results; pass the publishing session so they commit with the model. */
    void recordQualityResults(Session session, List<QualityResultRecord> records);

    /** Records a gate's measured metrics; pass the publishing session so they commit with the model. */
    void recordMetrics(Session session, List<MetricRecord> records);

    /** Up to {@code count} earlier values of a metric, newest first (null column: table-wide). */
    List<Double> metricHistory(String model, String column, String metric, int count);

    /** Quality results of the last {@code runs} runs that checked anything, optionally of one model and rule. */
    List<QualityResultRecord> qualityResults(String model, String rule, int runs);

    /** Each model's and source's rule results from the last run that checked it. */
    List<QualityResultRecord> lastQualityResults();

    /** Metrics of the last {@code runs} runs that measured any, optionally of one model, oldest first. */
    List<MetricRecord> metrics(String model, int runs);
}
