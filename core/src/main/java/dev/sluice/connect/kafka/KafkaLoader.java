package dev.sluice.connect.kafka;

import dev.sluice.SluiceException;
import dev.sluice.SourceResult;
import dev.sluice.catalog.DetectionRecord;
import dev.sluice.connect.LoadContext;
import dev.sluice.connect.NativeReads;
import dev.sluice.connect.Tracked;
import dev.sluice.engine.Rows;
import dev.sluice.engine.Session;
import dev.sluice.engine.Sql;
import dev.sluice.project.Source;
import dev.sluice.quality.Rule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * One load of a kafka source: the slice's records are checked and converted (straight from their JSON tokens by
 * {@link JsonFields}, or by {@link JsonRecords} for the records it declines), written to a temporary file
 * ({@link StagingFile}, so memory stays bounded), then read by the engine's parallel CSV reader in the statement that
 * adds them to the source's data ({@link Tracked}'s layout, tagged with the run, partition and offset), with its
 * rejects, its gate results, its load record and the partitions' new offsets, in one transaction. A load that fails
 * or dies before that commit leaves rows and offsets as they were, so the next run reads the same records again:
 * each record reaches the warehouse exactly once.
 */
final class KafkaLoader {
    static final String PARTITION = "_sluice_partition";
    static final String OFFSET = "_sluice_offset";
    /** Corrupt records kept in {@code sluice.rejects}; the count of all is in {@code sluice.source_loads}. */
    static final int KEPT_REJECTS = 1000;
    private static final String STAGING = "sluice_kafka_delta";
    private static final String TAGGED = "sluice_kafka_tagged";

    private final LoadContext context;

    KafkaLoader(LoadContext context) {
        this.context = context;
    }

    SourceResult load(Source source, List<Rule> rules) {
        long start = System.nanoTime();
        KafkaSpec spec = (KafkaSpec) source.spec();
        String where = "from topic " + spec.topic() + " on " + spec.bootstrapServers();
        String secret = KafkaSecrets.plainSecret(spec, context.redact());
        try (Session session = context.engine().session()) {
            if (secret != null) {
                return failed(session, source, start, String.format("Cannot load source %s (%s): properties %s "
                        + "holds a secret written in sluice.yml; set it from the environment with ${env:NAME}",
                        source.qualifiedName(), source.location(), secret));
            }
            Map<Integer, Long> stored = context.catalog().state().streamOffsets(source.qualifiedName(), spec.topic());
            KafkaReader.Slice slice;
            StagingWriter.Staged staged;
            StagingFile file = null;
            try {
                try (KafkaReader reader = new KafkaReader(spec, source)) {
                    try {
                        slice = reader.slice(stored);
                    } catch (KafkaException e) {
                        // Taking the slice is what the source's retries cover: it first reaches the broker.
                        return failed(session, source, start, cannot(source, where, describe(e) + (KafkaReader
                                .retryable(e) ? " (after " + spec.retries().retries() + " retries)" : "")));
                    }
                    file = new StagingFile(context.paths().root().resolve("target").resolve("kafka"),
                            spec.columns());
                    staged = stage(session, spec, reader, slice, file, source.qualifiedName());
                } catch (KafkaReader.SliceProblem | KafkaReader.Stalled | SluiceException e) {
                    return failed(session, source, start, cannot(source, where, e.getMessage()));
                } catch (Exception e) {
                    return failed(session, source, start, cannot(source, where, describe(e)));
                }
                return commit(session, source, rules, spec, slice, staged, stored, start, file);
            } finally {
                if (file != null) {
                    file.close();
                }
            }
        }
    }

    private StagingWriter.Staged stage(Session session, KafkaSpec spec, KafkaReader reader, KafkaReader.Slice slice,
            StagingFile file, String name) {
        List<String> columns = new ArrayList<>();
        spec.columns().forEach(column -> columns.add(Sql.identifier(column.name()) + " " + column.sqlType()));
        columns.add(PARTITION + " INTEGER");
        columns.add(OFFSET + " BIGINT");
        session.execute("CREATE OR REPLACE TEMP TABLE " + STAGING + " (" + String.join(", ", columns) + ")");
        // The records are parsed and written on a second thread while this one polls the next ones.
        try (StagingWriter writer = new StagingWriter(spec, file, name)) {
            read(session, spec, reader, slice, writer::accept);
            return writer.finish();
        }
    }

    /**
     * Reads the slice's records into {@code records}: through the engine's own Kafka source when it has one (Spark's
     * executors read the same offsets), else through the reader's consumer.
     */
    static void read(Session session, KafkaSpec spec, KafkaReader reader, KafkaReader.Slice slice,
            KafkaReader.Records records) {
        java.util.Optional<NativeReads> engine = NativeReads.of(session).filter(NativeReads::readsKafka);
        if (engine.isEmpty()) {
            reader.read(slice, records);
            return;
        }
        engine.get().kafka(session, new NativeReads.KafkaRead(spec.bootstrapServers(), spec.topic(),
                spec.properties(), slice.from(), slice.to()), (partition, offset, value) -> records.accept(
                        new ConsumerRecord<>(spec.topic(), partition, offset, null, value)));
    }

    private SourceResult commit(Session session, Source source, List<Rule> rules, KafkaSpec spec,
            KafkaReader.Slice slice, StagingWriter.Staged staged, Map<Integer, Long> stored, long start, StagingFile file) {
        session.begin();
        try {
            Tracked.replaceFullTable(session, source);
            long total = staged.rows() + staged.rejected();
            double fraction = total == 0 ? 0 : (double) staged.rejected() / total;
            if (fraction > spec.maxRejectedFraction()) {
                session.rollback();
                session.begin();
                recordRejects(session, source, staged);
                SourceResult result = new SourceResult(source.qualifiedName(), false, 0, staged.rejected(),
                        LoadContext.elapsed(start), context.redact().apply(String.format(Locale.ROOT, "Cannot load "
                                + "source %s (%s): %d of %d records (%.2f%%) of topic %s are corrupt, above "
                                + "max_rejected_fraction %s; see the rows of sluice.rejects with run_id %d (up to "
                                + "%d kept), fix the producer or raise max_rejected_fraction", source.qualifiedName(),
                                source.location(), staged.rejected(), total, fraction * 100, spec.topic(),
                                spec.maxRejectedFraction(), context.runId(), KEPT_REJECTS)), List.of());
                context.record(session, result);
                session.commit();
                return result;
            }
            // The rows are read from the staging file by the statement that appends them, inside the transaction
            // (reading it once: no copy into a staging table first); the empty staging table only gives the types
            // of a slice without rows. The run's tag is the same on every row: added here, not written per line.
            session.execute("CREATE OR REPLACE TEMP VIEW " + TAGGED + " AS SELECT " + file.columns() + ", CAST("
                    + context.runId() + " AS BIGINT) AS " + Tracked.RUN + " FROM "
                    + (staged.rows() > 0 ? file.read(session.dialect()) : STAGING));
            Tracked.append(session, source, TAGGED);
            session.execute("DROP VIEW " + TAGGED);
            session.execute("DROP TABLE " + STAGING);
            List<dev.sluice.QualityResult> quality = List.of();
            if (!rules.isEmpty() && staged.rows() > 0) {
                // Gates check the newly loaded records before any model reads them.
                LoadContext.GateCheck gate = context.checkLoaded(session, source, rules, start);
                if (gate.failure() != null) {
                    return gate.failure();
                }
                quality = gate.checked().results();
            }
            recordRejects(session, source, staged);
            Map<Integer, Long> moved = new HashMap<>();
            slice.to().forEach((partition, end) -> {
                if (!end.equals(stored.get(partition))) {
                    moved.put(partition, end);
                }
            });
            context.catalog().state().recordStreamOffsets(session, source.qualifiedName(), spec.topic(), moved,
                    context.runId());
            context.catalog().state().recordDetection(session, new DetectionRecord(context.runId(),
                    source.qualifiedName(), 0, 0, 0, 0, staged.rows(), 0, 0, KafkaReader.Slice.text(slice.from()),
                    KafkaReader.Slice.text(slice.to()), LoadContext.elapsed(start).toMillis(), null));
            SourceResult result = new SourceResult(source.qualifiedName(), true, staged.rows(), staged.rejected(),
                    LoadContext.elapsed(start), null, quality);
            context.record(session, result);
            KafkaFaults.reach(KafkaFaults.BEFORE_COMMIT, source.qualifiedName());
            session.commit();
            return result;
        } catch (SluiceException e) {
            session.rollback();
            return failed(session, source, start, cannot(source, "from topic " + spec.topic(), e.getMessage()));
        }
    }

    private void recordRejects(Session session, Source source, StagingWriter.Staged staged) {
        if (!staged.rejects().isEmpty()) {
            context.catalog().state().recordRejects(session, context.runId(), source.qualifiedName(),
                    new Rows(List.of("file", "line", "column_name", "error_type", "error_message", "csv_line"),
                            staged.rejects()));
        }
    }

    private SourceResult failed(Session session, Source source, long start, String error) {
        SourceResult result = context.failed(source, start, error);
        context.record(session, result);
        return result;
    }

    private static String cannot(Source source, String where, String reason) {
        return String.format("Cannot load source %s (%s) %s: %s", source.qualifiedName(), source.location(), where,
                reason);
    }

    /** The exception's message and its causes', without repeating one. */
    private static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder(failure.getClass().getSimpleName() + ": " + failure.getMessage());
        for (Throwable cause = failure.getCause(); cause != null && cause != cause.getCause();
                cause = cause.getCause()) {
            if (cause.getMessage() != null && !text.toString().contains(cause.getMessage())) {
                text.append("; ").append(cause.getMessage());
            }
        }
        return text.toString();
    }
}
