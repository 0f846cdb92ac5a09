package dev.sluice.metrics;

import dev.sluice.ModelRun;
import dev.sluice.QueryResult;
import dev.sluice.Sluice;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the catalog kept of one run that the run's events do not carry: the bytes of each published table, and per
 * source the rows change detection found and how far behind now the newest watermark it read is. Immutable.
 */
public record RunRecord(List<ModelBytes> bytes, List<Detection> detections) {
    public RunRecord {
        bytes = List.copyOf(bytes);
        detections = List.copyOf(detections);
    }

    /** A published table's size on disk. */
    public record ModelBytes(String relation, long bytes) {
    }

    /**
     * Rows detection found in one source in the run, and now minus its newest watermark when that is a time.
     *
     * @param lag empty when the source has no watermark or it is not a date or time (a number, Kafka offsets)
     */
    public record Detection(String source, long newRows, long changedRows, long retractedRows, Optional<Duration> lag) {
    }

    /**
     * Reads run {@code runId}'s record from the project's catalog, read-only: call it once the run has released the
     * warehouse. {@code clock} says what now is for the lag.
     */
    public static RunRecord read(Sluice sluice, long runId, Clock clock) {
        List<ModelBytes> bytes = new ArrayList<>();
        for (ModelRun model : sluice.modelRuns(runId)) {
            if (model.bytes() != null) {
                bytes.add(new ModelBytes(model.relation(), model.bytes()));
            }
        }
        QueryResult rows = sluice.detections(runId);
        List<Detection> detections = new ArrayList<>();
        Instant now = clock.instant();
        for (List<Object> row : rows.rows()) {
            Optional<Duration> lag = time((String) row.get(5)).map(newest -> Duration.between(newest, now));
            detections.add(new Detection((String) row.get(0), number(row.get(1)), number(row.get(2)),
                    number(row.get(3)), lag));
        }
        return new RunRecord(bytes, detections);
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    /** Watermarks are kept as the engine's text of the column's value; times without an offset are UTC. */
    private static final DateTimeFormatter LOCAL = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).optionalStart().appendLiteral(' ').optionalEnd()
            .optionalStart().appendLiteral('T').optionalEnd().append(DateTimeFormatter.ISO_LOCAL_TIME)
            .optionalStart().appendOffset("+HH:mm", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH", "Z").optionalEnd()
            .parseDefaulting(ChronoField.OFFSET_SECONDS, 0).toFormatter();

    static Optional<Instant> time(String watermark) {
        if (watermark == null || watermark.isBlank()) {
            return Optional.empty();
        }
        String text = watermark.trim();
        try {
            return Optional.of(OffsetDateTime.parse(text, LOCAL).toInstant());
        } catch (DateTimeParseException notATime) {
            try {
                return Optional.of(LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant());
            } catch (DateTimeParseException notADate) {
                return Optional.empty();
            }
        }
    }
}
