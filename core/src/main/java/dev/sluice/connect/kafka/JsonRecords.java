package dev.sluice.connect.kafka;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a record's JSON value into a row of the declared columns, as plain Java values the engine's appender takes.
 * A field that is absent or null gives NULL; a value that is no JSON object, or a field that cannot be its column's
 * type, makes the record corrupt ({@link Corrupt}). Numbers written as text ({@code "42"}) are read as numbers, and
 * objects or lists in a text column keep their JSON text. Not thread-safe (one per load).
 */
final class JsonRecords {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<KafkaSpec.Column> columns;

    JsonRecords(List<KafkaSpec.Column> columns) {
        this.columns = List.copyOf(columns);
    }

    /** Why a record cannot be loaded: the column at fault (null for the whole record), a kind and a message. */
    static final class Corrupt extends Exception {
        private final String column;
        private final String kind;

        Corrupt(String column, String kind, String message) {
            super(message, null, false, false);
            this.column = column;
            this.kind = kind;
        }

        String column() {
            return column;
        }

        String kind() {
            return kind;
        }
    }

    /** The record's values in column order, followed by nothing: the caller adds its tags. */
    List<Object> row(byte[] value) throws Corrupt {
        if (value == null) {
            throw new Corrupt(null, "NULL_RECORD", "the record has no value (a tombstone)");
        }
        JsonNode record;
        try {
            record = JSON.readTree(value);
        } catch (JsonProcessingException e) {
            throw new Corrupt(null, "INVALID_JSON", "not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new Corrupt(null, "INVALID_JSON", "not JSON: " + e.getMessage());
        }
        if (record == null || record.isMissingNode()) {
            throw new Corrupt(null, "NOT_AN_OBJECT", "the record is empty, not a JSON object");
        }
        if (!record.isObject()) {
            throw new Corrupt(null, "NOT_AN_OBJECT", "the record is a JSON "
                    + record.getNodeType().name().toLowerCase(Locale.ROOT) + ", not a JSON object");
        }
        List<Object> row = new ArrayList<>(columns.size() + 3);
        for (KafkaSpec.Column column : columns) {
            JsonNode node = record;
            for (String field : column.path()) {
                node = node.get(field);
                if (node == null) {
                    break;
                }
            }
            row.add(node == null || node.isNull() ? null : value(column, node));
        }
        return row;
    }

    private static Object value(KafkaSpec.Column column, JsonNode node) throws Corrupt {
        try {
            return switch (column.type()) {
                case BOOLEAN -> {
                    if (node.isBoolean()) {
                        yield node.booleanValue();
                    }
                    String text = node.isTextual() ? node.textValue().strip().toLowerCase(Locale.ROOT) : "";
                    if (text.equals("true") || text.equals("false")) {
                        yield Boolean.valueOf(text);
                    }
                    throw wrong(column, node);
                }
                case TINYINT -> (byte) integral(column, node, Byte.MIN_VALUE, Byte.MAX_VALUE);
                case SMALLINT -> (short) integral(column, node, Short.MIN_VALUE, Short.MAX_VALUE);
                case INTEGER -> (int) integral(column, node, Integer.MIN_VALUE, Integer.MAX_VALUE);
                case BIGINT -> integral(column, node, Long.MIN_VALUE, Long.MAX_VALUE);
                case FLOAT -> (float) decimal(column, node).doubleValue();
                case DOUBLE -> node.isNumber() ? node.doubleValue() : decimal(column, node).doubleValue();
                case DECIMAL -> decimalOfType(column, node);
                case VARCHAR -> node.isTextual() ? node.textValue() : node.isValueNode() ? node.asText()
                        : node.toString();
                case JSON -> node.toString();
                case DATE -> {
                    if (!node.isTextual()) {
                        throw wrong(column, node);
                    }
                    yield LocalDate.parse(node.textValue().strip());
                }
                case TIMESTAMP -> timestamp(column, node);
            };
        } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
            throw wrong(column, node);
        }
    }

    private static long integral(KafkaSpec.Column column, JsonNode node, long min, long max) throws Corrupt {
        if (node.isInt() || node.isLong()) {
            // The common case, without a BigDecimal per value.
            long value = node.longValue();
            if (value < min || value > max) {
                throw wrong(column, node);
            }
            return value;
        }
        BigDecimal number = decimal(column, node);
        long value;
        try {
            value = number.longValueExact();
        } catch (ArithmeticException e) {
            throw wrong(column, node);
        }
        if (value < min || value > max) {
            throw wrong(column, node);
        }
        return value;
    }

    private static BigDecimal decimal(KafkaSpec.Column column, JsonNode node) throws Corrupt {
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isTextual()) {
            return new BigDecimal(node.textValue().strip());
        }
        throw wrong(column, node);
    }

    /** A decimal rounded to the column's scale; one with more integer digits than the type holds is corrupt. */
    private static BigDecimal decimalOfType(KafkaSpec.Column column, JsonNode node) throws Corrupt {
        String type = column.sqlType();
        int open = type.indexOf('(');
        int comma = type.indexOf(',');
        int precision = Integer.parseInt(type.substring(open + 1, comma));
        int scale = Integer.parseInt(type.substring(comma + 1, type.length() - 1));
        BigDecimal value = decimal(column, node).setScale(scale, RoundingMode.HALF_UP);
        if (value.precision() - value.scale() > precision - scale) {
            throw wrong(column, node);
        }
        return value;
    }

    /**
     * ISO text ({@code 2026-01-02T10:00:00}, a space for the T, an offset or Z converted to UTC) or a number of
     * milliseconds since the epoch, as UTC.
     */
    private static LocalDateTime timestamp(KafkaSpec.Column column, JsonNode node) throws Corrupt {
        if (node.isIntegralNumber()) {
            return LocalDateTime.ofInstant(Instant.ofEpochMilli(node.longValue()), ZoneOffset.UTC);
        }
        if (!node.isTextual()) {
            throw wrong(column, node);
        }
        String text = node.textValue().strip().replace(' ', 'T');
        char last = text.isEmpty() ? ' ' : text.charAt(text.length() - 1);
        boolean offset = last == 'Z' || text.lastIndexOf('+') > 10 || text.lastIndexOf('-') > 10;
        return offset ? OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime()
                : LocalDateTime.parse(text);
    }

    private static Corrupt wrong(KafkaSpec.Column column, JsonNode node) {
        String shown = node.toString();
        return new Corrupt(column.name(), "CONVERSION", String.format("%s is not a %s (column %s)",
                shown.length() > 100 ? shown.substring(0, 100) + "..." : shown, column.sqlType(), column.name()));
    }

    /** The record's value as text for the rejects table, cut to a length that keeps the catalog small. */
    static String shown(byte[] value) {
        if (value == null) {
            return null;
        }
        String text = new String(value, StandardCharsets.UTF_8);
        return text.length() > 1000 ? text.substring(0, 1000) + "..." : text;
    }
}
