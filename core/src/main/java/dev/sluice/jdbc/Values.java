package dev.sluice.jdbc;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;

/** Conversions of the engine's plain Java values to what the {@code ResultSet} getters promise, and back. */
final class Values {
    private Values() {
    }

    /** What {@code getObject} returns: JDBC's own classes for dates and times, the value itself otherwise. */
    static Object jdbc(Object value) {
        if (value instanceof LocalDate date) {
            return java.sql.Date.valueOf(date);
        }
        if (value instanceof LocalDateTime time) {
            return java.sql.Timestamp.valueOf(time);
        }
        if (value instanceof LocalTime time) {
            return java.sql.Time.valueOf(time);
        }
        return value;
    }

    /** A parameter of a prepared statement as the engine binds it: JDBC's date and time classes to java.time. */
    static Object plain(Object value) {
        if (value instanceof java.sql.Timestamp timestamp) {
            return timestamp.toLocalDateTime();
        }
        if (value instanceof java.sql.Date date) {
            return date.toLocalDate();
        }
        if (value instanceof java.sql.Time time) {
            return time.toLocalTime();
        }
        return value;
    }

    static String string(Object value) {
        return value == null ? null : value.toString();
    }

    static Number number(Object value, String getter) throws SQLException {
        if (value == null || value instanceof Number) {
            return (Number) value;
        }
        if (value instanceof Boolean bool) {
            return bool ? 1 : 0;
        }
        try {
            return new BigDecimal(value.toString().trim());
        } catch (NumberFormatException e) {
            throw new SQLException("Cannot read '" + value + "' with " + getter + ": it is not a number; use getString",
                    "22018");
        }
    }

    static BigDecimal decimal(Object value) throws SQLException {
        Number number = number(value, "getBigDecimal");
        if (number == null || number instanceof BigDecimal) {
            return (BigDecimal) number;
        }
        if (number instanceof BigInteger big) {
            return new BigDecimal(big);
        }
        if (number instanceof Double || number instanceof Float) {
            return BigDecimal.valueOf(number.doubleValue());
        }
        return BigDecimal.valueOf(number.longValue());
    }

    static boolean bool(Object value) throws SQLException {
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean bool) {
            return bool;
        }
        if (value instanceof Number number) {
            return number.doubleValue() != 0;
        }
        String text = value.toString().trim();
        if (text.equalsIgnoreCase("true") || text.equals("1")) {
            return true;
        }
        if (text.equalsIgnoreCase("false") || text.equals("0")) {
            return false;
        }
        throw new SQLException("Cannot read '" + value + "' with getBoolean: it is not a boolean; use getString",
                "22018");
    }

    static java.sql.Date date(Object value) throws SQLException {
        if (value == null) {
            return null;
        }
        if (value instanceof LocalDateTime time) {
            return java.sql.Date.valueOf(time.toLocalDate());
        }
        Object converted = jdbc(value instanceof String text ? parseDate(text) : value);
        if (converted instanceof java.sql.Date date) {
            return date;
        }
        throw new SQLException("Cannot read '" + value + "' with getDate: it is not a date; use getString", "22007");
    }

    static java.sql.Timestamp timestamp(Object value) throws SQLException {
        if (value == null) {
            return null;
        }
        if (value instanceof LocalDate date) {
            return java.sql.Timestamp.valueOf(date.atStartOfDay());
        }
        if (value instanceof java.time.OffsetDateTime time) {
            return java.sql.Timestamp.from(time.toInstant());
        }
        if (value instanceof java.time.Instant instant) {
            return java.sql.Timestamp.from(instant);
        }
        Object converted = jdbc(value instanceof String text ? parseTimestamp(text) : value);
        if (converted instanceof java.sql.Timestamp timestamp) {
            return timestamp;
        }
        throw new SQLException("Cannot read '" + value + "' with getTimestamp: it is not a timestamp; use getString",
                "22007");
    }

    static java.sql.Time time(Object value) throws SQLException {
        if (value == null) {
            return null;
        }
        if (value instanceof LocalDateTime time) {
            return java.sql.Time.valueOf(time.toLocalTime());
        }
        Object converted = jdbc(value);
        if (converted instanceof java.sql.Time time) {
            return time;
        }
        throw new SQLException("Cannot read '" + value + "' with getTime: it is not a time; use getString", "22007");
    }

    /** {@code getObject(index, type)}: the value as {@code type}, for the classes JDBC 4.2 names. */
    static <T> T as(Object value, Class<T> type) throws SQLException {
        if (value == null) {
            return null;
        }
        Object converted;
        if (type.isInstance(value)) {
            converted = value;
        } else if (type == String.class) {
            converted = value.toString();
        } else if (type == Integer.class) {
            converted = number(value, "getObject").intValue();
        } else if (type == Long.class) {
            converted = number(value, "getObject").longValue();
        } else if (type == Double.class) {
            converted = number(value, "getObject").doubleValue();
        } else if (type == BigDecimal.class) {
            converted = decimal(value);
        } else if (type == Boolean.class) {
            converted = bool(value);
        } else if (type == LocalDate.class) {
            converted = date(value).toLocalDate();
        } else if (type == LocalDateTime.class) {
            converted = timestamp(value).toLocalDateTime();
        } else if (type.isInstance(jdbc(value))) {
            converted = jdbc(value);
        } else {
            throw new SQLException("Cannot read a " + value.getClass().getSimpleName() + " value as "
                    + type.getName() + "; use getObject without a type", "22018");
        }
        return type.cast(converted);
    }

    private static Object parseDate(String text) {
        try {
            return LocalDate.parse(text.trim());
        } catch (java.time.format.DateTimeParseException e) {
            return text;
        }
    }

    private static Object parseTimestamp(String text) {
        try {
            return LocalDateTime.parse(text.trim().replace(' ', 'T'));
        } catch (java.time.format.DateTimeParseException e) {
            return text;
        }
    }
}
