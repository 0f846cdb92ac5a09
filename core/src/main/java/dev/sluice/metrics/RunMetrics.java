package dev.sluice.metrics;

import dev.sluice.ModelResult;
import dev.sluice.QualityResult;
import dev.sluice.RunListener;
import dev.sluice.RunResult;
import dev.sluice.SourceResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.sluice.ErrorCode;
import dev.sluice.SluiceException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The metrics of the runs a process makes, in a Prometheus registry: per model, source and run, the engine's memory
 * and the JVM's. Fed as a {@link RunListener} (pass it to {@code Sluice.run}, alone or with
 * {@link RunListener#all}) and by {@link #runFinished}/{@link #runFailed} when a run ends, and, after a run, by
 * {@link #catalogRecorded} with what only the catalog knows (bytes, detected changes, read lag). Thread-safe; one
 * instance serves many runs, counters add up across them.
 *
 * <p>Tags are low-cardinality on purpose: model, source, rule, severity, status and fate, never a run id, a message or
 * a value read from data, so that no secret and no unbounded series reaches a scrape.
 */
public final class RunMetrics implements RunListener, AutoCloseable {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    /** Gauges read these; the registry holds gauges' state weakly, so they are kept here. */
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
    /** The model each published relation belongs to, from the models' outcomes, for the catalog's rows. */
    private final Map<String, String> modelOfRelation = new ConcurrentHashMap<>();

    /** A registry with the JVM's memory, garbage collection, threads and class loading bound. */
    public RunMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
    }

    /** The registry, to bind more meters or to scrape. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Everything in the Prometheus text format (version 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void sourceLoaded(SourceResult source) {
        Tags tags = Tags.of("source", source.source());
        Timer.builder("sluice.source.duration").description("Time to load a source, by outcome")
                .tags(tags.and("status", source.loaded() ? "loaded" : "failed")).register(registry)
                .record(source.duration());
        if (source.loaded()) {
            // text files read in place are not counted by their load: the counter stays as it was
            Counter.builder("sluice.source.rows").description("Rows loaded from a source").tags(tags)
                    .register(registry).increment(source.counted() ? source.rows() : 0);
            Counter.builder("sluice.source.rejected.rows").description("Lines of a source rejected as corrupt")
                    .tags(tags).register(registry).increment(source.rejected());
        }
        quality("", source.source(), source.quality());
    }

    @Override
    public void modelFinished(ModelResult model, int finished, int total) {
        modelOfRelation.put(model.relation(), model.model());
        Tags tags = Tags.of("model", model.model());
        Timer.builder("sluice.model.duration").description("Time to build a model, by outcome")
                .tags(tags.and("status", model.status().word())).register(registry).record(model.duration());
        if (model.rows() != null) {
            Counter.builder("sluice.model.rows").description("Rows published by a model").tags(tags)
                    .register(registry).increment(model.rows());
            gauge("sluice.model.published.rows", "Rows in a model's published table after its last build", tags)
                    .set(model.rows());
        }
        quality(model.model(), model.model(), model.quality());
        var late = model.lateRows();
        long[] rows = {late.rebuilt(), late.reprocessed(), late.quarantined(), late.dropped(), late.reassigned()};
        String[] fates = {"rebuilt", "reprocessed", "quarantined", "dropped", "reassigned"};
        for (int i = 0; i < rows.length; i++) {
            if (rows[i] > 0) {
                Counter.builder("sluice.late.rows").description("Late rows a windowed model read, by what became of them")
                        .tags(tags.and("fate", fates[i])).register(registry).increment(rows[i]);
            }
        }
        if (late.quarantined() > 0) {
            quarantined(model.model(), "late", late.quarantined());
        }
    }

    /**
     * Counts the rules that did not pass, and the rows a quarantine rule set aside. {@code model} is empty for a
     * source's rules, whose owner is the source.
     */
    private void quality(String model, String owner, List<QualityResult> results) {
        for (QualityResult result : results) {
            if (result.verdict().equals("pass")) {
                continue;
            }
            String severity = result.severity() == null ? "" : result.severity();
            Tags tags = Tags.of("model", owner, "rule", result.rule(), "severity", severity, "verdict",
                    result.verdict());
            Counter.builder("sluice.quality.failures").description("Quality rules that did not pass (warn or fail)")
                    .tags(tags).register(registry).increment();
            Counter.builder("sluice.quality.failed.rows").description("Rows that failed a quality rule")
                    .tags(tags).register(registry).increment(Math.max(0, result.rowsFailed()));
            if (severity.equals("quarantine") && !model.isEmpty()) {
                quarantined(model, "quality", result.rowsFailed());
            }
        }
    }

    private void quarantined(String model, String reason, long rows) {
        Counter.builder("sluice.quarantined.rows").description("Rows set aside instead of published, by why")
                .tags("model", model, "reason", reason).register(registry).increment(Math.max(0, rows));
    }

    @Override
    public void engineMemory(long bytes) {
        gauge("sluice.duckdb.memory.bytes", "Memory DuckDB held (duckdb_memory()) as the last run ended", Tags.empty())
                .set(bytes);
    }

    /** Counts a run that ended with a result: {@code success} or {@code failed}. */
    public void runFinished(RunResult result) {
        run(result.succeeded() ? "success" : "failed", result.duration());
    }

    /** Counts a run that ended with an error before it had a result (a bad project, a held lock). */
    public void runFailed(Duration duration) {
        run("error", duration);
    }

    private void run(String status, Duration duration) {
        Counter.builder("sluice.runs").description("Runs, by outcome: success, failed (a model or source failed), "
                + "error (no result)").tag("status", status).register(registry).increment();
        Timer.builder("sluice.run.duration").description("Time a run took, by outcome").tag("status", status)
                .register(registry).record(duration);
        gauge("sluice.last.run.timestamp.seconds", "When the last run ended, in seconds since the epoch",
                Tags.of("status", status)).set(System.currentTimeMillis() / 1000);
    }

    /** Records what the catalog kept of a run: its models' bytes, its sources' detected changes and read lag. */
    public void catalogRecorded(RunRecord record) {
        for (RunRecord.ModelBytes model : record.bytes()) {
            String name = modelOfRelation.getOrDefault(model.relation(), model.relation());
            gauge("sluice.model.bytes", "Bytes a model's published table takes, where known", Tags.of("model", name))
                    .set(model.bytes());
        }
        for (RunRecord.Detection detection : record.detections()) {
            Tags tags = Tags.of("source", detection.source());
            long[] rows = {detection.newRows(), detection.changedRows(), detection.retractedRows()};
            String[] kinds = {"new", "changed", "retracted"};
            for (int i = 0; i < rows.length; i++) {
                Counter.builder("sluice.source.detected.changes")
                        .description("Rows change detection found in a source, by kind").tags(tags.and("kind", kinds[i]))
                        .register(registry).increment(rows[i]);
            }
            detection.lag().ifPresent(lag -> gauge("sluice.source.read.lag.seconds",
                    "Now minus the newest watermark a source's last load saw, where known", tags, 1000.0)
                    .set(lag.toMillis()));
        }
    }

    private AtomicLong gauge(String name, String description, Tags tags) {
        return gauge(name, description, tags, 1);
    }

    /** A gauge of {@code value / scale}: milliseconds kept as a long read as seconds. */
    private AtomicLong gauge(String name, String description, Tags tags, double scale) {
        return gauges.computeIfAbsent(key(name, tags), key -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(name, value, held -> held.get() / scale).description(description).tags(tags)
                    .strongReference(true).register(registry);
            return value;
        });
    }

    private static String key(String name, Tags tags) {
        StringBuilder key = new StringBuilder(name);
        tags.forEach(tag -> key.append('\u0000').append(tag.getKey()).append('=').append(tag.getValue()));
        return key.toString();
    }

    /**
     * Writes everything in the Prometheus text format to {@code file} (a file the node exporter's textfile collector
     * can read), replacing it whole: written beside it, then moved over it, so that a reader never sees half of it.
     */
    public void writeTo(Path file) {
        Path absolute = file.toAbsolutePath();
        Path temporary = absolute.resolveSibling(absolute.getFileName() + ".tmp");
        try {
            if (absolute.getParent() != null) {
                Files.createDirectories(absolute.getParent());
            }
            Files.writeString(temporary, scrape(), StandardCharsets.UTF_8);
            try {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new SluiceException(ErrorCode.USAGE, e, "Cannot write the metrics file %s: %s; choose a path in a "
                    + "writable folder", file, e.getMessage());
        }
    }

    /** Stops the garbage collection listener and closes the registry. */
    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
