package dev.sluice.connect.kafka;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The common record's staging fields straight from the JSON tokens (Jackson's streaming parser: no tree, no Java
 * value per field, no date-time formatter), exactly as {@link JsonRecords} and {@link StagingFile} write them.
 * Measured on the benchmark's records, the tree and the Java values were most of the load's CPU on the Java side.
 * Whatever this class is not certain to convert as they do is left to them, record by record: text that must become
 * a number, a boolean or an epoch-millisecond timestamp, a float in an integral or text column, an object or list
 * where a value is expected, a JSON column, a repeated field, anything after the record, and every record that is
 * not valid JSON or not an object; so rows and rejects stay what {@link JsonRecords} makes of them. Not thread-safe
 * (one per load).
 */
final class JsonFields {
    private static final JsonFactory FACTORY = new JsonFactory();

    /** A field of the declared paths: the column it gives (or -1) and the fields under it. */
    private static final class Field {
        final Map<String, Field> children = new HashMap<>();
        int column = -1;
        /** The record during which it was last met: a field met twice in a record goes to the tree. */
        long seen = -1;
    }

    private final List<KafkaSpec.Column> columns;
    private final Field root = new Field();
    private final StringBuilder[] values;
    private final boolean[] present;
    private final int[] scales;
    private final int[] integerDigits;
    private long record;

    JsonFields(List<KafkaSpec.Column> columns) {
        this.columns = List.copyOf(columns);
        values = new StringBuilder[columns.size()];
        present = new boolean[columns.size()];
        scales = new int[columns.size()];
        integerDigits = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            KafkaSpec.Column column = columns.get(i);
            values[i] = new StringBuilder(32);
            Field field = root;
            for (String name : column.path()) {
                field = field.children.computeIfAbsent(name, key -> new Field());
            }
            field.column = i;
            if (column.type() == KafkaSpec.ColumnType.DECIMAL) {
                String type = column.sqlType();
                int precision = Integer.parseInt(type.substring(type.indexOf('(') + 1, type.indexOf(',')));
                scales[i] = Integer.parseInt(type.substring(type.indexOf(',') + 1, type.length() - 1));
                integerDigits[i] = precision - scales[i];
            }
        }
    }

    /**
     * Appends the record's fields to {@code line} (each column's text, or nothing for NULL, followed by a comma) and
     * returns true; or returns false, leaving {@code line} as it was, when {@link JsonRecords} must read the record.
     */
    boolean append(byte[] value, StringBuilder line) {
        if (value == null) {
            return false;
        }
        record++;
        java.util.Arrays.fill(present, false);
        try (JsonParser parser = FACTORY.createParser(value)) {
            if (parser.nextToken() != JsonToken.START_OBJECT || !object(parser, root)
                    || parser.nextToken() != null) {
                return false;
            }
        } catch (IOException | RuntimeException e) {
            // Invalid JSON or a value out of range: the tree gives the record's error.
            return false;
        }
        for (int i = 0; i < values.length; i++) {
            if (present[i]) {
                line.append(values[i]);
            }
            line.append(',');
        }
        return true;
    }

    /** Reads an object's fields up to its end; false when the record must go to the tree. */
    private boolean object(JsonParser parser, Field field) throws IOException {
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            Field child = field.children.get(parser.currentName());
            JsonToken value = parser.nextToken();
            if (child == null) {
                parser.skipChildren();
                continue;
            }
            if (child.seen == record) {
                return false;
            }
            child.seen = record;
            if (value == JsonToken.START_OBJECT) {
                if (child.column >= 0 || !object(parser, child)) {
                    return false;
                }
            } else if (value == JsonToken.START_ARRAY) {
                return false;
            } else if (child.column >= 0 && value != JsonToken.VALUE_NULL && !scalar(parser, value, child.column)) {
                // A scalar where only fields under it are declared leaves them NULL, as the tree's get() does.
                return false;
            }
        }
        return token == JsonToken.END_OBJECT;
    }

    /** Writes a column's value from a scalar token, as {@link StagingFile} writes {@link JsonRecords}'s value. */
    private boolean scalar(JsonParser parser, JsonToken token, int column) throws IOException {
        StringBuilder out = values[column];
        out.setLength(0);
        boolean integral = token == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() != JsonParser.NumberType
                .BIG_INTEGER;
        boolean number = integral || token == JsonToken.VALUE_NUMBER_FLOAT;
        boolean written = switch (columns.get(column).type()) {
            case BOOLEAN -> {
                if (token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
                    out.append(token == JsonToken.VALUE_TRUE);
                    yield true;
                }
                yield false;
            }
            case TINYINT -> integral && range(out, parser.getLongValue(), Byte.MIN_VALUE, Byte.MAX_VALUE);
            case SMALLINT -> integral && range(out, parser.getLongValue(), Short.MIN_VALUE, Short.MAX_VALUE);
            case INTEGER -> integral && range(out, parser.getLongValue(), Integer.MIN_VALUE, Integer.MAX_VALUE);
            case BIGINT -> integral && range(out, parser.getLongValue(), Long.MIN_VALUE, Long.MAX_VALUE);
            // The tree holds a float as a double, and an integer as a long: their values as it converts them.
            case FLOAT -> {
                double value = !number ? Double.NaN : integral ? parser.getLongValue() : parser.getDoubleValue();
                // The tree goes through a BigDecimal: an infinite double (1e400) is a conversion error, and -0.0
                // loses its sign.
                if (Double.isFinite(value)) {
                    out.append(value == 0 ? 0.0f : (float) value);
                }
                yield Double.isFinite(value);
            }
            case DOUBLE -> {
                if (number) {
                    out.append(integral ? (double) parser.getLongValue() : parser.getDoubleValue());
                }
                yield number;
            }
            case DECIMAL -> number && decimal(out, integral ? BigDecimal.valueOf(parser.getLongValue())
                    : BigDecimal.valueOf(parser.getDoubleValue()), column);
            case VARCHAR -> {
                if (token == JsonToken.VALUE_STRING) {
                    quoted(out, parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
                    yield true;
                }
                if (integral || token == JsonToken.VALUE_TRUE || token == JsonToken.VALUE_FALSE) {
                    // The tree's asText(): the number as Java prints it, true or false.
                    out.append('"');
                    if (integral) {
                        out.append(parser.getLongValue());
                    } else {
                        out.append(token == JsonToken.VALUE_TRUE);
                    }
                    out.append('"');
                    yield true;
                }
                yield false;
            }
            case DATE -> token == JsonToken.VALUE_STRING && date(out, parser.getTextCharacters(),
                    parser.getTextOffset(), parser.getTextLength());
            case TIMESTAMP -> token == JsonToken.VALUE_STRING && timestamp(out, parser.getTextCharacters(),
                    parser.getTextOffset(), parser.getTextLength());
            case JSON -> false;
        };
        present[column] = written;
        return written;
    }

    private static boolean range(StringBuilder out, long value, long min, long max) {
        if (value < min || value > max) {
            return false;
        }
        out.append(value);
        return true;
    }

    private boolean decimal(StringBuilder out, BigDecimal number, int column) {
        BigDecimal value = number.setScale(scales[column], RoundingMode.HALF_UP);
        if (value.precision() - value.scale() > integerDigits[column]) {
            return false;
        }
        out.append(value.toPlainString());
        return true;
    }

    private static void quoted(StringBuilder out, char[] text, int offset, int length) {
        out.append('"');
        for (int i = offset; i < offset + length; i++) {
            char c = text[i];
            if (c == '"') {
                out.append('"');
            }
            out.append(c);
        }
        out.append('"');
    }

    /** {@code yyyy-MM-dd}, a valid date: written as it is (what {@link LocalDate#toString} gives for it). */
    private static boolean date(StringBuilder out, char[] text, int offset, int length) {
        if (length != 10 || !validDate(text, offset)) {
            return false;
        }
        out.append(text, offset, 10);
        return true;
    }

    private static boolean validDate(char[] text, int at) {
        if (text[at + 4] != '-' || text[at + 7] != '-') {
            return false;
        }
        int year = digits(text, at, 4);
        int month = digits(text, at + 5, 2);
        int day = digits(text, at + 8, 2);
        if (year < 0 || month < 0 || day < 0) {
            return false;
        }
        try {
            LocalDate.of(year, month, day);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss} (or a space for the T) with an optional fraction of 1 to 9 digits, a valid date
     * and time: written as {@link StagingFile} writes the parsed time (microseconds, trailing zeros of them kept, no
     * fraction when they are zero).
     */
    private static boolean timestamp(StringBuilder out, char[] text, int at, int length) {
        if (length < 19 || length == 20 || length > 29 || !validDate(text, at)
                || (text[at + 10] != 'T' && text[at + 10] != ' ') || text[at + 13] != ':' || text[at + 16] != ':') {
            return false;
        }
        int hour = digits(text, at + 11, 2);
        int minute = digits(text, at + 14, 2);
        int second = digits(text, at + 17, 2);
        if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return false;
        }
        int micros = 0;
        if (length > 19) {
            if (text[at + 19] != '.' || digits(text, at + 20, length - 20) < 0) {
                return false;
            }
            for (int i = 0; i < 6; i++) {
                micros = micros * 10 + (20 + i < length ? text[at + 20 + i] - '0' : 0);
            }
        }
        out.append(text, at, 10).append(' ').append(text, at + 11, 8);
        if (micros != 0) {
            String digits = Integer.toString(micros);
            out.append('.').append("000000", digits.length(), 6).append(digits);
        }
        return true;
    }

    /** The number the {@code count} ASCII digits at {@code at} spell, or -1 when one is no digit. */
    private static int digits(char[] text, int at, int count) {
        int value = 0;
        for (int i = at; i < at + count; i++) {
            char c = text[i];
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
